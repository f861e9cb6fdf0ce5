// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GroupList, Me, TicketDetail } from '@tillscope/shared';
import { ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest, silentFeed } from '../testing/dom';
import { iso, makeDetail, makeTicket, T0 } from '../testing/fixtures';
import { TicketScreen } from './ticket-detail';

const min = 60_000;
const mount = mountPerTest();
const me: Me = { username: 'ivanov', displayName: 'Иван', role: 'engineer', groups: ['printers'] };
const groupList: GroupList = {
  groups: [
    { id: 'printers', title: { ru: 'Принтеры и периферия', en: 'Printers' }, line: 'second', archived: false, members: ['ivanov', 'sidorov'] },
    { id: 'fiscal', title: { ru: 'ККТ и фискальные накопители', en: 'Fiscal' }, line: 'second', archived: false, members: ['petrov'] },
  ],
};

/**
 * The ticket screen over a stub API whose moves answer `after(body)`; the real ApiClient's link
 * builders (vendor pack) are used as they are.
 */
async function mountTicket(detail: TicketDetail, after: (kind: string, body: unknown) => TicketDetail = () => detail) {
  const real = new ApiClient({ fetch: () => Promise.reject(new Error('no network in this test')) });
  const move = (kind: string) => vi.fn(async (_id: number, body: unknown) => after(kind, body));
  const api = {
    ticket: vi.fn(async () => detail),
    ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })),
    registers: vi.fn(async () => ({ registers: [], total: 0, nextCursor: null })),
    groups: vi.fn(async () => groupList),
    assign: move('assign'),
    reassign: move('reassign'),
    escalate: move('escalate'),
    wait: move('wait'),
    resume: move('resume'),
    vendorPackUrl: real.vendorPackUrl,
    vendorPackHtmlUrl: real.vendorPackHtmlUrl,
  };
  const el = mount(h(TicketScreen, { id: detail.id, api: api as unknown as ApiClient, feed: silentFeed(), state: new ConsoleState(api as unknown as ApiClient, () => me), me }));
  await flush();
  await flush();
  return { el, api };
}

const q = <E extends Element = HTMLElement>(el: Element, testid: string) => el.querySelector<E & HTMLElement>(`[data-testid="${testid}"]`);
const click = (node: HTMLElement | null) => {
  act(() => void node!.click());
};
const type = (node: HTMLInputElement | HTMLTextAreaElement | null, value: string) => {
  node!.value = value;
  act(() => void node!.dispatchEvent(new Event('input', { bubbles: true })));
};
const pick = (node: HTMLSelectElement | null, value: string) => {
  node!.value = value;
  act(() => void node!.dispatchEvent(new Event('change', { bubbles: true })));
};
const submit = async (el: HTMLElement) => {
  click(q(el, 'move-submit'));
  await flush();
};

afterEach(() => vi.useRealTimers());

describe('the ticket\'s SLA clocks', () => {
  it('shows both clocks with their targets: reaction met, resolution paused while waiting on the vendor', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 600 * min });
    const { el } = await mountTicket(
      makeDetail(7, {
        status: 'in_progress', reactBy: iso(T0 + 30 * min), resolveBy: iso(T0 + 480 * min), reactedAt: iso(T0 + 10 * min),
        waitingOn: 'vendor', pausedAt: iso(T0 + 420 * min), slaTargets: { reactMinutes: 30, resolveMinutes: 480 },
      }),
    );
    const react = q(el, 'clock-react')!;
    expect(react.querySelector('[data-sla]')!.getAttribute('data-sla')).toBe('met');
    expect(react.textContent).toContain('✓ выполнено, запас 20 мин');
    expect(react.textContent).toContain('цель: 30 мин рабочего времени');
    const resolve = q(el, 'clock-resolve')!;
    // 600 min after opening and 120 past the due date, but paused at 420: an hour left, not overdue
    expect(resolve.querySelector('[data-sla]')!.getAttribute('data-sla')).toBe('paused');
    expect(resolve.textContent).toContain('‖ пауза, осталось 1 ч 00 мин');
    expect(resolve.textContent).toContain('цель: 8 ч 00 мин рабочего времени');
    expect(q(el, 'clock-paused')!.textContent).toContain('Ждём поставщика: часы SLA стоят');
    expect(q(el, 'waiting-badge')!.textContent).toBe('‖ ждём поставщика');
  });

  it('shows a running overdue reaction clock in words', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 45 * min });
    const { el } = await mountTicket(makeDetail(7, { status: 'open', reactBy: iso(T0 + 30 * min) }));
    expect(q(el, 'clock-react')!.querySelector('[data-sla]')!.textContent).toBe('⊘ просрочено 15 мин');
  });
});

describe('moves with a reason', () => {
  it('will not reassign without a reason, then sends the group and the reason and shows the moved ticket', async () => {
    const detail = makeDetail(7, { status: 'in_progress', assignee: 'ivanov' });
    const moved = { ...detail, group: 'fiscal', assignee: null, reassignments: 1, moves: [
      { at: iso(T0 + 5 * min), kind: 'reassign' as const, actor: 'ivanov', fromGroup: 'printers', toGroup: 'fiscal', fromAssignee: 'ivanov', toAssignee: null, reason: 'the ККТ does not answer' },
    ] };
    const { el, api } = await mountTicket(detail, () => moved);
    click(q(el, 'move-reassign'));
    const options = [...el.querySelectorAll('[data-testid="move-group"] option')].map((o) => o.getAttribute('value'));
    // the server's groups but the ticket's own
    expect(options).toEqual(['', 'fiscal']);
    pick(q<HTMLSelectElement>(el, 'move-group'), 'fiscal');
    type(q<HTMLTextAreaElement>(el, 'move-reason'), '  ');
    await submit(el);
    expect(api.reassign).not.toHaveBeenCalled();
    expect(q(el, 'move-reason-error')!.textContent).toBe('Укажите причину (не короче 3 символов)');
    expect(q(el, 'move-reason')!.getAttribute('aria-invalid')).toBe('true');

    type(q<HTMLTextAreaElement>(el, 'move-reason'), 'the ККТ does not answer');
    await submit(el);
    expect(api.reassign).toHaveBeenCalledWith(7, { group: 'fiscal', reason: 'the ККТ does not answer' });
    expect(q(el, 'move-form-reassign')).toBeNull();
    expect(q(el, 'ticket-group')!.textContent).toBe('ККТ и фискальные накопители');
    const row = q(el, 'move')!;
    expect(row.textContent).toContain('Передал(а) в группу');
    expect(row.textContent).toContain('Принтеры и периферия → ККТ и фискальные накопители');
    expect(row.textContent).toContain('«the ККТ does not answer»');
    expect(q(el, 'move-counts')!.textContent).toBe('передач: 1, эскалаций: 0');
  });

  it('assigns to an engineer named in a field, suggested from the groups\' members', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    click(q(el, 'move-assign'));
    expect([...el.querySelectorAll('#move-engineers option')].map((o) => o.getAttribute('value'))).toEqual(['ivanov', 'petrov', 'sidorov']);
    type(q<HTMLTextAreaElement>(el, 'move-reason'), 'knows this printer');
    await submit(el);
    expect(q(el, 'move-username-error')!.textContent).toBe('Укажите логин инженера');
    type(q<HTMLInputElement>(el, 'move-username'), 'petrov');
    await submit(el);
    expect(api.assign).toHaveBeenCalledWith(7, { username: 'petrov', reason: 'knows this printer' });
  });

  it('escalates to a vendor with its name, case number and deadline; the vendor is required', async () => {
    const detail = makeDetail(7, { status: 'in_progress' });
    const { el, api } = await mountTicket(detail, (_kind, body) => ({
      ...detail, group: 'vendor', escalations: 1, waitingOn: 'vendor', pausedAt: iso(T0 + 60 * min),
      vendor: { vendor: (body as { vendor: string }).vendor, reference: 'SR-1042', escalatedAt: iso(T0 + 60 * min), escalatedBy: 'ivanov', dueAt: iso(T0 + 3 * 24 * 60 * min) },
    }));
    expect(q(el, 'vendor')).toBeNull();
    click(q(el, 'move-escalate'));
    pick(q<HTMLSelectElement>(el, 'move-to'), 'vendor');
    type(q<HTMLTextAreaElement>(el, 'move-reason'), 'firmware fault, needs the vendor');
    await submit(el);
    expect(api.escalate).not.toHaveBeenCalled();
    expect(q(el, 'move-vendor-error')!.textContent).toBe('Укажите поставщика');
    type(q<HTMLInputElement>(el, 'move-vendor'), 'АТОЛ <b>');
    type(q<HTMLInputElement>(el, 'move-reference'), 'SR-1042');
    type(q<HTMLInputElement>(el, 'move-vendor-due'), '2026-03-05T09:00');
    await submit(el);
    expect(api.escalate).toHaveBeenCalledWith(7, { to: 'vendor', vendor: 'АТОЛ <b>', reference: 'SR-1042', reason: 'firmware fault, needs the vendor', vendorDueAt: new Date('2026-03-05T09:00').toISOString() });

    const vendor = q(el, 'vendor')!;
    expect(q(vendor, 'vendor-name')!.textContent).toBe('АТОЛ <b>');
    expect(vendor.querySelector('b')).toBeNull();
    expect(q(vendor, 'vendor-reference')!.textContent).toBe('SR-1042');
    expect(q(vendor, 'vendor-clock')!.getAttribute('data-clock')).toBe('vendor');
    expect(q<HTMLAnchorElement>(vendor, 'vendor-pack-json')!.getAttribute('href')).toBe('/api/tickets/7/vendor-pack');
    expect(q<HTMLAnchorElement>(vendor, 'vendor-pack-json')!.hasAttribute('download')).toBe(true);
    expect(q<HTMLAnchorElement>(vendor, 'vendor-pack-html')!.getAttribute('href')).toBe('/api/tickets/7/vendor-pack.html');
    // waiting on the vendor: the bar offers resume instead of wait
    expect(q(el, 'move-wait')).toBeNull();
    expect(q(el, 'move-resume')).not.toBeNull();
  });

  it('puts the ticket on hold with a reason, and resumes it without one', async () => {
    const detail = makeDetail(7, { status: 'in_progress' });
    const { el, api } = await mountTicket(detail, (kind) => (kind === 'wait' ? { ...detail, waitingOn: 'store', pausedAt: iso(T0) } : detail));
    click(q(el, 'move-wait'));
    pick(q<HTMLSelectElement>(el, 'move-wait-on'), 'store');
    await submit(el);
    expect(api.wait).not.toHaveBeenCalled();
    type(q<HTMLTextAreaElement>(el, 'move-reason'), 'the manager brings a new roll tomorrow');
    await submit(el);
    expect(api.wait).toHaveBeenCalledWith(7, { on: 'store', reason: 'the manager brings a new roll tomorrow' });
    click(q(el, 'move-resume'));
    await submit(el);
    expect(api.resume).toHaveBeenCalledWith(7, { reason: '' });
  });

  it('offers no moves on a resolved ticket', async () => {
    const { el } = await mountTicket(makeDetail(7, { status: 'resolved', resolvedAt: iso(T0 + 60 * min) }));
    expect(q(el, 'move-bar')).toBeNull();
  });
});

describe('store incidents', () => {
  it('an incident lists its registers\' tickets with links', async () => {
    const incident = makeDetail(20, {
      scope: 'store', code: 'store.outage', group: 'network', deviceId: null, symptoms: 2,
      symptomTickets: [makeTicket(21, { parentId: 20, registerId: 'pos-01', code: 'agent.offline' }), makeTicket(22, { parentId: 20, registerId: 'pos-02', code: 'agent.offline' })],
    });
    const { el } = await mountTicket(incident);
    const card = q(el, 'incident-symptoms')!;
    expect(card.querySelector('h2')!.textContent).toContain('Кассы этого инцидента (2)');
    expect([...card.querySelectorAll('[data-testid="symptom"] a')].map((a) => a.getAttribute('href'))).toEqual(['#/tickets/21', '#/tickets/22']);
    expect(card.textContent).toContain('pos-02');
    expect(q(el, 'incident-of')).toBeNull();
  });

  it('a symptom links to its incident', async () => {
    const { el } = await mountTicket(makeDetail(21, { parentId: 20, incident: makeTicket(20, { scope: 'store', code: 'store.outage', symptoms: 2 }) }));
    expect(q<HTMLAnchorElement>(el, 'incident-link')!.getAttribute('href')).toBe('#/tickets/20');
    expect(q(el, 'incident-of')!.textContent).toContain('Эта заявка — симптом инцидента магазина');
    expect(q(el, 'incident-symptoms')).toBeNull();
  });
});

// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GroupList, Me, TicketSummary } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { routeToHash } from '../logic/route';
import { type QueueFilter } from '../logic/filters';
import { parseHash } from '../logic/route';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest } from '../testing/dom';
import { iso, makeTicket, T0 } from '../testing/fixtures';
import { QUEUE_TICK_MS, QueueScreen, TicketList } from './queue';

const min = 60_000;
const mount = mountPerTest();
const printersEngineer: Me = { username: 'ivanov', displayName: 'Иван', role: 'engineer', groups: ['printers'] };

const groupList: GroupList = {
  groups: [
    { id: 'printers', title: { ru: 'Принтеры и периферия', en: 'Printers' }, line: 'second', archived: false, members: ['ivanov'] },
    { id: 'fiscal', title: { ru: 'ККТ и фискальные накопители', en: 'Fiscal' }, line: 'second', archived: false, members: ['petrov'] },
    { id: 'night_shift', title: { ru: 'Ночная смена', en: 'Night shift' }, line: 'second', archived: false, members: [] },
    { id: 'old_team', title: { ru: 'Старая группа', en: 'Old team' }, line: 'second', archived: true, members: [] },
  ],
};

/** A stub server: every active ticket in one page, and the group list (or a failure). */
function stubApi(tickets: TicketSummary[], groups: GroupList | Error = groupList) {
  return {
    tickets: vi.fn(async () => ({ tickets, total: tickets.length, nextCursor: null })),
    groups: vi.fn(async () => {
      if (groups instanceof Error) throw groups;
      return groups;
    }),
  } as unknown as ApiClient & { tickets: ReturnType<typeof vi.fn> };
}

/** Mounts the queue as the app does: a filter change goes to the state and to the URL hash. */
async function mountQueue(tickets: TicketSummary[], { me = printersEngineer, groups = groupList as GroupList | Error, hash = '' } = {}) {
  const api = stubApi(tickets, groups);
  const state = new ConsoleState(api, () => me);
  const urls: string[] = [];
  const onFilter = (filter: QueueFilter) => {
    state.setFilter(filter);
    urls.push(routeToHash({ name: 'queue', filter }));
  };
  const start = parseHash(hash);
  if (start.name !== 'queue') throw new Error('not a queue hash');
  const el = mount(h(QueueScreen, { state, api, me, onFilter, onOpen: () => {} }));
  act(() => state.setFilter(start.filter));
  await flush();
  await flush();
  return { el, api, urls, state };
}

const rowIds = (el: HTMLElement) => [...el.querySelectorAll('[data-testid="queue-row"]')].map((r) => Number(r.getAttribute('data-ticket-id')));
const choose = (el: HTMLElement, testid: string, value: string) => {
  const select = el.querySelector<HTMLSelectElement>(`[data-testid="${testid}"]`)!;
  select.value = value;
  act(() => void select.dispatchEvent(new Event('change', { bubbles: true })));
};

describe('queue countdowns', () => {
  // Reaction due 100 min after opening (amber at 25 left, red at 10 left); resolution 1000 min.
  const clock = (id: number, patch: Partial<TicketSummary> = {}) =>
    makeTicket(id, { reactBy: iso(T0 + 100 * min), resolveBy: iso(T0 + 1000 * min), ...patch });
  const rows = [
    clock(1),
    clock(2, { openedAt: iso(T0 - 80 * min), reactBy: iso(T0 + 20 * min) }),
    clock(3, { openedAt: iso(T0 - 95 * min), reactBy: iso(T0 + 5 * min) }),
    clock(4, { openedAt: iso(T0 - 200 * min), reactBy: iso(T0 - 100 * min) }),
    clock(5, { status: 'in_progress', reactedAt: iso(T0), waitingOn: 'vendor', pausedAt: iso(T0 - 1000 * min), resolveBy: iso(T0 - 500 * min) }),
    clock(6, { status: 'in_progress', reactedAt: iso(T0), openedAt: iso(T0 - 200 * min), reactBy: iso(T0 - 100 * min) }),
  ];

  it('shows each state with its colour class and a mark and words, not colour alone', () => {
    const el = mount(h(TicketList, { rows, now: T0, selectedId: null, loading: false, onSelect: () => {}, onOpen: () => {}, onTake: () => {} }));
    const clocks = [...el.querySelectorAll<HTMLElement>('[data-testid="sla-countdown"]')];
    expect(clocks.map((c) => c.getAttribute('data-sla'))).toEqual(['ok', 'amber', 'red', 'overdue', 'paused', 'ok']);
    expect(clocks.map((c) => c.className)).toEqual(['sla sla-ok', 'sla sla-amber', 'sla sla-red', 'sla sla-overdue', 'sla sla-paused', 'sla sla-ok']);
    expect(clocks.map((c) => c.querySelector('.sla-mark')!.textContent)).toEqual(['◷', '⚠', '❢', '⊘', '‖', '◷']);
    expect(clocks[3]!.textContent).toBe('⊘ просрочено: −1 ч 40 мин');
    expect(clocks[4]!.textContent).toBe('‖ на паузе: 8 ч 20 мин');
    // the reaction clock until somebody reacted, then the resolution clock (6 was late to react, its resolution is on time)
    expect(clocks.map((c) => c.getAttribute('data-clock'))).toEqual(['react', 'react', 'react', 'react', 'resolve', 'resolve']);
    expect(clocks[3]!.title).toContain('Реакция');
  });

  it('ticks every 30 s without asking the server again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: T0 });
    try {
      const { el, api } = await mountQueue([clock(1, { openedAt: iso(T0 - 73 * min - 50_000), reactBy: iso(T0 + 26 * min + 10_000) })]);
      const countdown = () => el.querySelector<HTMLElement>('[data-testid="sla-countdown"]')!;
      expect(countdown().textContent).toBe('◷ в срок: 26 мин');
      const calls = api.tickets.mock.calls.length;
      act(() => void vi.advanceTimersByTime(QUEUE_TICK_MS - 1));
      expect(countdown().textContent).toBe('◷ в срок: 26 мин');
      act(() => void vi.advanceTimersByTime(1));
      expect(countdown().textContent).toBe('◷ в срок: 25 мин');
      act(() => void vi.advanceTimersByTime(2 * QUEUE_TICK_MS));
      expect(countdown().textContent).toBe('⚠ срок близко: 24 мин');
      expect(api.tickets.mock.calls).toHaveLength(calls);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('queue rows of the service desk', () => {
  it('shows a store incident with its registers, a flapping fault and a ticket waiting on the store', async () => {
    const { el } = await mountQueue([
      makeTicket(1, { scope: 'store', code: 'store.outage', group: 'printers', symptoms: 7, deviceId: null }),
      makeTicket(2, { flapping: true, openedMin: 1 }),
      makeTicket(3, { waitingOn: 'store', pausedAt: iso(T0), status: 'in_progress', openedMin: 2 }),
      // a symptom of incident 1 is listed on the incident, not as a row
      makeTicket(4, { parentId: 1, openedMin: 3 }),
    ]);
    expect(rowIds(el)).toEqual([1, 2, 3]);
    const incident = el.querySelector('[data-ticket-id="1"]')!;
    expect(incident.getAttribute('data-scope')).toBe('store');
    expect(incident.querySelector('[data-testid="store-incident"]')!.textContent).toBe('⌂ Инцидент магазина · касс: 7');
    expect(incident.textContent).toContain('msk-014 / весь магазин');
    expect(el.querySelector('[data-ticket-id="2"] [data-testid="flapping-badge"]')!.textContent).toBe('↯ мигает');
    expect(el.querySelector('[data-ticket-id="3"] [data-testid="waiting-badge"]')!.textContent).toBe('‖ ждём магазин');
    expect(el.querySelectorAll('[data-testid="flapping-badge"], [data-testid="waiting-badge"], [data-testid="store-incident"]')).toHaveLength(3);
  });
});

describe('queue filters in the URL', () => {
  const tickets = [
    makeTicket(1, { group: 'printers', category: 'printer' }),
    makeTicket(2, { group: 'fiscal', category: 'fiscal', code: 'fiscal.no_reply', openedMin: 1 }),
    makeTicket(3, { group: 'night_shift', category: 'printer', openedMin: 2, assignee: 'petrov' }),
    makeTicket(4, { group: 'printers', category: 'printer', openedMin: 3, reactBy: iso(T0 - min), openedAt: iso(T0 - 60 * min) }),
  ];
  // 4 is overdue, so it leads the queue (by SLA due); the others' reactions are due in their opening order.
  afterEach(() => vi.useRealTimers());

  it('opens on "my groups" for an engineer in a group, and says so in the URL when switched off', async () => {
    const { el, urls } = await mountQueue(tickets);
    expect(rowIds(el)).toEqual([4, 1]);
    expect(el.querySelector<HTMLSelectElement>('[data-testid="filter-group"]')!.value).toBe('@mine');
    choose(el, 'filter-group', '');
    expect(rowIds(el)).toEqual([4, 1, 2, 3]);
    expect(urls.at(-1)).toBe('#/queue?mygroups=0');
    choose(el, 'filter-group', '@mine');
    expect(urls.at(-1)).toBe('#/queue');
  });

  it('an engineer in no group sees every group and no "my groups" choice', async () => {
    const { el } = await mountQueue(tickets, { me: { ...printersEngineer, groups: [] } });
    expect(rowIds(el)).toEqual([4, 1, 2, 3]);
    expect([...el.querySelectorAll('[data-testid="filter-group"] option')].map((o) => o.getAttribute('value'))).not.toContain('@mine');
  });

  it('lists the server\'s groups (an admin\'s too, not archived ones) and filters by one, by category, unassigned and overdue', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const { el, urls } = await mountQueue(tickets);
    const options = [...el.querySelectorAll('[data-testid="filter-group"] option')].map((o) => o.textContent);
    expect(options).toEqual(['Мои группы', 'Все группы', 'Принтеры и периферия', 'ККТ и фискальные накопители', 'Ночная смена']);
    choose(el, 'filter-group', 'night_shift');
    expect(rowIds(el)).toEqual([3]);
    expect(urls.at(-1)).toBe('#/queue?group=night_shift');
    choose(el, 'filter-group', '');
    choose(el, 'filter-category', 'printer');
    expect(rowIds(el)).toEqual([4, 1, 3]);
    expect(urls.at(-1)).toBe('#/queue?mygroups=0&category=printer');
    const unassigned = el.querySelector<HTMLInputElement>('[data-testid="filter-unassigned"]')!;
    act(() => void unassigned.click());
    expect(rowIds(el)).toEqual([4, 1]);
    const overdue = el.querySelector<HTMLInputElement>('[data-testid="filter-overdue"]')!;
    act(() => void overdue.click());
    expect(rowIds(el)).toEqual([4]);
    expect(urls.at(-1)).toBe('#/queue?mygroups=0&category=printer&unassigned=1&overdue=1');
  });

  it('a shared URL opens the same view', async () => {
    const { el } = await mountQueue(tickets, { hash: '#/queue?mygroups=0&category=fiscal' });
    expect(rowIds(el)).toEqual([2]);
    expect(el.querySelector<HTMLSelectElement>('[data-testid="filter-category"]')!.value).toBe('fiscal');
    expect(el.querySelector<HTMLSelectElement>('[data-testid="filter-group"]')!.value).toBe('');
  });

  it('falls back to the built-in groups when GET /api/groups fails, and says so', async () => {
    const { el } = await mountQueue(tickets, { groups: new Error('404') });
    const options = [...el.querySelectorAll('[data-testid="filter-group"] option')].map((o) => o.getAttribute('value'));
    expect(options).toEqual(['@mine', '', 'printers', 'helpdesk', 'fiscal', 'pos_software', 'network', 'hardware', 'third_line', 'vendor']);
    expect(el.querySelector('[data-testid="groups-fallback"]')).not.toBeNull();
    // a ticket of a group the fallback does not know shows its id
    choose(el, 'filter-group', '');
    expect(el.querySelector('[data-ticket-id="3"]')!.textContent).toContain('night_shift');
  });
});

describe('queue order', () => {
  // Reactions due: 1 in 30 min (P1), 2 overdue by 5 min (P4), 3 overdue by 40 min (P3), 4 in 10 min (P2);
  // 5 taken, its resolution due in 5 min (P3); 6 waits on a vendor (P1), its clock paused.
  const tickets = [
    makeTicket(1, { priority: 1, openedAt: iso(T0 - 10 * min), reactBy: iso(T0 + 30 * min) }),
    makeTicket(2, { priority: 4, openedAt: iso(T0 - 50 * min), reactBy: iso(T0 - 5 * min) }),
    makeTicket(3, { priority: 3, openedAt: iso(T0 - 90 * min), reactBy: iso(T0 - 40 * min) }),
    makeTicket(4, { priority: 2, openedAt: iso(T0 - 20 * min), reactBy: iso(T0 + 10 * min) }),
    makeTicket(5, { priority: 3, openedAt: iso(T0 - 400 * min), reactBy: iso(T0 - 390 * min), status: 'in_progress', reactedAt: iso(T0 - 395 * min), resolveBy: iso(T0 + 5 * min) }),
    makeTicket(6, { priority: 1, openedAt: iso(T0 - 30 * min), status: 'in_progress', reactedAt: iso(T0 - 25 * min), waitingOn: 'vendor', pausedAt: iso(T0 - 20 * min), resolveBy: iso(T0 + 60 * min) }),
  ];
  const BY_DUE = [3, 2, 5, 4, 1, 6];
  const BY_PRIORITY = [6, 1, 4, 5, 3, 2];
  /** as the server pages them: by priority, then age */
  const fromServer = BY_PRIORITY.map((id) => tickets[id - 1]!);
  afterEach(() => vi.useRealTimers());

  it('opens by SLA due: overdue first, the most overdue first, then the nearest due, waiting tickets last', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const { el } = await mountQueue(fromServer, { me: { ...printersEngineer, groups: [] } });
    expect(rowIds(el)).toEqual(BY_DUE);
    expect([...el.querySelectorAll('[data-testid="sla-countdown"]')].map((c) => c.getAttribute('data-sla'))).toEqual(['overdue', 'overdue', 'red', 'ok', 'ok', 'paused']);
    expect(el.querySelector('[data-testid="sort-due"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(el.querySelector('[data-testid="sort-due"]')!.textContent).toBe('По сроку SLA');
  });

  it('switches to by priority and back from memory, kept in the URL; a shared URL opens in its order', async () => {
    const { el, urls, api } = await mountQueue(fromServer, { me: { ...printersEngineer, groups: [] } });
    const calls = api.tickets.mock.calls.length;
    act(() => void el.querySelector<HTMLButtonElement>('[data-testid="sort-priority"]')!.click());
    expect(rowIds(el)).toEqual(BY_PRIORITY);
    expect(urls.at(-1)).toBe('#/queue?sort=priority');
    act(() => void el.querySelector<HTMLButtonElement>('[data-testid="sort-due"]')!.click());
    expect(rowIds(el)).toEqual(BY_DUE);
    expect(urls.at(-1)).toBe('#/queue');
    expect(api.tickets.mock.calls).toHaveLength(calls);
    const shared = await mountQueue(fromServer, { me: { ...printersEngineer, groups: [] }, hash: '#/queue?sort=priority' });
    expect(rowIds(shared.el)).toEqual(BY_PRIORITY);
  });

  it('a ticket from the feed takes its place by due time; a take moves it to its resolution due', async () => {
    const { el, state } = await mountQueue(fromServer, { me: { ...printersEngineer, groups: [] } });
    act(() => state.applyTicket(makeTicket(7, { priority: 4, openedAt: iso(T0), reactBy: iso(T0 + 20 * min) })));
    expect(rowIds(el)).toEqual([3, 2, 5, 4, 7, 1, 6]);
    act(() => state.applyTicket({ ...tickets[2]!, status: 'in_progress', reactedAt: iso(T0), assignee: 'ivanov', updatedAt: iso(T0) }));
    expect(rowIds(el)).toEqual([2, 5, 4, 7, 1, 3, 6]);
  });

  it('has no order switch for resolved tickets (listed as the server sorts them)', async () => {
    const { el } = await mountQueue(fromServer, { me: { ...printersEngineer, groups: [] }, hash: '#/queue?status=resolved' });
    expect(el.querySelector('[data-testid="sort-due"]')).toBeNull();
  });
});

// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { TicketDetail } from '@tillscope/shared';
import { ApiError, type ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest, silentFeed } from '../testing/dom';
import { DEFAULT_FILTER } from '../logic/filters';
import { makeDetail, makeTicket, T0 } from '../testing/fixtures';
import { LoginScreen } from './login';
import { QueueScreen, TicketList } from './queue';
import { TicketScreen } from './ticket-detail';

const me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer' as const, groups: ['printers' as const] };
const mount = mountPerTest();

/** Mounts the ticket screen for `detail`, served by a stub API, with a feed that never connects. */
async function mountTicket(detail: TicketDetail) {
  const api = { ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => detail), registers: vi.fn(async () => ({ registers: [] })) } as unknown as ApiClient;
  const feed = silentFeed();
  const el = mount(h(TicketScreen, { id: detail.id, api, feed, state: new ConsoleState(api, () => me), me }));
  await flush();
  return el;
}

describe('TicketList', () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => makeTicket(i + 1, { openedMin: i }));

  it('keeps the DOM small with 10 000 tickets', () => {
    const el = mount(h(TicketList, { rows, now: T0, selectedId: null, loading: false, onSelect: () => {}, onOpen: () => {}, onTake: () => {} }));
    const rendered = el.querySelectorAll('[data-testid="queue-row"]');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(el.querySelector('[data-testid="queue"]')!.getAttribute('data-count')).toBe('10000');
    // Russian by default, from the shared catalogue
    expect(rendered[0]!.textContent).toContain('Нет бумаги в принтере чеков');
  });

  it('moves with the arrow keys and opens with Enter', () => {
    const onSelect = vi.fn();
    const onOpen = vi.fn();
    const el = mount(h(TicketList, { rows, now: T0, selectedId: 3, loading: false, onSelect, onOpen, onTake: () => {} }));
    const list = el.querySelector<HTMLElement>('[data-testid="queue"]')!;
    act(() => void list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(4);
    act(() => void list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(2);
    act(() => void list.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onOpen).toHaveBeenCalledWith(3);
    expect(el.querySelector('.row.selected')?.getAttribute('data-ticket-id')).toBe('3');
  });
});

describe('QueueScreen', () => {
  it('shows the first page with the server total, then filters the whole active queue in memory', async () => {
    const tickets = Array.from({ length: 450 }, (_, i) => makeTicket(i + 1, { openedMin: i, group: i % 3 === 0 ? 'network' : 'printers' }));
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = {
      tickets: vi.fn(async (_filter: unknown, page: { after?: string; limit: number }) => {
        const from = page.after ? Number(page.after) : 0;
        if (from > 0) await gate;
        const next = from + page.limit;
        return { tickets: tickets.slice(from, next), total: from ? null : tickets.length, nextCursor: next < tickets.length ? String(next) : null };
      }),
    } as unknown as ApiClient;
    const state = new ConsoleState(api, () => me);
    const el = mount(h(QueueScreen, { state, api, me, onFilter: (f) => state.setFilter(f), onOpen: () => {} }));
    act(() => state.setFilter({ ...DEFAULT_FILTER, myGroups: false }));
    await flush();
    const count = () => el.querySelector('[data-testid="queue-count"]')!;
    expect(count().textContent).toBe('Заявок: 200 из 450');
    expect(count().getAttribute('data-complete')).toBe('false');
    release();
    await vi.waitFor(async () => {
      await flush();
      expect(count().getAttribute('data-complete')).toBe('true');
    });
    expect(count().textContent).toBe('Заявок: 450');

    const calls = (api.tickets as ReturnType<typeof vi.fn>).mock.calls.length;
    const select = el.querySelector<HTMLSelectElement>('[data-testid="filter-group"]')!;
    select.value = 'network';
    act(() => void select.dispatchEvent(new Event('change', { bubbles: true })));
    await flush();
    expect(count().textContent).toBe('Заявок: 150');
    expect([...el.querySelectorAll('[data-testid="queue-row"]')].every((row) => row.getAttribute('data-group') === 'network')).toBe(true);
    expect((api.tickets as ReturnType<typeof vi.fn>).mock.calls).toHaveLength(calls);
  });
});

describe('TicketScreen', () => {
  const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

  it('renders untrusted strings as text, with every section present', async () => {
    const detail = makeDetail(7, {
      hasCashierReport: true,
      detail: hostile,
      cashierNotes: [{ at: new Date(T0).toISOString(), symptom: 'no_receipt', note: hostile, locale: 'ru' }],
      timeline: [{ at: new Date(T0).toISOString(), kind: 'cashier_report', actor: null, text: hostile }],
    });
    detail.evidence!.target = hostile;
    const el = await mountTicket(detail);

    expect(el.querySelector('img, script')).toBeNull();
    expect(el.querySelector('[data-testid="ticket-title"]')!.textContent).toBe('Нет бумаги в принтере чеков');
    expect(el.querySelector('[data-testid="cashier-note"]')!.textContent).toContain(hostile);
    // The cashier's own report is attributed to the cashier, not to the machine.
    expect(el.querySelector('[data-testid="timeline"]')!.textContent).toContain('кассир');
    const exchange = el.querySelector('[data-testid="evidence-exchange"]')!;
    expect(exchange.textContent).toContain('DLE EOT 4 = 0x72: бумага закончилась');
    expect(exchange.querySelectorAll('tr.alarm')).toHaveLength(1);
    expect(el.querySelector('[data-testid="checklist"]')!.querySelectorAll('[data-result]')).toHaveLength(3);
    for (const id of ['action-take', 'action-resolve', 'action-probe', 'evidence', 'kb-advice']) {
      expect(el.querySelector(`[data-testid="${id}"]`), id).not.toBeNull();
    }
  });
});

describe('TicketScreen, a ticket the cashier confirmed', () => {
  it('shows the closed status, no actions that a closed ticket refuses, and both cashier answers in the timeline', async () => {
    const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
    const detail = makeDetail(8, {
      status: 'closed',
      hasCashierReport: true,
      resolvedAt: at(30),
      timeline: [
        { at: at(0), kind: 'opened', actor: null, text: '' },
        { at: at(10), kind: 'resolved', actor: 'ivanov', text: 'paper loaded' },
        { at: at(12), kind: 'cashier_not_fixed', actor: null, text: '' },
        { at: at(30), kind: 'resolved', actor: 'ivanov', text: 'roll replaced' },
        { at: at(31), kind: 'cashier_confirmed', actor: null, text: '' },
      ],
    });
    const el = await mountTicket(detail);

    expect(el.querySelector('[data-testid="ticket-detail"]')!.getAttribute('data-status')).toBe('closed');
    const badge = el.querySelector('.detail-head .status')!;
    expect(badge.className).toContain('status-closed');
    expect(badge.textContent).toBe('Закрыта');
    expect((el.querySelector('[data-testid="action-take"]') as HTMLButtonElement).disabled).toBe(true);
    expect((el.querySelector('[data-testid="action-resolve"]') as HTMLButtonElement).disabled).toBe(true);

    const entry = (kind: string) => el.querySelector(`[data-testid="timeline"] [data-kind="${kind}"]`)!;
    expect(entry('cashier_not_fixed').querySelector('.tl-kind')!.textContent).toBe('Кассир: не работает, заявка открыта снова');
    expect(entry('cashier_not_fixed').querySelector('.tl-actor')!.textContent).toBe('кассир');
    expect(entry('cashier_confirmed').querySelector('.tl-kind')!.textContent).toBe('Кассир подтвердил: работает');
    expect(entry('cashier_confirmed').querySelector('.tl-actor')!.textContent).toBe('кассир');
  });
});

describe('LoginScreen', () => {
  /** Submits the form against an API whose login fails with `error`; returns the error shown. */
  async function loginErrorFor(error: ApiError): Promise<string | null | undefined> {
    const api = { login: vi.fn(async () => Promise.reject(error)) } as unknown as ApiClient;
    const el = mount(h(LoginScreen, { api, onLogin: () => {} }));
    const input = (id: string, value: string) => {
      const field = el.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
      field.value = value;
      act(() => void field.dispatchEvent(new Event('input', { bubbles: true })));
    };
    input('login-username', 'ivanov');
    input('login-password', 'wrong');
    act(() => void el.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await flush();
    return el.querySelector('[data-testid="login-error"]')?.textContent;
  }

  it('shows a clear error on 401', async () => {
    expect(await loginErrorFor(new ApiError(401, 'unauthorized', 'bad'))).toBe('Неверное имя пользователя или пароль.');
  });

  it('says how long to wait when logins are throttled (429) or the server is busy (503)', async () => {
    expect(await loginErrorFor(new ApiError(429, 'rate_limited', 'too many', 8))).toBe('Слишком много попыток, повторите через 8 с.');
    expect(await loginErrorFor(new ApiError(503, 'busy', 'busy', 2))).toBe('Сервер занят, повторите через 2 с.');
    // Without a Retry-After there is still a plain answer, never the raw server message.
    expect(await loginErrorFor(new ApiError(503, 'busy', 'HTTP 503'))).toBe('Сервер занят, повторите через минуту.');
  });
});

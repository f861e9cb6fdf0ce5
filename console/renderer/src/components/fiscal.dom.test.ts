// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { RegisterDetail, RegisterSummary, ReplacementList, TicketDetail } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest, silentFeed } from '../testing/dom';
import { iso, makeDetail, makeFiscalDevice, makeFiscalRegister, makeRegister, makeTicket, T0 } from '../testing/fixtures';
import { emptyRegisterHost } from '../testing/host-fixtures';
import { DEFAULT_FLEET_FILTER, type FleetFilter } from '../logic/fleet-filter';
import { DeviceList } from './devices';
import { FleetScreen } from './fleet';
import { TicketList } from './queue';
import { ReplacementsScreen } from './replacements';
import { TicketScreen } from './ticket-detail';

const DAY = 86_400_000;
const me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer' as const, groups: ['fiscal' as const] };
const hostile = '<img src=x onerror="alert(1)">';
const mount = mountPerTest();

const fiscalRegister = makeFiscalRegister;
/** What GET /api/registers answers for it: no per-device facts. */
const summaryOf = ({ devices, ...register }: RegisterDetail): RegisterSummary => ({ ...register, devices: devices.map(({ fiscal: _fiscal, ...device }) => device) });

describe('a register\'s fiscal device', () => {
  it('shows its facts, identity and the forecast with every part and note, in Russian', () => {
    const el = mount(h(DeviceList, { register: fiscalRegister(), now: T0, openFacts: true }));
    const facts = el.querySelector('[data-testid="fiscal-facts"]')!;
    expect(facts.hasAttribute('open')).toBe(true);
    const text = facts.textContent!;
    for (const expected of ['Номер ФН', '9999078900001234', 'ФН действует до', 'Не передано в ОФД', '12 док., первый от', 'Смена', '77 открыта', 'Последний ФД', '4410', 'ШТРИХ-М-01Ф', '0012345678', 'A4.0', 'ФФД']) {
      expect(text, expected).toContain(expected);
    }
    expect(facts.querySelector('summary')!.textContent).toContain('через 20 дн. (документы не переданы в ОФД 30 дней)');
    const parts = [...el.querySelectorAll('[data-testid="forecast-parts"] li')].map((li) => li.getAttribute('data-reason') ?? li.getAttribute('data-note'));
    expect(parts).toEqual(['ofd_lock', 'fn_validity', 'no_rate']);
    expect(el.querySelector('[data-reason="ofd_lock"]')!.textContent).toContain('первый неподтверждённый документ № 4399');
  });

  it('folds the facts on a fleet tile, and shows device strings as text', () => {
    const device = makeFiscalDevice({ identity: { model: hostile, serial: hostile } });
    const el = mount(h(DeviceList, { register: fiscalRegister({ devices: [device] }), now: T0 }));
    expect(el.querySelector('[data-testid="fiscal-facts"]')!.hasAttribute('open')).toBe(false);
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain(hostile);
  });
});

describe('the fleet screen', () => {
  it('shows each register\'s blocking date, counts a store\'s soon-blocked registers, filters and sorts by it, and fetches fiscal facts on demand', async () => {
    const api = { register: vi.fn(async () => fiscalRegister()) } as unknown as ApiClient;
    const state = new ConsoleState(api, () => me);
    const later = makeRegister('agt-2', { registerId: 'pos-03', forecast: { blockingAt: iso(T0 + 200 * DAY), reason: 'fn_validity', deviceId: 'kkt-1', daysLeft: 200 } });
    state.fleet.set({ ...state.fleet.get(), loaded: { ...DEFAULT_FLEET_FILTER }, registers: [summaryOf(fiscalRegister()), later, makeRegister('agt-3', { registerId: 'pos-04' })], total: 3 });
    const onFilter = vi.fn<(filter: FleetFilter) => void>();
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    try {
      const el = mount(h(FleetScreen, { state, api, onFilter }));
      const lines = [...el.querySelectorAll('[data-testid="fleet-register"]')].map((tile) => tile.querySelector('[data-testid="forecast-line"]')?.getAttribute('data-days-left') ?? null);
      expect(lines).toEqual(['20', '200', null]);
      // Each tile's register id opens the register's page.
      expect([...el.querySelectorAll('[data-testid="register-link"]')].map((a) => a.getAttribute('href'))).toEqual(['#/registers/agt-1', '#/registers/agt-2', '#/registers/agt-3']);
      expect(el.querySelector('[data-testid="store-blocking"]')!.textContent).toBe('Блокировка ≤ 30 дн.: 1');
      expect(el.querySelector('[data-testid="store-blocking"]')!.getAttribute('href')).toBe('#/fiscal?store=msk-014');

      const select = el.querySelector<HTMLSelectElement>('[data-testid="fleet-blocking"]')!;
      select.value = '30';
      act(() => void select.dispatchEvent(new Event('change', { bubbles: true })));
      expect(onFilter).toHaveBeenLastCalledWith({ ...DEFAULT_FLEET_FILTER, blockingWithinDays: 30 });
      act(() => void el.querySelector<HTMLButtonElement>('[data-testid="fleet-sort-blocking"]')!.click());
      expect(onFilter).toHaveBeenLastCalledWith({ ...DEFAULT_FLEET_FILTER, sort: 'blocking' });

      // A tile's fiscal facts are fetched when first unfolded, for registers that have a fiscal device.
      const lazy = el.querySelectorAll<HTMLDetailsElement>('[data-testid="fiscal-lazy"]');
      expect(lazy).toHaveLength(1);
      expect(api.register).not.toHaveBeenCalled();
      lazy[0]!.open = true;
      await act(async () => void lazy[0]!.dispatchEvent(new Event('toggle')));
      await flush();
      expect(api.register).toHaveBeenCalledWith('agt-1');
      expect(lazy[0]!.querySelector('[data-testid="forecast-parts"]')!.textContent).toContain('первый неподтверждённый документ № 4399');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the blocking date on tickets', () => {
  it('the ticket header shows the register\'s blocking date and reason; its register panel the fiscal facts', async () => {
    const detail: TicketDetail = makeDetail(9, { registerForecast: { blockingAt: iso(T0 + 2 * DAY + 3_600_000), reason: 'fn_validity', deviceId: 'kkt-1', daysLeft: 2 } });
    const api = {
      ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => detail),
      registers: vi.fn(async () => ({ registers: [summaryOf(fiscalRegister())] })),
      register: vi.fn(async () => fiscalRegister()),
      registerHost: vi.fn(async () => emptyRegisterHost()),
    } as unknown as ApiClient;
    const feed = silentFeed();
    vi.useFakeTimers({ now: T0, toFake: ['Date'] });
    try {
      const el = mount(h(TicketScreen, { id: 9, api, feed, state: new ConsoleState(api, () => me), me }));
      await flush();
      await flush();
      const blocking = el.querySelector('[data-testid="ticket-blocking"]')!;
      expect(blocking.textContent).toContain('Блокировка продаж');
      expect(blocking.textContent).toContain('через 2 дн. (истекает срок ФН)');
      expect(blocking.querySelector('[data-testid="forecast-line"]')!.className).toContain('tone-red');
      expect(api.register).toHaveBeenCalledWith('agt-1');
      expect(el.querySelector('[data-testid="register-panel"] [data-testid="fiscal-facts"]')!.hasAttribute('open')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the queue marks a ticket whose register stops selling within 30 days, and no other', () => {
    const rows = [
      makeTicket(1, { blockingAt: iso(T0 + 5 * DAY) }),
      makeTicket(2, { blockingAt: iso(T0 + 45 * DAY), openedMin: 1 }),
      makeTicket(3, { blockingAt: null, openedMin: 2 }),
      makeTicket(4, { blockingAt: iso(T0 - DAY), openedMin: 3 }),
    ];
    const el = mount(h(TicketList, { rows, now: T0, selectedId: null, loading: false, onSelect: () => {}, onOpen: () => {}, onTake: () => {} }));
    const marker = (id: number) => el.querySelector(`[data-ticket-id="${id}"] [data-testid="blocking-marker"]`);
    expect(marker(1)!.textContent).toBe('⚠ через 5 дн.');
    expect(marker(1)!.className).toContain('chip-amber');
    expect(marker(2)).toBeNull();
    expect(marker(3)).toBeNull();
    expect(marker(4)!.textContent).toBe('⚠ продажи заблокированы');
    expect(marker(4)!.className).toContain('chip-red');
  });
});

describe('ReplacementsScreen', () => {
  const list: ReplacementList = {
    generatedAt: iso(T0), horizonDays: 90, total: 2, nextCursor: null,
    stores: [{
      storeId: 'msk-001', counts: { d30: 1, d60: 0, d90: 1 },
      drives: [
        { agentId: 'a1', storeId: 'msk-001', registerId: 'pos-1', deviceId: 'kkt-1', model: hostile, registerSerial: '0012345678', fnSerial: 'FN-1', replaceBy: iso(T0 + 10 * DAY), replaceReason: 'fn_validity', bucket: 'd30', validUntil: iso(T0 + 10 * DAY), blockingAt: iso(T0 + 10 * DAY), blockingReason: 'fn_validity' },
        { agentId: 'a2', storeId: 'msk-001', registerId: 'pos-2', deviceId: 'kkt-1', model: 'АТОЛ 30Ф', registerSerial: null, fnSerial: null, replaceBy: iso(T0 + 75 * DAY), replaceReason: 'archive_full', bucket: 'd90', validUntil: null, blockingAt: iso(T0 + 3 * DAY), blockingReason: 'ofd_lock' },
      ],
    }],
  };

  it('shows each store\'s buckets and drives, with CSV links for the same store', async () => {
    const api = { replacements: vi.fn(async () => list) } as unknown as ApiClient;
    const el = mount(h(ReplacementsScreen, { api, storeId: 'msk-001', onStore: () => {} }));
    await flush();
    expect(api.replacements).toHaveBeenCalledWith('msk-001');
    const store = el.querySelector('[data-testid="replacement-store"]')!;
    expect([...store.querySelectorAll('[data-bucket]')].filter((chip) => chip.tagName === 'SPAN').map((chip) => chip.textContent)).toEqual(['≤ 30 дней: 1', '31–60 дней: 0', '61–90 дней: 1']);
    const drives = [...el.querySelectorAll('[data-testid="replacement-drive"]')];
    expect(drives.map((row) => row.getAttribute('data-bucket'))).toEqual(['d30', 'd90']);
    expect(drives[1]!.textContent).toContain('архив заполнится');
    expect(drives[1]!.textContent).toContain('документы не переданы в ОФД 30 дней');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[data-testid="replacements-csv"]')!.getAttribute('href')).toBe('/api/fiscal/replacements?format=csv&storeId=msk-001');
    expect(el.querySelector('[data-testid="replacements-csv-excel"]')!.getAttribute('href')).toBe('/api/fiscal/replacements?format=csv&delimiter=semicolon&storeId=msk-001');
    expect(el.querySelector('[data-testid="replacements-total"]')!.textContent).toBe('ФН: 2');
  });

  it('loads the next page of stores on request, keeping the first page\'s total', async () => {
    const second = { ...list, total: null, stores: [{ ...list.stores[0]!, storeId: 'msk-002' }] };
    const api = { replacements: vi.fn(async (_store: string | null, after: string | null) => (after ? second : { ...list, nextCursor: 'msk-001' })) } as unknown as ApiClient;
    const el = mount(h(ReplacementsScreen, { api, storeId: null, onStore: () => {} }));
    await flush();
    act(() => void el.querySelector<HTMLButtonElement>('[data-testid="replacements-more"]')!.click());
    await flush();
    expect(api.replacements).toHaveBeenLastCalledWith(null, 'msk-001');
    expect([...el.querySelectorAll('[data-testid="replacement-store"]')].map((store) => store.getAttribute('data-store-id'))).toEqual(['msk-001', 'msk-002']);
    expect(el.querySelector('[data-testid="replacements-more"]')).toBeNull();
    expect(el.querySelector('[data-testid="replacements-total"]')!.textContent).toBe('ФН: 2');
  });

  it('says when nothing needs replacing', async () => {
    const api = { replacements: vi.fn(async () => ({ ...list, stores: [], total: 0 })) } as unknown as ApiClient;
    const el = mount(h(ReplacementsScreen, { api, storeId: null, onStore: () => {} }));
    await flush();
    expect(el.textContent).toContain('Ни один ФН не нужно менять в ближайшие 90 дней.');
  });
});

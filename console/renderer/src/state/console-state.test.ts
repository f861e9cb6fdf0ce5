import type { RegisterList, TicketList, TicketSummary } from '@tillscope/shared';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { DEFAULT_FILTER, QUEUE_FIRST_PAGE_SIZE, QUEUE_PAGE_SIZE, type PageRequest, type QueueFilter } from '../logic/filters';
import { DEFAULT_FLEET_FILTER, type FleetFilter } from '../logic/fleet-filter';
import { matchesServerFilter, sortTickets } from '../logic/queue';
import { iso, makeRegister, makeTicket, T0 } from '../testing/fixtures';
import { ConsoleState } from './console-state';

const me = { username: 'ivanov', displayName: 'Иван', role: 'engineer' as const, groups: [] };

/** A server holding `tickets`: pages of QUEUE_PAGE_SIZE with the index of the next one as the cursor. */
function fakeServer(tickets: TicketSummary[]) {
  const calls: { filter: QueueFilter; page: PageRequest }[] = [];
  let hold: Promise<void> | null = null;
  const api = {
    tickets: vi.fn(async (filter: QueueFilter, page: PageRequest = {}): Promise<TicketList> => {
      calls.push({ filter, page });
      if (hold) await hold;
      const matching = sortTickets(tickets.filter((t) => matchesServerFilter(t, filter, me)));
      const from = page.after ? Number(page.after) : 0;
      const limit = page.limit ?? 500;
      const slice = matching.slice(from, from + limit);
      return { tickets: slice, total: page.after ? null : matching.length, nextCursor: from + limit < matching.length ? String(from + limit) : null };
    }),
    registers: vi.fn(async (filter: FleetFilter, page: PageRequest = {}): Promise<RegisterList> => {
      const all = Array.from({ length: 450 }, (_, i) => makeRegister(`a${i}`, { storeId: `s${String(Math.floor(i / 5)).padStart(3, '0')}`, registerId: `pos-${i % 5}`, connected: i % 10 !== 0 }))
        .filter((r) => filter.connected !== 'silent' || !r.connected);
      const from = page.after ? Number(page.after) : 0;
      const limit = page.limit ?? 200;
      return { registers: all.slice(from, from + limit), total: page.after ? null : all.length, nextCursor: from + limit < all.length ? String(from + limit) : null };
    }),
  };
  return {
    api: api as unknown as ApiClient,
    calls,
    /** Holds every answer until the returned function is called. */
    pause: () => {
      let release = () => {};
      hold = new Promise((resolve) => (release = () => { hold = null; resolve(); }));
      return release;
    },
  };
}

const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeTicket(i + 1, { openedMin: i, group: i % 3 === 0 ? 'network' : 'printers', status: i % 7 === 0 ? 'resolved' : 'open', assignee: i % 5 === 0 ? 'ivanov' : null }),
  );

describe('ConsoleState: the queue', () => {
  it('loads the whole active queue page by page, showing the first page with the server total first', async () => {
    const tickets = many(1_300);
    const server = fakeServer(tickets);
    const state = new ConsoleState(server.api, () => me);
    const seen: { rows: number; total: number | null; complete: boolean }[] = [];
    state.queue.subscribe((s) => seen.push({ rows: s.tickets.length, total: s.total, complete: s.complete }));
    state.setFilter({ ...DEFAULT_FILTER });
    await vi.waitFor(() => expect(state.queue.get().complete).toBe(true));

    const active = sortTickets(tickets.filter((t) => t.status === 'open'));
    expect(state.queue.get().tickets).toEqual(active);
    expect(state.queue.get().total).toBe(active.length);
    expect(seen.find((s) => s.rows > 0)).toEqual({ rows: QUEUE_FIRST_PAGE_SIZE, total: active.length, complete: false });
    expect(server.calls.map((c) => [c.page.after ?? null, c.page.limit])).toEqual([[null, 200], ['200', 500], ['700', 500]]);
  });

  it('answers a group, a store or "mine" on the active queue from memory, without asking the server', async () => {
    const server = fakeServer(many(800));
    const state = new ConsoleState(server.api, () => me);
    state.setFilter({ ...DEFAULT_FILTER });
    await vi.waitFor(() => expect(state.queue.get().complete).toBe(true));
    const calls = server.calls.length;
    state.setFilter({ ...DEFAULT_FILTER, group: 'network', mine: true });
    state.setFilter({ ...DEFAULT_FILTER, storeId: 'msk-014' });
    expect(server.calls).toHaveLength(calls);
    expect(state.queue.get().filter.storeId).toBe('msk-014');
  });

  it('asks the server for resolved tickets with every filter, one page at a time', async () => {
    const server = fakeServer(many(30_000));
    const state = new ConsoleState(server.api, () => me);
    state.setFilter({ ...DEFAULT_FILTER, status: 'resolved', group: 'network' });
    await vi.waitFor(() => expect(state.queue.get().loading).toBe(false));
    expect(server.calls).toEqual([{ filter: { ...DEFAULT_FILTER, status: 'resolved', group: 'network', myGroups: false }, page: { limit: QUEUE_FIRST_PAGE_SIZE } }]);
    expect(state.queue.get()).toMatchObject({ complete: false, nextCursor: '200' });
    expect(await state.loadMoreQueue()).toBe(true);
    expect(state.queue.get().tickets).toHaveLength(QUEUE_FIRST_PAGE_SIZE + QUEUE_PAGE_SIZE);
    expect(server.calls[1]!.page).toEqual({ after: '200', limit: QUEUE_PAGE_SIZE });
  });

  it('asks the server for all tickets unassigned and overdue; a taken one leaves the list from the feed', async () => {
    const tickets = many(3_000);
    const server = fakeServer(tickets);
    const state = new ConsoleState(server.api, () => me);
    state.setFilter({ ...DEFAULT_FILTER, status: 'all', unassigned: true, overdue: true });
    await vi.waitFor(() => expect(state.queue.get().loading).toBe(false));
    expect(server.calls.map((c) => c.filter)).toEqual([{ ...DEFAULT_FILTER, status: 'all', myGroups: false, unassigned: true, overdue: true }]);
    // the fixtures' reactions were due long ago: every unassigned active one is overdue, and only those
    const expected = tickets.filter((t) => t.assignee === null && t.status === 'open');
    expect(state.queue.get().total).toBe(expected.length);
    const first = state.queue.get().tickets[0]!;
    expect(first.assignee).toBeNull();
    state.applyTicket({ ...first, status: 'in_progress', assignee: 'ivanov', reactedAt: iso(T0 + 1), updatedAt: iso(T0 + 10 ** 9) });
    expect(state.queue.get().tickets.map((t) => t.id)).not.toContain(first.id);
    // the active queue stays loaded whole: unassigned and overdue are answered from memory
    const calls = server.calls.length;
    state.setFilter({ ...DEFAULT_FILTER });
    await vi.waitFor(() => expect(state.queue.get().complete).toBe(true));
    state.setFilter({ ...DEFAULT_FILTER, unassigned: true, overdue: true });
    expect(server.calls.length).toBe(calls + 1 + Math.ceil((tickets.filter((t) => t.status === 'open').length - QUEUE_FIRST_PAGE_SIZE) / QUEUE_PAGE_SIZE));
  });

  it('keeps a feed ticket once when its page comes later, and does not bring back one the feed resolved', async () => {
    const tickets = many(1_200).map((t) => ({ ...t, status: 'open' as const }));
    const server = fakeServer(tickets);
    const state = new ConsoleState(server.api, () => me);
    const release = server.pause();
    state.setFilter({ ...DEFAULT_FILTER });
    release();
    await vi.waitFor(() => expect(state.queue.get().tickets.length).toBeGreaterThan(0));
    const later = { ...tickets[1_000]!, assignee: 'petrov', updatedAt: iso(T0 + 5_000 * 60_000) };
    const resolved = { ...tickets[900]!, status: 'resolved' as const, updatedAt: iso(T0 + 5_000 * 60_000) };
    state.applyTicket(later);
    state.applyTicket(resolved);
    await vi.waitFor(() => expect(state.queue.get().complete).toBe(true));

    const held = state.queue.get().tickets;
    expect(held.filter((t) => t.id === later.id)).toEqual([later]);
    expect(held.some((t) => t.id === resolved.id)).toBe(false);
    expect(new Set(held.map((t) => t.id)).size).toBe(held.length);
    expect(held).toHaveLength(1_199);
  });
});

describe('ConsoleState: the fleet', () => {
  it('loads a page of registers for the filter only when the fleet is looked at, and more on request', async () => {
    const server = fakeServer([]);
    const state = new ConsoleState(server.api, () => me);
    await state.reloadFleet({ ifLoaded: true });
    expect(server.api.registers).not.toHaveBeenCalled();

    state.setFleetFilter({ ...DEFAULT_FLEET_FILTER, connected: 'silent' });
    await vi.waitFor(() => expect(state.fleet.get().loading).toBe(false));
    expect(state.fleet.get()).toMatchObject({ total: 45, nextCursor: null });
    expect(state.fleet.get().registers.every((r) => !r.connected)).toBe(true);

    state.setFleetFilter({ ...DEFAULT_FLEET_FILTER });
    await vi.waitFor(() => expect(state.fleet.get().registers).toHaveLength(200));
    await state.loadMoreFleet();
    await state.loadMoreFleet();
    expect(state.fleet.get()).toMatchObject({ total: 450, nextCursor: null });
    expect(state.fleet.get().registers).toHaveLength(450);

    // The feed updates a register the page shows, and leaves the page alone for any other.
    const shown = state.fleet.get().registers[3]!;
    state.applyRegister({ ...shown, connected: !shown.connected });
    expect(state.fleet.get().registers[3]!.connected).toBe(!shown.connected);
    const before = state.fleet.get().registers;
    state.applyRegister(makeRegister('elsewhere'));
    expect(state.fleet.get().registers).toBe(before);
  });
});

import fc from 'fast-check';
import type { TicketSummary } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { iso, makeTicket, T0 } from '../testing/fixtures';
import { DEFAULT_FILTER, listOrder } from './filters';
import { compareTickets, mergePage, sortTickets, upsertTicket } from './queue';
import { ticketClock } from './sla';

// The active queue "by SLA due": what must be done first. The queue's clock is the reaction clock
// until somebody reacted, then the resolution clock; overdue first (the most overdue first), then
// by due time, then priority, then id; paused (waiting) tickets after every running one.

const min = 60_000;
const me = { username: 'ivanov', groups: [] as string[] };
const ids = (list: readonly { id: number }[]) => list.map((t) => t.id);
const BY_DUE = { ...DEFAULT_FILTER, myGroups: false };

/** A ticket whose reaction is due `react` minutes after T0 and resolution `resolve` minutes after. */
const due = (id: number, react: number, patch: Partial<TicketSummary> = {}) =>
  makeTicket(id, { openedAt: iso(T0 - 60 * min), reactBy: iso(T0 + react * min), resolveBy: iso(T0 + (react + 600) * min), ...patch });
const reacted = (at = T0 - 30 * min): Partial<TicketSummary> => ({ status: 'in_progress', reactedAt: iso(at), assignee: 'ivanov' });
const waiting = (pausedMin: number): Partial<TicketSummary> => ({ status: 'in_progress', reactedAt: iso(T0 - 50 * min), waitingOn: 'vendor', pausedAt: iso(T0 + pausedMin * min) });

describe('the active queue by SLA due', () => {
  it('puts overdue first (the most overdue first), then the nearest due, the priority and the id breaking ties', () => {
    const list = [
      due(1, 30, { priority: 1 }),
      due(2, -5, { priority: 4 }),
      due(3, -40, { priority: 3 }),
      due(4, 10, { priority: 2 }),
      due(5, 10, { priority: 1 }),
      due(6, 10, { priority: 1 }),
    ];
    expect(ids(sortTickets(list, 'due'))).toEqual([3, 2, 5, 6, 4, 1]);
    expect(ids([...list].sort((a, b) => compareTickets(a, b, 'due')))).toEqual([3, 2, 5, 6, 4, 1]);
    // by priority the same tickets lead with the P1s, oldest first
    expect(ids(sortTickets(list, 'priority'))).toEqual([1, 5, 6, 4, 3, 2]);
  });

  it('runs the reaction clock until somebody reacted, then the resolution clock', () => {
    const notReacted = due(1, 20); // reaction due in 20 min
    const taken = due(2, -200, { ...reacted(), resolveBy: iso(T0 + 5 * min) }); // reaction long met, resolution due in 5 min
    const oldInProgress = due(3, -300, { status: 'in_progress', resolveBy: iso(T0 + 60 * min) }); // no reactedAt recorded: resolution clock
    expect(ids(sortTickets([notReacted, taken, oldInProgress], 'due'))).toEqual([2, 1, 3]);
    expect(ticketClock(taken, T0).kind).toBe('resolve');
  });

  it('lists paused tickets after every running one, the least time left first', () => {
    const running = due(1, 5000, { priority: 4 });
    const pausedShort = due(2, -100, { ...waiting(-10), resolveBy: iso(T0 + 20 * min) }); // 30 min left when paused
    const pausedLong = due(3, -100, { ...waiting(-10), resolveBy: iso(T0 + 200 * min), priority: 1 });
    const overdue = due(4, -1);
    expect(ids(sortTickets([pausedLong, running, pausedShort, overdue], 'due'))).toEqual([4, 1, 2, 3]);
  });

  it('does not move a ticket when time passes: the order depends on the tickets only', () => {
    const list = [due(1, 30), due(2, -5), due(3, 0, waiting(-1)), due(4, 1, reacted())];
    const before = ids(sortTickets(list, 'due'));
    // the clock states change with time (2 is overdue, then 1 too), the order does not
    expect(list.map((t) => ticketClock(t, T0 + 45 * min).state)).toEqual(['overdue', 'overdue', 'paused', 'ok']);
    expect(ids(sortTickets(list, 'due'))).toEqual(before);
  });

  it('is the order of the active queue only; resolved and all tickets keep the server\'s', () => {
    expect(listOrder(DEFAULT_FILTER)).toBe('due');
    expect(listOrder({ ...DEFAULT_FILTER, sort: 'priority' })).toBe('priority');
    expect(listOrder({ ...DEFAULT_FILTER, status: 'resolved' })).toBe('priority');
    expect(listOrder({ ...DEFAULT_FILTER, status: 'all' })).toBe('priority');
  });
});

describe('live updates keep the order by SLA due', () => {
  const base = sortTickets([due(1, 10), due(2, 20), due(3, 30), due(4, 40)], 'due');

  it('a new ticket from the feed slides in at its due time', () => {
    expect(ids(upsertTicket(base, due(9, 25, { priority: 4 }), BY_DUE, me))).toEqual([1, 2, 9, 3, 4]);
    expect(ids(upsertTicket(base, due(8, -3, { priority: 4 }), BY_DUE, me))).toEqual([8, 1, 2, 3, 4]);
  });

  it('a take moves the ticket to its resolution due; a pause moves it after the running ones; a resume brings it back', () => {
    const taken = due(1, 10, { ...reacted(T0), updatedAt: iso(T0 + 1000) }); // resolution due at +610 min
    const afterTake = upsertTicket(base, taken, BY_DUE, me);
    expect(ids(afterTake)).toEqual([2, 3, 4, 1]);
    const paused = due(2, 20, { ...waiting(0), updatedAt: iso(T0 + 2000) });
    const afterPause = upsertTicket(afterTake, paused, BY_DUE, me);
    expect(ids(afterPause)).toEqual([3, 4, 1, 2]);
    // resumed: the resolution due pushed back by the time spent waiting, still before 1's
    const resumed = due(2, 20, { ...reacted(T0 - 50 * min), resolveBy: iso(T0 + 300 * min), updatedAt: iso(T0 + 3000) });
    expect(ids(upsertTicket(afterPause, resumed, BY_DUE, me))).toEqual([3, 4, 2, 1]);
  });

  it('a resolved ticket leaves the list', () => {
    expect(ids(upsertTicket(base, due(2, 20, { status: 'resolved', resolvedAt: iso(T0), updatedAt: iso(T0 + 1000) }), BY_DUE, me))).toEqual([1, 3, 4]);
  });

  const arbitraryTicket = fc.record({
    id: fc.integer({ min: 1, max: 60 }),
    react: fc.integer({ min: -300, max: 300 }),
    priority: fc.constantFrom(1, 2, 3, 4),
    state: fc.constantFrom('open', 'taken', 'waiting', 'resolved'),
    pausedMin: fc.integer({ min: -300, max: 0 }),
  });
  const toTicket = (t: { id: number; react: number; priority: number; state: string; pausedMin: number }, seq: number) =>
    due(t.id, t.react, {
      priority: t.priority as TicketSummary['priority'],
      updatedAt: iso(T0 + seq * 1000),
      ...(t.state === 'taken' ? reacted() : t.state === 'waiting' ? waiting(t.pausedMin) : t.state === 'resolved' ? { status: 'resolved', resolvedAt: iso(T0) } : {}),
    });

  it('any run of feed updates leaves the list as if sorted afresh, each ticket once', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTicket, { maxLength: 120 }), (updates) => {
        let list: readonly TicketSummary[] = [];
        updates.forEach((u, seq) => (list = upsertTicket(list, toTicket(u, seq), BY_DUE, me)));
        expect(ids(list)).toEqual(ids(sortTickets(list, 'due')));
        expect(new Set(ids(list)).size).toBe(list.length);
        expect(list.every((t) => t.status === 'open' || t.status === 'in_progress')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('pages arriving by priority merge into the due order, with tickets the feed delivered first', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbitraryTicket, { selector: (t) => t.id, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (raw, pageSize) => {
        const all = raw.filter((t) => t.state !== 'resolved').map((t) => toTicket(t, 0));
        const serverOrder = sortTickets(all, 'priority');
        let held: readonly TicketSummary[] = [];
        for (let from = 0; from < serverOrder.length; from += pageSize) {
          // the feed delivers a newer copy of a ticket of a later page first
          const later = serverOrder[from + pageSize];
          if (later) held = upsertTicket(held, { ...later, updatedAt: iso(T0 + 5000) }, BY_DUE, me);
          held = mergePage(held, serverOrder.slice(from, from + pageSize), new Map(), 'due');
        }
        expect(ids(held)).toEqual(ids(sortTickets(all, 'due')));
      }),
      { numRuns: 150 },
    );
  });
});

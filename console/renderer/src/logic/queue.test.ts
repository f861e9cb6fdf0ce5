import { TicketSummary } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { iso, makeTicket, T0 } from '../testing/fixtures';
import { DEFAULT_FILTER } from './filters';
import { compareTickets, insertionIndex, matchesClientFilter, matchesServerFilter, mergePage, sortTickets, upsertTicket } from './queue';

const me = { username: 'ivanov', groups: [] as string[] };
const BY_PRIORITY = { ...DEFAULT_FILTER, sort: 'priority' as const };
const ids = (list: readonly { id: number }[]) => list.map((t) => t.id);

describe('sorting', () => {
  it('puts the most severe first, then the oldest, then the lower id', () => {
    const list = [
      makeTicket(1, { priority: 3, openedMin: 0 }),
      makeTicket(2, { priority: 1, openedMin: 50 }),
      makeTicket(3, { priority: 1, openedMin: 10 }),
      makeTicket(4, { priority: 2, openedMin: 5 }),
      makeTicket(5, { priority: 1, openedMin: 10 }),
    ];
    expect(ids(sortTickets(list))).toEqual([3, 5, 2, 4, 1]);
    expect(ids([...list].sort(compareTickets))).toEqual([3, 5, 2, 4, 1]);
  });
  it('compares instants, not strings (fractional seconds)', () => {
    const a = makeTicket(1, { openedAt: '2026-03-02T09:00:00.500Z' });
    const b = makeTicket(2, { openedAt: '2026-03-02T09:00:00Z' });
    expect(ids(sortTickets([a, b]))).toEqual([2, 1]);
  });
  it('fixtures are valid API shapes', () => {
    expect(TicketSummary.safeParse(makeTicket(1)).success).toBe(true);
  });
});

describe('upsertTicket', () => {
  const base = sortTickets([makeTicket(1, { priority: 2 }), makeTicket(2, { priority: 3 }), makeTicket(3, { priority: 4 })]);

  it('inserts a new ticket in order', () => {
    const p1 = makeTicket(9, { priority: 1, openedMin: 60 });
    expect(ids(upsertTicket(base, p1, BY_PRIORITY, me))).toEqual([9, 1, 2, 3]);
    const p3 = makeTicket(8, { priority: 3, openedMin: -5 });
    expect(ids(upsertTicket(base, p3, BY_PRIORITY, me))).toEqual([1, 8, 2, 3]);
  });

  it('replaces by id and re-sorts when the priority changes', () => {
    const escalated = makeTicket(3, { priority: 1, updatedAt: iso(T0 + 1000) });
    const next = upsertTicket(base, escalated, BY_PRIORITY, me);
    expect(ids(next)).toEqual([3, 1, 2]);
    expect(next[0]).toBe(escalated);
  });

  it("drops a resolved ticket from the 'active' view and keeps it in 'all'", () => {
    const resolved = makeTicket(2, { priority: 3, status: 'resolved', updatedAt: iso(T0 + 1000) });
    expect(ids(upsertTicket(base, resolved, BY_PRIORITY, me))).toEqual([1, 3]);
    expect(ids(upsertTicket(base, resolved, { ...BY_PRIORITY, status: 'all' }, me))).toEqual([1, 2, 3]);
  });

  it('ignores an update older than the copy held', () => {
    const held = sortTickets([makeTicket(1, { updatedAt: iso(T0 + 5000), assignee: 'ivanov' })]);
    const stale = makeTicket(1, { updatedAt: iso(T0), assignee: null });
    expect(upsertTicket(held, stale, BY_PRIORITY, me)).toBe(held);
  });

  it('returns the same array when a non-matching ticket arrives', () => {
    const other = makeTicket(7, { group: 'fiscal' });
    expect(upsertTicket(base, other, { ...BY_PRIORITY, group: 'printers' }, me)).toBe(base);
  });

  it('keeps the list sorted over many random upserts', () => {
    let list: readonly ReturnType<typeof makeTicket>[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const id = 1 + Math.floor(rnd() * 120);
      list = upsertTicket(list, makeTicket(id, { priority: 1 + Math.floor(rnd() * 4), openedMin: Math.floor(rnd() * 100), updatedAt: iso(T0 + i * 1000) }), BY_PRIORITY, me);
    }
    expect(ids(list)).toEqual(ids(sortTickets(list)));
    expect(new Set(ids(list)).size).toBe(list.length);
  });

  it('insertionIndex finds the sorted position', () => {
    expect(insertionIndex(base, makeTicket(0, { priority: 1 }))).toBe(0);
    expect(insertionIndex(base, makeTicket(99, { priority: 4, openedMin: 9 }))).toBe(3);
  });
});

describe('filters', () => {
  it('applies the server-side part to feed tickets', () => {
    const t = makeTicket(1, { group: 'printers', storeId: 'S1', assignee: 'ivanov' });
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, group: 'fiscal' }, me)).toBe(false);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, storeId: 'S2' }, me)).toBe(false);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, mine: true }, me)).toBe(true);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, mine: true }, { username: 'petrov', groups: [] })).toBe(false);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, status: 'resolved' }, me)).toBe(false);
    expect(matchesServerFilter({ ...t, status: 'closed' }, { ...DEFAULT_FILTER, status: 'resolved' }, me)).toBe(true);
  });
  it('applies "my groups" only for an engineer in a group, and the category', () => {
    const t = makeTicket(1, { group: 'printers', category: 'printer' });
    const fiscalEngineer = { username: 'petrov', groups: ['fiscal', 'third_line'] };
    expect(matchesServerFilter(t, DEFAULT_FILTER, fiscalEngineer)).toBe(false);
    expect(matchesServerFilter({ ...t, group: 'third_line' }, DEFAULT_FILTER, fiscalEngineer)).toBe(true);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, myGroups: false }, fiscalEngineer)).toBe(true);
    expect(matchesServerFilter(t, DEFAULT_FILTER, me)).toBe(true);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, category: 'fiscal' }, me)).toBe(false);
    expect(matchesServerFilter(t, { ...DEFAULT_FILTER, category: 'printer' }, me)).toBe(true);
  });
  it('never lists a store incident\'s symptom as a row of its own', () => {
    expect(matchesServerFilter(makeTicket(2, { parentId: 1 }), { ...DEFAULT_FILTER, status: 'all' }, me)).toBe(false);
    expect(ids(upsertTicket([makeTicket(1, { scope: 'store', symptoms: 1 })], makeTicket(2, { parentId: 1 }), DEFAULT_FILTER, me))).toEqual([1]);
  });
  it('applies unassigned and overdue in the renderer', () => {
    const t = makeTicket(1);
    expect(matchesClientFilter(t, { ...DEFAULT_FILTER, unassigned: true }, T0)).toBe(true);
    expect(matchesClientFilter({ ...t, assignee: 'x' }, { ...DEFAULT_FILTER, unassigned: true }, T0)).toBe(false);
    expect(matchesClientFilter(t, { ...DEFAULT_FILTER, overdue: true }, T0)).toBe(false);
    expect(matchesClientFilter(t, { ...DEFAULT_FILTER, overdue: true }, T0 + 31 * 60_000)).toBe(true);
    // a waiting ticket's clock is paused: not overdue however late it is
    expect(matchesClientFilter({ ...t, waitingOn: 'store', pausedAt: iso(T0 + 60_000) }, { ...DEFAULT_FILTER, overdue: true }, T0 + 999 * 60_000)).toBe(false);
  });
});

describe('pages', () => {
  const list = Array.from({ length: 6 }, (_, i) => makeTicket(i + 1, { openedMin: i }));

  it('appends a page that continues the list, as the same array contents in order', () => {
    expect(ids(mergePage(list.slice(0, 3), list.slice(3)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids(mergePage([], list.slice(0, 2)))).toEqual([1, 2]);
  });

  it('keeps one copy of a ticket the feed delivered before its page, the later one', () => {
    const fromFeed = makeTicket(5, { openedMin: 4, updatedAt: iso(T0 + 99 * 60_000), assignee: 'ivanov' });
    const held = [...list.slice(0, 3), fromFeed];
    const merged = mergePage(held, list.slice(3));
    expect(ids(merged)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged.find((t) => t.id === 5)!.assignee).toBe('ivanov');
    const newer = makeTicket(2, { openedMin: 1, updatedAt: iso(T0 + 120 * 60_000), assignee: 'petrov' });
    expect(mergePage(list, [newer]).find((t) => t.id === 2)!.assignee).toBe('petrov');
  });

  it('does not bring back a ticket the feed removed while its older copy was on the way', () => {
    const removedAt = iso(T0 + 60 * 60_000);
    expect(ids(mergePage(list.slice(0, 3), list.slice(3), new Map([[5, removedAt]])))).toEqual([1, 2, 3, 4, 6]);
    const reopenedLater = makeTicket(5, { openedMin: 4, updatedAt: iso(T0 + 61 * 60_000) });
    expect(ids(mergePage(list.slice(0, 3), [reopenedLater], new Map([[5, removedAt]])))).toEqual([1, 2, 3, 5]);
  });
});

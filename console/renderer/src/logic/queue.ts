import type { Me, TicketSummary } from '@tillscope/shared';
import { listOrder, type QueueFilter, type QueueSort } from './filters';
import { clockUrgency, isOverdue } from './sla';

/**
 * A ticket's place in an order as numbers compared left to right; the id comes last so the order is
 * total and stable.
 * - 'priority': the most severe (P1) first, then the oldest.
 * - 'due': running clocks before paused ones; a running clock by its due instant (the most overdue
 *   first), a paused one by the time it had left (clockUrgency); then the priority.
 */
export function sortKey(ticket: TicketSummary, order: QueueSort): readonly number[] {
  if (order === 'priority') return [ticket.priority, Date.parse(ticket.openedAt), ticket.id];
  const { paused, at } = clockUrgency(ticket);
  return [paused ? 1 : 0, at, ticket.priority, ticket.id];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

export function compareTickets(a: TicketSummary, b: TicketSummary, order: QueueSort = 'priority'): number {
  return compareKeys(sortKey(a, order), sortKey(b, order));
}

export function sortTickets(tickets: readonly TicketSummary[], order: QueueSort = 'priority'): TicketSummary[] {
  // Decorate once: the key inside the comparator would be computed ~n log n times for 10k rows.
  return tickets
    .map((t) => ({ t, key: sortKey(t, order) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.t);
}

export function isActiveStatus(status: TicketSummary['status']): boolean {
  return status === 'open' || status === 'in_progress';
}

/**
 * The whole filter as the server applies it to a page, re-applied to tickets that arrive on the
 * live feed and to the active queue (loaded whole). A store incident's symptom is never a row of
 * its own (the server leaves them out too): its incident is.
 */
export function matchesServerFilter(ticket: TicketSummary, filter: QueueFilter, me: Pick<Me, 'username' | 'groups'> | null, nowMs: number = Date.now()): boolean {
  if (ticket.parentId !== null) return false;
  if (filter.status === 'active' && !isActiveStatus(ticket.status)) return false;
  if (filter.status === 'resolved' && isActiveStatus(ticket.status)) return false;
  if (filter.group && ticket.group !== filter.group) return false;
  if (filter.myGroups && me && me.groups.length > 0 && !me.groups.includes(ticket.group)) return false;
  if (filter.category && ticket.category !== filter.category) return false;
  if (filter.storeId && ticket.storeId !== filter.storeId) return false;
  if (filter.mine && (!me || ticket.assignee !== me.username)) return false;
  return matchesClientFilter(ticket, filter, nowMs);
}

/** "Unassigned" and "overdue": the part a take, a pause or the passing time changes. */
export function matchesClientFilter(ticket: TicketSummary, filter: QueueFilter, nowMs: number): boolean {
  if (filter.unassigned && ticket.assignee !== null) return false;
  if (filter.overdue && !isOverdue(ticket, nowMs)) return false;
  return true;
}

/** Index at which `ticket` keeps a sorted list sorted (binary search). */
export function insertionIndex(sorted: readonly TicketSummary[], ticket: TicketSummary, order: QueueSort = 'priority'): number {
  const key = sortKey(ticket, order);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sortKey(sorted[mid]!, order), key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Applies one ticket from the feed or an action reply to a list sorted in `listOrder(filter)`
 * (the filter it was loaded for): replaces it by id, drops
 * it when it no longer matches the filter (a resolved ticket leaves the 'active' view), inserts a
 * new one in order. A copy older than the one held (by updatedAt) is ignored. Returns the same
 * array when nothing changed, so callers can skip a render.
 */
export function upsertTicket(
  sorted: readonly TicketSummary[],
  ticket: TicketSummary,
  filter: QueueFilter,
  me: Pick<Me, 'username' | 'groups'> | null,
): readonly TicketSummary[] {
  const at = sorted.findIndex((t) => t.id === ticket.id);
  const held = at >= 0 ? sorted[at]! : null;
  if (held && Date.parse(held.updatedAt) > Date.parse(ticket.updatedAt)) return sorted;
  const keep = matchesServerFilter(ticket, filter, me);
  if (!held && !keep) return sorted;
  const next = held ? [...sorted.slice(0, at), ...sorted.slice(at + 1)] : [...sorted];
  if (keep) next.splice(insertionIndex(next, ticket, listOrder(filter)), 0, ticket);
  return next;
}

/**
 * Adds a page of the list (from the server, in its order: by priority) to the tickets held (sorted
 * in `order`). A ticket may be in both when the live feed delivered it first: the copy with the
 * later `updatedAt` stays, once. `gone` holds tickets the feed removed from this view meanwhile
 * (id → updatedAt of the removal): an older copy in a page that was already on its way does not
 * bring them back.
 */
export function mergePage(
  held: readonly TicketSummary[],
  page: readonly TicketSummary[],
  gone: ReadonlyMap<number, string> = new Map(),
  order: QueueSort = 'priority',
): readonly TicketSummary[] {
  const fresh = page.filter((t) => {
    const removedAt = gone.get(t.id);
    return removedAt === undefined || Date.parse(t.updatedAt) > Date.parse(removedAt);
  });
  if (fresh.length === 0) return held;
  const index = new Map(held.map((t, i) => [t.id, i]));
  const incoming = order === 'priority' ? fresh : sortTickets(fresh, order);
  const last = held[held.length - 1];
  // The usual case by priority: the page continues the list and the feed added none of its tickets.
  if ((!last || compareTickets(last, incoming[0]!, order) < 0) && incoming.every((t) => !index.has(t.id))) return [...held, ...incoming];
  const replaced = new Set<number>();
  const added: TicketSummary[] = [];
  for (const ticket of incoming) {
    const at = index.get(ticket.id);
    if (at !== undefined && Date.parse(ticket.updatedAt) <= Date.parse(held[at]!.updatedAt)) continue;
    if (at !== undefined) replaced.add(ticket.id);
    added.push(ticket);
  }
  if (added.length === 0) return held;
  // Two sorted runs, one after the other: the engine's merge sort joins them in one pass.
  return sortTickets([...(replaced.size > 0 ? held.filter((t) => !replaced.has(t.id)) : held), ...added], order);
}

import type { Me, TicketSummary } from '@tillscope/shared';
import type { QueueFilter } from './filters';
import { isOverdue } from './sla';

/** Most severe first (P1), then oldest, then by id so the order is total and stable. */
export function compareTickets(a: TicketSummary, b: TicketSummary): number {
  return a.priority - b.priority || Date.parse(a.openedAt) - Date.parse(b.openedAt) || a.id - b.id;
}

export function sortTickets(tickets: readonly TicketSummary[]): TicketSummary[] {
  // Decorate once: Date.parse inside the comparator would run ~n log n times for 10k rows.
  return tickets
    .map((t) => ({ t, opened: Date.parse(t.openedAt) }))
    .sort((a, b) => a.t.priority - b.t.priority || a.opened - b.opened || a.t.id - b.t.id)
    .map((x) => x.t);
}

export function isActiveStatus(status: TicketSummary['status']): boolean {
  return status === 'open' || status === 'in_progress';
}

/**
 * The server-side part of the filter, re-applied to tickets that arrive on the live feed. A store
 * incident's symptom is never a row of its own (the server leaves them out too): its incident is.
 */
export function matchesServerFilter(ticket: TicketSummary, filter: QueueFilter, me: Pick<Me, 'username' | 'groups'> | null): boolean {
  if (ticket.parentId !== null) return false;
  if (filter.status === 'active' && !isActiveStatus(ticket.status)) return false;
  if (filter.status === 'resolved' && isActiveStatus(ticket.status)) return false;
  if (filter.group && ticket.group !== filter.group) return false;
  if (filter.myGroups && me && me.groups.length > 0 && !me.groups.includes(ticket.group)) return false;
  if (filter.category && ticket.category !== filter.category) return false;
  if (filter.storeId && ticket.storeId !== filter.storeId) return false;
  if (filter.mine && (!me || ticket.assignee !== me.username)) return false;
  return true;
}

/** The renderer-only part of the filter (not a server query parameter). */
export function matchesClientFilter(ticket: TicketSummary, filter: QueueFilter, nowMs: number): boolean {
  if (filter.unassigned && ticket.assignee !== null) return false;
  if (filter.overdue && !isOverdue(ticket, nowMs)) return false;
  return true;
}

/** Index at which `ticket` keeps a sorted list sorted (binary search). */
export function insertionIndex(sorted: readonly TicketSummary[], ticket: TicketSummary): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTickets(sorted[mid]!, ticket) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Applies one ticket from the feed or an action reply to a sorted list: replaces it by id, drops
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
  if (keep) next.splice(insertionIndex(next, ticket), 0, ticket);
  return next;
}

/**
 * Adds a page of the list (sorted, from the server) to the tickets held (sorted). A ticket may be
 * in both when the live feed delivered it first: the copy with the later `updatedAt` stays, once.
 * `gone` holds tickets the feed removed from this view meanwhile (id → updatedAt of the removal):
 * an older copy in a page that was already on its way does not bring them back.
 */
export function mergePage(
  held: readonly TicketSummary[],
  page: readonly TicketSummary[],
  gone: ReadonlyMap<number, string> = new Map(),
): readonly TicketSummary[] {
  const fresh = page.filter((t) => {
    const removedAt = gone.get(t.id);
    return removedAt === undefined || Date.parse(t.updatedAt) > Date.parse(removedAt);
  });
  if (fresh.length === 0) return held;
  const index = new Map(held.map((t, i) => [t.id, i]));
  const last = held[held.length - 1];
  // The usual case: the page continues the list and the feed added none of its tickets.
  if ((!last || compareTickets(last, fresh[0]!) < 0) && fresh.every((t) => !index.has(t.id))) return [...held, ...fresh];
  const merged = [...held];
  const added: TicketSummary[] = [];
  for (const ticket of fresh) {
    const at = index.get(ticket.id);
    if (at === undefined) added.push(ticket);
    else if (Date.parse(ticket.updatedAt) > Date.parse(merged[at]!.updatedAt)) merged[at] = ticket;
  }
  return sortTickets([...merged, ...added]);
}

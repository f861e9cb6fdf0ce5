import type { TicketSummary } from '@tillscope/shared';
import { isActiveStatus } from './queue';

/** A ticket opened longer ago than this is not "new" even if this client never saw it before. */
export const NEW_TICKET_WINDOW_MS = 10 * 60_000;

/**
 * Decides which feed updates deserve a desktop notification: a P1 this client has not seen as P1
 * before, still active, opened recently. Tickets from list loads are marked seen so a reload or a
 * reconnect does not notify again.
 */
export class P1Watch {
  private readonly seenPriority = new Map<number, number>();

  markSeen(tickets: Iterable<TicketSummary>): void {
    for (const t of tickets) this.remember(t);
  }

  /** Records the ticket; true when it should raise a notification. */
  check(ticket: TicketSummary, nowMs: number): boolean {
    const before = this.seenPriority.get(ticket.id);
    this.remember(ticket);
    if (ticket.priority !== 1 || !isActiveStatus(ticket.status)) return false;
    if (before === 1) return false;
    return nowMs - Date.parse(ticket.openedAt) <= NEW_TICKET_WINDOW_MS;
  }

  private remember(t: TicketSummary): void {
    const before = this.seenPriority.get(t.id);
    this.seenPriority.set(t.id, before === undefined ? t.priority : Math.min(before, t.priority));
  }
}

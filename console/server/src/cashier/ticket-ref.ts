import type { TicketProgress, TicketRef } from '@tillscope/shared';
import type { TicketRow } from '../db/rows';

/**
 * Where the ticket stands in the cashier's words (TicketProgress in shared), from its status,
 * assignee and wait. Settled states first: a resolution ends a wait (RESOLUTION_ENDS_WAIT), and a
 * wait is what the cashier needs to hear even while an engineer holds the ticket.
 */
export function ticketProgress(ticket: Pick<TicketRow, 'status' | 'assignee' | 'waiting_on'>): TicketProgress {
  if (ticket.status === 'closed') return 'closed';
  if (ticket.status === 'resolved') return 'resolved';
  if (ticket.waiting_on === 'vendor') return 'waiting_vendor';
  if (ticket.waiting_on === 'store') return 'waiting_store';
  return ticket.status === 'in_progress' || ticket.assignee !== null ? 'taken' : 'queued';
}

/** When a resolved ticket closes by itself if the cashier does not answer; undefined unless resolved. */
export function autoCloseAt(ticket: Pick<TicketRow, 'status' | 'resolved_at'>, autoCloseHours: number): string | undefined {
  if (ticket.status !== 'resolved' || ticket.resolved_at === null) return undefined;
  return new Date(Date.parse(ticket.resolved_at) + autoCloseHours * 3_600_000).toISOString();
}

/** The TicketRef a cashier's register hears in acks and ticket_update messages. */
export function cashierTicketRef(
  ticket: Pick<TicketRow, 'id' | 'status' | 'react_by' | 'assignee' | 'waiting_on' | 'resolved_at'>, reactMinutes: number, autoCloseHours: number,
): TicketRef {
  const closesAt = autoCloseAt(ticket, autoCloseHours);
  return {
    ticketId: ticket.id,
    status: ticket.status,
    reactBy: ticket.react_by,
    reactMinutes,
    progress: ticketProgress(ticket),
    ...(closesAt ? { autoCloseAt: closesAt } : {}),
  };
}

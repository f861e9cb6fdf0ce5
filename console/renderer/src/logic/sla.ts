import type { TicketSummary } from '@tillscope/shared';

/** ok: in time; amber: under a quarter of the window left; red: deadline passed; done: closed. */
export type SlaState = 'ok' | 'amber' | 'red' | 'done';

export const AMBER_FRACTION = 0.25;

/** State of one SLA window that started at `startMs` and ends at `deadlineMs`. */
export function slaState(startMs: number, deadlineMs: number, nowMs: number): Exclude<SlaState, 'done'> {
  const remaining = deadlineMs - nowMs;
  if (remaining <= 0) return 'red';
  const total = deadlineMs - startMs;
  if (total <= 0) return 'ok';
  return remaining < total * AMBER_FRACTION ? 'amber' : 'ok';
}

export interface SlaClock {
  /** which deadline the countdown is running to */
  kind: 'react' | 'resolve' | 'none';
  state: SlaState;
  /** negative once overdue */
  remainingMs: number;
  deadline: string | null;
}

/**
 * The clock the queue shows: an open ticket counts down to its reaction deadline; once somebody
 * took it, to its resolution deadline; a resolved ticket has no running clock.
 */
export function ticketSla(ticket: Pick<TicketSummary, 'status' | 'openedAt' | 'reactBy' | 'resolveBy'>, nowMs: number): SlaClock {
  if (ticket.status === 'resolved' || ticket.status === 'closed') {
    return { kind: 'none', state: 'done', remainingMs: 0, deadline: null };
  }
  const kind = ticket.status === 'open' ? 'react' : 'resolve';
  const deadline = kind === 'react' ? ticket.reactBy : ticket.resolveBy;
  const deadlineMs = Date.parse(deadline);
  return { kind, state: slaState(Date.parse(ticket.openedAt), deadlineMs, nowMs), remainingMs: deadlineMs - nowMs, deadline };
}

export function isOverdue(ticket: Pick<TicketSummary, 'status' | 'openedAt' | 'reactBy' | 'resolveBy'>, nowMs: number): boolean {
  return ticketSla(ticket, nowMs).state === 'red';
}

import { slaClock, type SlaClockState, type TicketSummary, type VendorTracking } from '@tillscope/shared';

// The ticket's SLA clocks as the renderer shows them. The colour comes from the shared slaClock
// (the server's overdue filter and SLA watch use the same one); this file only decides which
// clock applies and what its start, due, done and paused instants are.

export type ClockTicket = Pick<TicketSummary, 'status' | 'openedAt' | 'reactBy' | 'resolveBy' | 'resolvedAt' | 'reactedAt' | 'waitingOn' | 'pausedAt'>;

export interface TicketClock {
  /** which deadline the clock runs to: the store's reaction or resolution, or the vendor's own */
  kind: 'react' | 'resolve' | 'vendor';
  state: SlaClockState;
  /** ms until due (negative once overdue); while paused, what was left; when met, the margin */
  remainingMs: number;
  dueAt: string;
  /** the clock stopped for good (reacted, resolved): overdue then means it was missed */
  done: boolean;
}

function isClosed(ticket: Pick<TicketSummary, 'status'>): boolean {
  return ticket.status === 'resolved' || ticket.status === 'closed';
}

/** Reacted: an engineer took, assigned, answered or resolved it (an older ticket without reactedAt: it left 'open'). */
export function hasReacted(ticket: Pick<TicketSummary, 'status' | 'reactedAt'>): boolean {
  return ticket.reactedAt !== null || ticket.status !== 'open';
}

function pausedAt(ticket: ClockTicket): string | null {
  return ticket.waitingOn !== null ? (ticket.pausedAt ?? null) : null;
}

/**
 * The reaction clock; null when the ticket left 'open' without a recorded reaction (tickets from
 * before reactions were recorded): its margin is unknown, only the due date is shown.
 */
export function reactClock(ticket: ClockTicket, nowMs: number): TicketClock | null {
  const doneAt = ticket.reactedAt ?? (isClosed(ticket) ? ticket.resolvedAt : null);
  if (doneAt === null && hasReacted(ticket)) return null;
  const clock = slaClock({ startAt: ticket.openedAt, dueAt: ticket.reactBy, doneAt, pausedAt: doneAt ? null : pausedAt(ticket) }, nowMs);
  return { kind: 'react', ...clock, dueAt: ticket.reactBy, done: doneAt !== null };
}

/** The resolution clock: met (or missed) once resolved, paused while the ticket waits. */
export function resolveClock(ticket: ClockTicket, nowMs: number): TicketClock {
  const doneAt = isClosed(ticket) ? (ticket.resolvedAt ?? ticket.resolveBy) : null;
  const clock = slaClock({ startAt: ticket.openedAt, dueAt: ticket.resolveBy, doneAt, pausedAt: doneAt ? null : pausedAt(ticket) }, nowMs);
  return { kind: 'resolve', ...clock, dueAt: ticket.resolveBy, done: doneAt !== null };
}

/**
 * The vendor's own clock, from the escalation to the deadline agreed with the vendor; it runs while
 * the store's clocks wait on the vendor, and stops when the ticket is resolved. Null without a deadline.
 */
export function vendorClock(ticket: Pick<TicketSummary, 'status' | 'resolvedAt'>, vendor: Pick<VendorTracking, 'escalatedAt' | 'dueAt'>, nowMs: number): TicketClock | null {
  if (vendor.dueAt === null) return null;
  const doneAt = isClosed(ticket) ? (ticket.resolvedAt ?? vendor.dueAt) : null;
  const clock = slaClock({ startAt: vendor.escalatedAt, dueAt: vendor.dueAt, doneAt, pausedAt: null }, nowMs);
  return { kind: 'vendor', ...clock, dueAt: vendor.dueAt, done: doneAt !== null };
}

/** The clock the queue shows: the reaction clock until somebody reacted, then the resolution clock. */
export function ticketClock(ticket: ClockTicket, nowMs: number): TicketClock {
  if (!hasReacted(ticket)) return reactClock(ticket, nowMs)!;
  return resolveClock(ticket, nowMs);
}

/** A running clock past its due time (not paused, not met): the "overdue" filter. */
export function isOverdue(ticket: ClockTicket, nowMs: number): boolean {
  return !isClosed(ticket) && ticketClock(ticket, nowMs).state === 'overdue';
}

/**
 * Where the queue's clock (ticketClock) puts a ticket in the "by SLA due" order: a running clock by
 * its due instant (the earliest first, so the most overdue lead), a paused one by the time it had
 * left when it paused. Neither depends on the current time, so the order only changes when a ticket
 * does (a reaction switches to the resolution clock, a pause or a resume), never on a clock tick.
 */
export function clockUrgency(ticket: ClockTicket): { paused: boolean; at: number } {
  const clock = ticketClock(ticket, 0);
  return clock.state === 'paused' ? { paused: true, at: clock.remainingMs } : { paused: false, at: Date.parse(clock.dueAt) };
}

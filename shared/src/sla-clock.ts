// The colour of an SLA clock, one definition for the renderer (countdowns) and the server (the
// overdue filter, the SLA watch). Pure: instants in, state out; the due dates themselves are
// computed by the console in the store's business time (console/server/src/sla/).

/** ok → amber (a quarter of the time left) → red (a tenth left) → overdue; paused while waiting; met once done. */
export type SlaClockState = 'ok' | 'amber' | 'red' | 'overdue' | 'paused' | 'met';

/** The share of a clock's span left at which it turns amber, and red. */
export const SLA_AMBER_SHARE = 0.25;
export const SLA_RED_SHARE = 0.1;

export interface SlaClockInput {
  /** when the clock started (the ticket opened) */
  startAt: string;
  /** the due instant */
  dueAt: string;
  /** when the clock was met (reacted, resolved); null while running */
  doneAt: string | null;
  /** when the clock was paused (the ticket waits on the store or a vendor); null while running */
  pausedAt: string | null;
}

export interface SlaClock {
  state: SlaClockState;
  /** ms until due (negative once overdue); while paused, what was left when it paused; when met, the margin it was met by */
  remainingMs: number;
}

export function slaClock(input: SlaClockInput, nowMs: number): SlaClock {
  const due = Date.parse(input.dueAt);
  if (input.doneAt !== null) {
    const margin = due - Date.parse(input.doneAt);
    return { state: margin >= 0 ? 'met' : 'overdue', remainingMs: margin };
  }
  if (input.pausedAt !== null) return { state: 'paused', remainingMs: due - Date.parse(input.pausedAt) };
  const remainingMs = due - nowMs;
  if (remainingMs < 0) return { state: 'overdue', remainingMs };
  const span = Math.max(1, due - Date.parse(input.startAt));
  const share = remainingMs / span;
  return { state: share <= SLA_RED_SHARE ? 'red' : share <= SLA_AMBER_SHARE ? 'amber' : 'ok', remainingMs };
}

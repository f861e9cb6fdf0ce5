import { addBusinessMinutes, businessMinutesBetween } from './business-time';
import type { StoreCalendar } from './store-calendar';

// A ticket's SLA due dates in business time: set when it opens, pushed when it resumes after
// waiting on the store or a vendor. Pure; the deadlines stage reads the store calendar and the
// target and writes the result.

/** Business minutes to the first reaction and to resolution (an sla_targets row). */
export interface SlaTarget {
  reactMinutes: number;
  resolveMinutes: number;
}

export interface DueDates {
  reactBy: string;
  resolveBy: string;
}

/** The due dates of a ticket opened at `openedAtMs`: the targets counted in the store's business time. */
export function dueDates(openedAtMs: number, target: SlaTarget, calendar: StoreCalendar): DueDates {
  return {
    reactBy: iso(addBusinessMinutes(openedAtMs, target.reactMinutes, calendar)),
    resolveBy: iso(addBusinessMinutes(openedAtMs, target.resolveMinutes, calendar)),
  };
}

export interface Resumed {
  /** Business minutes the clocks stood still. */
  pausedMinutes: number;
  /** Each due date pushed by those minutes of business time; a clock already stopped (reacted) stays. */
  reactBy: string;
  resolveBy: string;
}

/**
 * The due dates after a pause from `pausedAtMs` to `resumedAtMs`: each pushed by the business
 * minutes that passed while waiting, so a ticket waiting over a weekend when the store is closed
 * loses nothing and one waiting through a whole business day gets that day back. A due date
 * already past when the pause began is pushed too: the pause still stopped its clock.
 */
export function resumedDueDates(due: DueDates, reacted: boolean, pausedAtMs: number, resumedAtMs: number, calendar: StoreCalendar): Resumed {
  const pausedMinutes = Math.max(0, businessMinutesBetween(pausedAtMs, resumedAtMs, calendar));
  const push = (at: string) => iso(addBusinessMinutes(Date.parse(at), pausedMinutes, calendar));
  return { pausedMinutes, reactBy: reacted ? due.reactBy : push(due.reactBy), resolveBy: push(due.resolveBy) };
}

const iso = (ms: number) => new Date(ms).toISOString();

import { localDayOf, nextDay, openIntervals, type StoreCalendar } from './store-calendar';

// Business-time arithmetic over a store calendar, on epoch milliseconds. SLA targets are minutes
// of business time: a ticket opened on Friday evening in a store open 9–21 on weekdays is due on
// Monday, and a public holiday counts for nothing.

const MINUTE_MS = 60_000;

/**
 * How many days to look ahead for business time before giving up. A calendar open at least one
 * weekday (storeCalendar checks that) finds some within weeks; only a calendar marking years of
 * days as holidays gets here.
 */
const HORIZON_DAYS = 3 * 366;

/** Not enough business time within the horizon (a calendar of holidays only). */
export class NoBusinessTime extends Error {
  readonly code = 'bad_request' as const;
  constructor(startMs: number) {
    super(`no business time within ${HORIZON_DAYS} days after ${new Date(startMs).toISOString()}`);
    this.name = 'NoBusinessTime';
  }
}

/**
 * The instant at which `minutes` of business time have passed since `startMs`. Zero minutes is the
 * start itself; otherwise the result always lies inside (or at the closing end of) an open interval,
 * the earliest such instant: a target that ends at closing time is due at closing, not next opening.
 */
export function addBusinessMinutes(startMs: number, minutes: number, calendar: StoreCalendar): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`business minutes must be ≥ 0, got ${minutes}`);
  let remaining = minutes * MINUTE_MS;
  if (remaining === 0) return startMs;
  let day = localDayOf(startMs, calendar);
  for (let i = 0; i < HORIZON_DAYS; i++, day = nextDay(day)) {
    for (const [open, close] of openIntervals(day, calendar)) {
      const from = Math.max(open, startMs);
      if (close <= from) continue;
      if (close - from >= remaining) return from + remaining;
      remaining -= close - from;
    }
  }
  throw new NoBusinessTime(startMs);
}

/**
 * Business minutes from `aMs` to `bMs` (negative when b is before a), possibly fractional: the
 * time of [a, b) that falls inside the store's open intervals.
 */
export function businessMinutesBetween(aMs: number, bMs: number, calendar: StoreCalendar): number {
  if (bMs < aMs) return -businessMinutesBetween(bMs, aMs, calendar);
  let total = 0;
  for (let day = localDayOf(aMs, calendar); day.toMillis() < bMs; day = nextDay(day)) {
    for (const [open, close] of openIntervals(day, calendar)) {
      total += Math.max(0, Math.min(close, bMs) - Math.max(open, aMs));
    }
  }
  return total / MINUTE_MS;
}

import { DateTime, IANAZone } from 'luxon';
import { isClosedAllWeek, spansOfDay, spansProblem, WEEKDAYS, type DayKind, type Weekday, type WeekSpans } from './business-hours';

// A store's business time: its IANA time zone, weekly hours and production-calendar days. The
// instants of a local day come from luxon (wall-clock times in the zone, so a DST change makes that
// day an hour shorter or longer); nothing here adds hours to instants by hand.

export interface StoreCalendar {
  readonly timeZone: string;
  readonly week: WeekSpans;
  /** Calendar days by local date 'YYYY-MM-DD'; a date not here is an ordinary day of its weekday. */
  readonly days: ReadonlyMap<string, DayKind>;
}

/** A calendar that cannot give business time (unknown zone, bad hours, closed all week). */
export class InvalidCalendar extends Error {
  readonly code = 'bad_request' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCalendar';
  }
}

/**
 * Checks and freezes a store calendar. `dayLayers` apply in order, later ones winning: the chain's
 * days then the store's own days over them; none for a store that ignores holidays ('none').
 */
export function storeCalendar(timeZone: string, week: WeekSpans, ...dayLayers: ReadonlyMap<string, DayKind>[]): StoreCalendar {
  if (!IANAZone.isValidZone(timeZone)) throw new InvalidCalendar(`unknown time zone '${timeZone}'`);
  for (const day of WEEKDAYS) {
    const problem = spansProblem(week[day]);
    if (problem) throw new InvalidCalendar(`weekday ${day}: ${problem}`);
  }
  if (isClosedAllWeek(week)) throw new InvalidCalendar('the store is closed every day of the week');
  const days = new Map<string, DayKind>();
  for (const layer of dayLayers) for (const [date, kind] of layer) days.set(date, kind);
  return { timeZone, week, days };
}

/** Local midnight of the day holding `ms`, in the store's zone. */
export function localDayOf(ms: number, calendar: StoreCalendar): DateTime {
  return DateTime.fromMillis(ms, { zone: calendar.timeZone }).startOf('day');
}

/** The next local day's start (startOf again: where midnight falls in a DST gap, the day starts later). */
export function nextDay(day: DateTime): DateTime {
  return day.plus({ days: 1 }).startOf('day');
}

/**
 * The open intervals [startMs, endMs) of one local day (given as its local midnight), in order.
 * A wall-clock time a DST gap skips moves forward by the gap (luxon's rule); an ambiguous one
 * (the repeated hour) takes the earlier offset. '24:00' is the next day's local midnight.
 */
export function openIntervals(day: DateTime, calendar: StoreCalendar): [number, number][] {
  const spans = spansOfDay(calendar.week, day.weekday as Weekday, calendar.days.get(day.toISODate() ?? ''));
  const intervals: [number, number][] = [];
  let previousEnd = -Infinity;
  for (const { from, to } of spans) {
    const start = Math.max(wallClock(day, from), previousEnd);
    const end = wallClock(day, to);
    if (end <= start) continue;
    intervals.push([start, end]);
    previousEnd = end;
  }
  return intervals;
}

function wallClock(day: DateTime, minutes: number): number {
  if (minutes >= 24 * 60) return nextDay(day).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

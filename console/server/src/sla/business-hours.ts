// A store's opening hours as pure data: which minutes of a local day count as business time.
// No instants here: store-calendar.ts turns a local day's spans into UTC instants with luxon.

/** ISO weekday as luxon numbers it: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const WORKWEEK: readonly Weekday[] = [1, 2, 3, 4, 5];

export const DAY_MINUTES = 24 * 60;

/** Open from `from` to `to`, minutes after local midnight; 0 ≤ from < to ≤ 1440 (1440 = 24:00). */
export interface OpenSpan {
  from: number;
  to: number;
}

/** Open spans per weekday, sorted and not overlapping; an empty list is a closed day. */
export type WeekSpans = Readonly<Record<Weekday, readonly OpenSpan[]>>;

/**
 * What the production calendar says of one date (absent = an ordinary day of its weekday):
 * - holiday: no business time at all (a public holiday or a day off moved onto a weekday).
 * - working: a day off made a working day (a transferred working Saturday).
 * - short: a working day one hour shorter, the day before a public holiday (Labour Code of the
 *   Russian Federation, art. 95 part 1). Also used for a short working Saturday (t=2 on a weekend).
 */
export type DayKind = 'holiday' | 'short' | 'working';
export const DAY_KINDS: readonly DayKind[] = ['holiday', 'short', 'working'];

/** The same hours every day, round the clock: the '24/7' store. */
export const ROUND_THE_CLOCK: WeekSpans = weekly(() => [{ from: 0, to: DAY_MINUTES }]);

/** Builds WeekSpans from a function of the weekday. */
export function weekly(spansOf: (day: Weekday) => readonly OpenSpan[]): WeekSpans {
  return { 1: spansOf(1), 2: spansOf(2), 3: spansOf(3), 4: spansOf(4), 5: spansOf(5), 6: spansOf(6), 7: spansOf(7) };
}

/** 'HH:MM' → minutes after midnight; '24:00' is the end of the day. Null when malformed. */
export function parseClock(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= DAY_MINUTES ? minutes : null;
}

/** Minutes after midnight → 'HH:MM' (1440 → '24:00'). */
export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Why a day's spans are not valid, or null: each from < to within 0..1440, sorted, apart. */
export function spansProblem(spans: readonly OpenSpan[]): string | null {
  let previousEnd = -1;
  for (const { from, to } of spans) {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > DAY_MINUTES) return 'a time lies outside 00:00–24:00';
    if (from >= to) return `opens at ${formatClock(from)} but closes at ${formatClock(to)}`;
    if (from < previousEnd) return 'spans overlap or are out of order';
    previousEnd = to;
  }
  return null;
}

export function isClosedAllWeek(week: WeekSpans): boolean {
  return WEEKDAYS.every((day) => week[day].length === 0);
}

/**
 * The spans of one date, given its weekday and calendar kind.
 * - holiday: none.
 * - working (a transferred working day, usually a Saturday): the store's own hours of that weekday
 *   when it opens then (a store open every day keeps its Saturday hours); a store closed on that
 *   weekday works it like its first open weekday Monday…Friday, since the day stands in for a
 *   weekday of the five-day week. The calendar does not say which weekday it replaces.
 * - short: the working day's spans with the last hour of opening cut (art. 95 part 1). A day open
 *   round the clock is not cut: art. 95 part 2 exempts continuous operation, and cutting 23:00–24:00
 *   out of a 24/7 store would invent a closure.
 */
export function spansOfDay(week: WeekSpans, weekday: Weekday, kind: DayKind | undefined): readonly OpenSpan[] {
  if (kind === undefined) return week[weekday];
  if (kind === 'holiday') return [];
  const working = workingDaySpans(week, weekday);
  return kind === 'short' ? shortenByAnHour(working) : working;
}

function workingDaySpans(week: WeekSpans, weekday: Weekday): readonly OpenSpan[] {
  if (week[weekday].length > 0) return week[weekday];
  const standIn = WORKWEEK.find((day) => week[day].length > 0);
  return standIn === undefined ? [] : week[standIn];
}

function shortenByAnHour(spans: readonly OpenSpan[]): readonly OpenSpan[] {
  if (spans.length === 1 && spans[0]?.from === 0 && spans[0].to === DAY_MINUTES) return spans;
  const cut: OpenSpan[] = spans.map((span) => ({ ...span }));
  let remaining = 60;
  for (let last = cut.at(-1); remaining > 0 && last; last = cut.at(-1)) {
    const taken = Math.min(remaining, last.to - last.from);
    last.to -= taken;
    remaining -= taken;
    if (last.to === last.from) cut.pop();
  }
  return cut;
}

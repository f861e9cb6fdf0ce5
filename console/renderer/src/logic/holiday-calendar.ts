import type { CalendarDay, CalendarDayKind, ImportCalendarRequest } from '@tillscope/shared';
import { DateTime } from 'luxon';

/** One month of the year view: weeks Monday first, each day an ISO date or null (outside the month). */
export interface MonthGrid {
  month: number;
  weeks: (string | null)[][];
}

/** The twelve months of a year as week rows (calendar dates, no time zone involved). */
export function yearGrid(year: number): MonthGrid[] {
  return Array.from({ length: 12 }, (_, index) => {
    const first = DateTime.utc(year, index + 1, 1);
    const days = first.daysInMonth ?? 31;
    const cells: (string | null)[] = Array.from({ length: first.weekday - 1 }, () => null);
    for (let day = 0; day < days; day++) cells.push(first.plus({ days: day }).toISODate());
    while (cells.length % 7) cells.push(null);
    const weeks: (string | null)[][] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    return { month: index + 1, weeks };
  });
}

/** Saturday or Sunday: a day off unless the calendar makes it a working day. */
export function isWeekend(date: string): boolean {
  return DateTime.fromISO(date, { zone: 'utc' }).weekday >= 6;
}

/**
 * What a day is in the view: the calendar's kind when listed, else a weekend or an ordinary
 * working day (the store's weekly hours decide the rest).
 */
export function dayKind(date: string, day: CalendarDay | undefined): CalendarDayKind | 'weekend' | 'ordinary' {
  return day?.kind ?? (isWeekend(date) ? 'weekend' : 'ordinary');
}

/** The year's days with one day set (kind null: back to an ordinary day), sorted by date. */
export function withDay(days: readonly CalendarDay[], date: string, kind: CalendarDayKind | null, note: string): CalendarDay[] {
  const others = days.filter((day) => day.date !== date);
  const next = kind === null ? others : [...others, { date, kind, note: note.trim() }];
  return next.sort((a, b) => a.date.localeCompare(b.date));
}

/** xmlcalendar.ru files are XML; anything else is read as CSV `date,kind,note`. */
export function detectCalendarFormat(fileName: string, text: string): ImportCalendarRequest['format'] {
  return /\.xml$/i.test(fileName) || /^\s*(<\?xml|<calendar)/i.test(text) ? 'xmlcalendar' : 'csv';
}

/** The number of days of each kind in a year, for the summary line. */
export function countKinds(days: readonly CalendarDay[]): Record<CalendarDayKind, number> {
  const counts: Record<CalendarDayKind, number> = { holiday: 0, short: 0, working: 0 };
  for (const day of days) counts[day.kind]++;
  return counts;
}

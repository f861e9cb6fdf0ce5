import {
  CalendarDay,
  DEFAULT_SLA_MINUTES,
  Priority,
  ServiceCategory,
  StoreCalendarMode,
  WeeklyHours,
  type CalendarId,
  type SlaTarget,
  type StoreSettings,
  UpdateStoreRequest,
} from '@tillscope/shared';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows } from '../db/rows';
import { parseClock, weekly, type DayKind, type WeekSpans } from './business-hours';
import { InvalidCalendar, storeCalendar, type StoreCalendar } from './store-calendar';

// The SLA settings in the console's database: targets per (category, priority), stores' zones,
// hours and calendar choice, and calendar days ('chain', or 'store:<id>' for a store's own). Reads
// take `sql`; writes take the connection of a db.write() transaction.

const TargetRow = z.object({ category: ServiceCategory, priority: Priority, react_minutes: z.number().int(), resolve_minutes: z.number().int() });
const StoreRow = z.object({
  id: z.string(),
  name: z.string(),
  time_zone: z.string(),
  hours_json: jsonColumn(WeeklyHours),
  calendar: StoreCalendarMode,
  registers: z.number().int(),
});
const DayRow = z.object({ date: z.string(), kind: CalendarDay.shape.kind, note: z.string() });

/** What a store without a row gets: the stores table's defaults (migration 010). */
/** A store without its own row (or one from before stores had zones) lives in Moscow time. */
export const DEFAULT_STORE_ZONE = 'Europe/Moscow';
const DEFAULT_STORE = { time_zone: DEFAULT_STORE_ZONE, hours: Array.from({ length: 7 }, () => ({ open: '08:00', close: '22:00' })), calendar: 'chain' as const };

export async function readTargets(sql: SqlConnection): Promise<SlaTarget[]> {
  const rows = parseRows(TargetRow, await sql.all('SELECT category, priority, react_minutes, resolve_minutes FROM sla_targets ORDER BY category, priority'));
  return rows.map((row) => ({ category: row.category, priority: row.priority, reactMinutes: row.react_minutes, resolveMinutes: row.resolve_minutes }));
}

/** The target of one (category, priority); the catalogue's default when the row is missing. */
export async function targetOf(sql: SqlConnection, category: ServiceCategory, priority: Priority): Promise<{ reactMinutes: number; resolveMinutes: number }> {
  const row = await sql.get<{ react_minutes: number; resolve_minutes: number }>(
    'SELECT react_minutes, resolve_minutes FROM sla_targets WHERE category = ? AND priority = ?', category, priority,
  );
  return row ? { reactMinutes: row.react_minutes, resolveMinutes: row.resolve_minutes } : DEFAULT_SLA_MINUTES[priority];
}

export async function writeTargets(sql: SqlConnection, targets: readonly SlaTarget[], by: string, atIso: string): Promise<void> {
  for (const target of targets) {
    await sql.run(
      `INSERT INTO sla_targets (category, priority, react_minutes, resolve_minutes, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (category, priority) DO UPDATE SET react_minutes = excluded.react_minutes, resolve_minutes = excluded.resolve_minutes,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      target.category, target.priority, target.reactMinutes, target.resolveMinutes, by, atIso,
    );
  }
}

const STORE_COLUMNS = `s.id, s.name, s.time_zone, s.hours_json, s.calendar,
  (SELECT COUNT(*) FROM agents a WHERE a.store_id = s.id) AS registers`;

export async function readStores(sql: SqlConnection): Promise<StoreSettings[]> {
  return parseRows(StoreRow, await sql.all(`SELECT ${STORE_COLUMNS} FROM stores s ORDER BY s.id`)).map(storeSettings);
}

export async function readStore(sql: SqlConnection, storeId: string): Promise<StoreSettings | null> {
  const row = await sql.get(`SELECT ${STORE_COLUMNS} FROM stores s WHERE s.id = ?`, storeId);
  return row === undefined ? null : storeSettings(StoreRow.parse(row));
}

function storeSettings(row: z.infer<typeof StoreRow>): StoreSettings {
  return { storeId: row.id, name: row.name, timeZone: row.time_zone, hours: row.hours_json, calendar: row.calendar, registers: row.registers };
}

/** Creates or edits a store; throws InvalidCalendar (unknown zone, closed all week) before writing. */
export async function writeStore(sql: SqlConnection, storeId: string, request: z.output<typeof UpdateStoreRequest>, by: string, atIso: string): Promise<void> {
  storeCalendar(request.timeZone, weekSpans(request.hours));
  await sql.run(
    `INSERT INTO stores (id, name, time_zone, hours_json, calendar, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, hours_json = excluded.hours_json,
       calendar = excluded.calendar, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    storeId, request.name, request.timeZone, JSON.stringify(request.hours), request.calendar, by, atIso,
  );
}

/** The wire's seven {open, close} | null (Monday first) as spans of minutes. */
export function weekSpans(hours: WeeklyHours): WeekSpans {
  return weekly((day) => {
    const entry = hours[day - 1];
    if (!entry) return [];
    return [{ from: parseClock(entry.open) ?? 0, to: parseClock(entry.close) ?? 0 }];
  });
}

/** The own-days calendar id of a store. */
export const ownCalendarId = (storeId: string): CalendarId => `store:${storeId}`;

/**
 * A store's business calendar: its zone and hours, and the days of the calendar it follows
 * (chain; chain then its own over them; none). A store without a row gets the table's defaults.
 */
export async function calendarOfStore(sql: SqlConnection, storeId: string | null): Promise<StoreCalendar> {
  const row = storeId === null ? undefined : await sql.get<{ time_zone: string; hours_json: string; calendar: string }>(
    'SELECT time_zone, hours_json, calendar FROM stores WHERE id = ?', storeId,
  );
  const mode = StoreCalendarMode.catch(DEFAULT_STORE.calendar).parse(row?.calendar);
  const hours = row ? WeeklyHours.parse(JSON.parse(row.hours_json)) : DEFAULT_STORE.hours;
  const layers = mode === 'none' ? [] : mode === 'chain' ? ['chain'] : ['chain', ownCalendarId(storeId ?? '')];
  const days = await Promise.all(layers.map((id) => dayKinds(sql, id)));
  return storeCalendar(row?.time_zone ?? DEFAULT_STORE.time_zone, weekSpans(hours), ...days);
}

async function dayKinds(sql: SqlConnection, calendarId: string): Promise<Map<string, DayKind>> {
  const rows = parseRows(DayRow, await sql.all('SELECT date, kind, note FROM calendar_days WHERE calendar_id = ?', calendarId));
  return new Map(rows.map((row) => [row.date, row.kind]));
}

export async function readCalendarYear(sql: SqlConnection, calendarId: CalendarId, year: number): Promise<CalendarDay[]> {
  return parseRows(DayRow, await sql.all(
    'SELECT date, kind, note FROM calendar_days WHERE calendar_id = ? AND date BETWEEN ? AND ? ORDER BY date', calendarId, `${year}-01-01`, `${year}-12-31`,
  ));
}

/** Replaces the days of each year the list touches (a year not in it is left alone). */
export async function replaceCalendarYears(sql: SqlConnection, calendarId: CalendarId, days: readonly CalendarDay[]): Promise<number[]> {
  const years = [...new Set(days.map((day) => Number(day.date.slice(0, 4))))].sort();
  for (const year of years) await replaceYear(sql, calendarId, year, days.filter((day) => day.date.startsWith(`${year}-`)));
  return years;
}

/** Replaces one year's days. Throws InvalidCalendar, writing nothing, on a date not of that year, not real, or repeated. */
export async function replaceYear(sql: SqlConnection, calendarId: CalendarId, year: number, days: readonly CalendarDay[]): Promise<void> {
  const dates = new Set<string>();
  for (const { date } of days) {
    if (!date.startsWith(`${year}-`) || !DateTime.fromISO(date).isValid) throw new InvalidCalendar(`${date} is not a date of ${year}`);
    if (dates.has(date)) throw new InvalidCalendar(`${date} is listed twice`);
    dates.add(date);
  }
  await sql.run('DELETE FROM calendar_days WHERE calendar_id = ? AND date BETWEEN ? AND ?', calendarId, `${year}-01-01`, `${year}-12-31`);
  for (const day of days) {
    await sql.run('INSERT INTO calendar_days (calendar_id, date, kind, note) VALUES (?, ?, ?, ?)', calendarId, day.date, day.kind, day.note);
  }
}

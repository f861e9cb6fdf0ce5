import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DAY_KINDS, DAY_MINUTES, ROUND_THE_CLOCK, weekly, type DayKind, type OpenSpan, type WeekSpans } from './business-hours';
import { addBusinessMinutes, businessMinutesBetween } from './business-time';
import { storeCalendar, type StoreCalendar } from './store-calendar';

// Properties of business time over random stores: zones with and without DST, random weekly hours
// (closed days, lunch breaks, open till 24:00, round the clock), random holidays, short days and
// transferred working days, and instants around both 2026 DST changes.

const ZONES = ['Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad', 'Asia/Kamchatka', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'];
const DST_ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney'];
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2027-01-01T00:00:00Z');
const MINUTE = 60_000;
const RUNS = { numRuns: 120 };

/** 0–2 spans on a quarter-hour grid, sorted and apart, or the whole day. */
const daySpans: fc.Arbitrary<OpenSpan[]> = fc.oneof(
  fc.constant<OpenSpan[]>([]),
  fc.constant<OpenSpan[]>([{ from: 0, to: DAY_MINUTES }]),
  fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 4 }).map((marks) => {
    const [a = 0, b = 0, c, d] = [...marks].sort((x, y) => x - y).map((quarter) => quarter * 15);
    return c !== undefined && d !== undefined ? [{ from: a, to: b }, { from: c, to: d }] : [{ from: a, to: b }];
  }),
);

const weekHours: fc.Arbitrary<WeekSpans> = fc
  .tuple(daySpans, daySpans, daySpans, daySpans, daySpans, daySpans, daySpans)
  // At least 6 open hours a week: the longest sum of targets below (two weeks of minutes) then fits
  // well inside addBusinessMinutes' three-year horizon, even with 40 holidays.
  .filter((week) => week.flat().reduce((sum, span) => sum + span.to - span.from, 0) >= 6 * 60)
  .map((week) => weekly((day) => week[day - 1] ?? []));

const calendarDays: fc.Arbitrary<Map<string, DayKind>> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 372 }), fc.constantFrom(...DAY_KINDS)), { maxLength: 40 })
  .map((entries) => new Map(entries.map(([offset, kind]) => [DateTime.fromISO('2026-01-01').plus({ days: offset }).toISODate() ?? '', kind])));

const calendar: fc.Arbitrary<StoreCalendar> = fc
  .tuple(fc.constantFrom(...ZONES), weekHours, calendarDays)
  .map(([zone, week, days]) => storeCalendar(zone, week, days));

/** Minute-grained instants in 2026, a third of them within a day of a DST change. */
const DST_CHANGES = ['2026-03-08T07:00Z', '2026-03-29T01:00Z', '2026-04-05T16:00Z', '2026-10-04T16:00Z', '2026-10-25T01:00Z', '2026-11-01T06:00Z'].map(Date.parse);
const instant: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }).map((m) => m * MINUTE),
  fc.tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -24 * 60, max: 24 * 60 })).map(([at, m]) => at + m * MINUTE),
);
const minutes = fc.integer({ min: 0, max: 7 * 24 * 60 });
const businessMs = (a: number, b: number, cal: StoreCalendar) => Math.round(businessMinutesBetween(a, b, cal) * MINUTE);

describe('business time properties', () => {
  it('the business time from a start to start + m business minutes is m', () => {
    fc.assert(fc.property(calendar, instant, minutes, (cal, start, m) => {
      expect(businessMs(start, addBusinessMinutes(start, m, cal), cal)).toBe(m * MINUTE);
    }), RUNS);
  });

  it('adding is monotonic and composes: add(add(s, a), b) = add(s, a + b)', () => {
    fc.assert(fc.property(calendar, instant, minutes, minutes, (cal, start, a, b) => {
      const first = addBusinessMinutes(start, a, cal);
      expect(addBusinessMinutes(start, a + b, cal)).toBeGreaterThanOrEqual(first);
      expect(addBusinessMinutes(first, b, cal)).toBe(addBusinessMinutes(start, a + b, cal));
    }), RUNS);
  });

  it('a due date lies in business time: the minute before it is open', () => {
    fc.assert(fc.property(calendar, instant, fc.integer({ min: 1, max: 7 * 24 * 60 }), (cal, start, m) => {
      const due = addBusinessMinutes(start, m, cal);
      expect(businessMs(due - MINUTE, due, cal)).toBe(MINUTE);
    }), RUNS);
  });

  it('business time between instants is additive, never more than elapsed time, and antisymmetric', () => {
    const withinAMonth = fc.tuple(instant, fc.integer({ min: 0, max: 31 * 24 * 60 }), fc.integer({ min: 0, max: 31 * 24 * 60 }));
    fc.assert(fc.property(calendar, withinAMonth, (cal, [start, x, y]) => {
      const [a, b, c] = [start, start + Math.min(x, y) * MINUTE, start + Math.max(x, y) * MINUTE];
      expect(businessMs(a, b, cal) + businessMs(b, c, cal)).toBe(businessMs(a, c, cal));
      expect(businessMs(a, c, cal)).toBeGreaterThanOrEqual(0);
      expect(businessMs(a, c, cal)).toBeLessThanOrEqual(c - a);
      expect(businessMs(c, a, cal) + businessMs(a, c, cal)).toBe(0); // a sum: -0 and 0 differ for toBe
    }), RUNS);
  });

  it('a holiday holds no business time, whatever the store\'s hours', () => {
    fc.assert(fc.property(calendar, fc.integer({ min: 0, max: 364 }), (cal, offset) => {
      const date = DateTime.fromISO('2026-01-01', { zone: cal.timeZone }).plus({ days: offset });
      const holiday = storeCalendar(cal.timeZone, cal.week, cal.days, new Map([[date.toISODate() ?? '', 'holiday' as const]]));
      expect(businessMs(date.toMillis(), date.plus({ days: 1 }).startOf('day').toMillis(), holiday)).toBe(0);
    }), RUNS);
  });

  it('a 24/7 store without holidays counts elapsed time, across DST changes too', () => {
    fc.assert(fc.property(fc.constantFrom(...DST_ZONES), instant, minutes, (zone, start, m) => {
      const store = storeCalendar(zone, ROUND_THE_CLOCK);
      expect(addBusinessMinutes(start, m, store)).toBe(start + m * MINUTE);
      expect(businessMs(start, start + m * MINUTE, store)).toBe(m * MINUTE);
    }), RUNS);
  });

  it('a store with the same hours every day opens on the wall clock and gives each day the same time, DST days too', () => {
    const dstDays = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01'].map((date) => DateTime.fromISO(date).ordinal - 1);
    const dayOffset = fc.oneof(fc.integer({ min: 0, max: 364 }), fc.constantFrom(...dstDays));
    fc.assert(fc.property(fc.constantFrom(...ZONES), daySpans.filter((s) => (s[0]?.from ?? 0) >= 4 * 60), dayOffset, (zone, spans, offset) => {
      const store = storeCalendar(zone, weekly(() => spans));
      const day = DateTime.fromISO('2026-01-01', { zone }).plus({ days: offset });
      const open = spans.reduce((sum, span) => sum + span.to - span.from, 0);
      // Spans from 04:00 on never hold a DST change of these zones (they change at 00:00–03:00).
      expect(businessMs(day.toMillis(), day.plus({ days: 1 }).startOf('day').toMillis(), store)).toBe(open * MINUTE);
      const opening = DateTime.fromMillis(addBusinessMinutes(day.toMillis(), 1, store) - MINUTE, { zone });
      expect(opening.hour * 60 + opening.minute).toBe(spans[0]?.from);
    }), RUNS);
  });
});

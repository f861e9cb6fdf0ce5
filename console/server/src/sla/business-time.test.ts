import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ROUND_THE_CLOCK, weekly, type DayKind, type OpenSpan } from './business-hours';
import { addBusinessMinutes, businessMinutesBetween, NoBusinessTime } from './business-time';
import { InvalidCalendar, storeCalendar } from './store-calendar';

// Example cases, each worked out by hand on a wall clock. Property-based checks of the same
// functions are in business-time.property.test.ts.

const OFFICE: OpenSpan[] = [{ from: 9 * 60, to: 18 * 60 }];
/** Monday to Friday 09:00–18:00, closed at the weekend. */
const WEEKDAYS_9_18 = weekly((day) => (day <= 5 ? OFFICE : []));
const days = (entries: Record<string, DayKind>) => new Map(Object.entries(entries));

/** A local wall-clock time in a zone → epoch ms. */
const local = (text: string, zone: string) => DateTime.fromISO(text, { zone }).toMillis();
const inZone = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
const utc = (ms: number) => new Date(ms).toISOString();

describe('business time: hours and time zones', () => {
  it('carries a Friday-evening target over the weekend to Monday morning', () => {
    const moscow = storeCalendar('Europe/Moscow', WEEKDAYS_9_18);
    const due = addBusinessMinutes(local('2026-12-04T17:00', 'Europe/Moscow'), 120, moscow);
    expect(inZone(due, 'Europe/Moscow')).toBe('2026-12-07T10:00');
    expect(utc(due)).toBe('2026-12-07T07:00:00.000Z');
  });

  it('counts in the store\'s own zone: one UTC instant, two stores, two due dates', () => {
    const opened = Date.parse('2026-12-01T06:30:00.000Z'); // 16:30 in Vladivostok, 08:30 in Kaliningrad
    const vladivostok = storeCalendar('Asia/Vladivostok', WEEKDAYS_9_18);
    const kaliningrad = storeCalendar('Europe/Kaliningrad', WEEKDAYS_9_18);
    expect(inZone(addBusinessMinutes(opened, 180, vladivostok), 'Asia/Vladivostok')).toBe('2026-12-02T10:30');
    expect(inZone(addBusinessMinutes(opened, 180, kaliningrad), 'Europe/Kaliningrad')).toBe('2026-12-01T12:00');
  });

  it('starts before opening at the opening, and ends a target that fills the day at closing time', () => {
    const moscow = storeCalendar('Europe/Moscow', WEEKDAYS_9_18);
    expect(inZone(addBusinessMinutes(local('2026-12-01T06:00', 'Europe/Moscow'), 60, moscow), 'Europe/Moscow')).toBe('2026-12-01T10:00');
    expect(inZone(addBusinessMinutes(local('2026-12-01T09:00', 'Europe/Moscow'), 9 * 60, moscow), 'Europe/Moscow')).toBe('2026-12-01T18:00');
  });

  it('a 24/7 store is plain elapsed time; a lunch break is not business time', () => {
    const store = storeCalendar('Asia/Yekaterinburg', ROUND_THE_CLOCK);
    const start = Date.parse('2026-12-31T22:15:00.000Z');
    expect(addBusinessMinutes(start, 72 * 60, store)).toBe(start + 72 * 3_600_000);
    const withLunch = storeCalendar('Europe/Moscow', weekly(() => [{ from: 600, to: 780 }, { from: 840, to: 1320 }]));
    expect(businessMinutesBetween(local('2026-12-01T12:00', 'Europe/Moscow'), local('2026-12-01T15:00', 'Europe/Moscow'), withLunch)).toBe(120);
  });

  it('is negative backwards and fractional below a minute', () => {
    const store = storeCalendar('Europe/Moscow', ROUND_THE_CLOCK);
    const a = Date.parse('2026-12-01T10:00:00.000Z');
    expect(businessMinutesBetween(a + 90 * 60_000, a, store)).toBe(-90);
    expect(businessMinutesBetween(a, a + 30_000, store)).toBe(0.5);
  });
});

describe('business time: the production calendar', () => {
  /** 2026 May, as the Government decree No. 1466 of 24.09.2025 sets it (see calendars/README.md). */
  const MAY_2026 = days({ '2026-05-01': 'holiday', '2026-05-08': 'short', '2026-05-09': 'holiday', '2026-05-11': 'holiday' });

  it('skips holidays and closes a pre-holiday day an hour early', () => {
    const store = storeCalendar('Europe/Moscow', WEEKDAYS_9_18, MAY_2026);
    // Friday 8 May is short (closes 17:00); 9–11 May are off; Tuesday 12 May opens at 09:00.
    const due = addBusinessMinutes(local('2026-05-08T16:00', 'Europe/Moscow'), 120, store);
    expect(inZone(due, 'Europe/Moscow')).toBe('2026-05-12T10:00');
    expect(businessMinutesBetween(local('2026-05-08T00:00', 'Europe/Moscow'), local('2026-05-12T00:00', 'Europe/Moscow'), store)).toBe(8 * 60);
  });

  it('does not shorten a round-the-clock day (continuous operation, art. 95 part 2)', () => {
    const store = storeCalendar('Europe/Moscow', ROUND_THE_CLOCK, MAY_2026);
    expect(businessMinutesBetween(local('2026-05-08T00:00', 'Europe/Moscow'), local('2026-05-09T00:00', 'Europe/Moscow'), store)).toBe(24 * 60);
    expect(businessMinutesBetween(local('2026-05-09T00:00', 'Europe/Moscow'), local('2026-05-10T00:00', 'Europe/Moscow'), store)).toBe(0);
  });

  it('works a transferred working Saturday on the store\'s Saturday hours, or a weekday\'s when it is closed on Saturdays', () => {
    const saturday = days({ '2026-12-05': 'working' });
    const closedSaturdays = storeCalendar('Europe/Moscow', WEEKDAYS_9_18, saturday);
    const due = addBusinessMinutes(local('2026-12-04T17:00', 'Europe/Moscow'), 120, closedSaturdays);
    expect(inZone(due, 'Europe/Moscow')).toBe('2026-12-05T10:00');
    const saturdayHours = weekly((day) => (day === 6 ? [{ from: 600, to: 960 }] : day === 7 ? [] : OFFICE));
    const openSaturdays = storeCalendar('Europe/Moscow', saturdayHours, saturday);
    expect(inZone(addBusinessMinutes(local('2026-12-04T17:00', 'Europe/Moscow'), 120, openSaturdays), 'Europe/Moscow')).toBe('2026-12-05T11:00');
  });

  it('takes a store\'s own days over the chain\'s, and none when it ignores the calendar', () => {
    const chain = days({ '2026-11-04': 'holiday' });
    const own = days({ '2026-11-04': 'working' });
    const from = local('2026-11-04T00:00', 'Europe/Moscow');
    const to = local('2026-11-05T00:00', 'Europe/Moscow');
    expect(businessMinutesBetween(from, to, storeCalendar('Europe/Moscow', WEEKDAYS_9_18, chain))).toBe(0);
    expect(businessMinutesBetween(from, to, storeCalendar('Europe/Moscow', WEEKDAYS_9_18, chain, own))).toBe(9 * 60);
    expect(businessMinutesBetween(from, to, storeCalendar('Europe/Moscow', WEEKDAYS_9_18))).toBe(9 * 60);
  });

  it('gives up with an error on a calendar of holidays only, and refuses a bad calendar', () => {
    const everyDay = new Map<string, DayKind>();
    for (let d = DateTime.fromISO('2026-01-01'); d.year < 2030; d = d.plus({ days: 1 })) everyDay.set(d.toISODate() ?? '', 'holiday');
    const store = storeCalendar('Europe/Moscow', WEEKDAYS_9_18, everyDay);
    expect(() => addBusinessMinutes(local('2026-01-01T00:00', 'Europe/Moscow'), 1, store)).toThrow(NoBusinessTime);
    expect(() => storeCalendar('Mars/Olympus', WEEKDAYS_9_18)).toThrow(InvalidCalendar);
    expect(() => storeCalendar('Europe/Moscow', weekly(() => []))).toThrow(/closed every day/);
    expect(() => storeCalendar('Europe/Moscow', weekly(() => [{ from: 600, to: 540 }]))).toThrow(/opens at 10:00 but closes at 09:00/);
    expect(() => addBusinessMinutes(0, -1, store)).toThrow(RangeError);
  });
});

describe('business time: daylight-saving changes', () => {
  it('a spring-forward day has 23 hours, a fall-back day 25 (24/7 stores)', () => {
    const berlin = storeCalendar('Europe/Berlin', ROUND_THE_CLOCK);
    expect(businessMinutesBetween(local('2026-03-29T00:00', 'Europe/Berlin'), local('2026-03-30T00:00', 'Europe/Berlin'), berlin)).toBe(23 * 60);
    const newYork = storeCalendar('America/New_York', ROUND_THE_CLOCK);
    expect(businessMinutesBetween(local('2026-11-01T00:00', 'America/New_York'), local('2026-11-02T00:00', 'America/New_York'), newYork)).toBe(25 * 60);
    // Three business hours from 23:00 on the Saturday: the clock jumps from 02:00 CET to 03:00 CEST.
    expect(inZone(addBusinessMinutes(local('2026-03-28T23:00', 'Europe/Berlin'), 180, berlin), 'Europe/Berlin')).toBe('2026-03-29T03:00');
  });

  it('keeps opening hours on the wall clock across the change', () => {
    const berlin = storeCalendar('Europe/Berlin', WEEKDAYS_9_18);
    const due = addBusinessMinutes(local('2026-03-27T17:00', 'Europe/Berlin'), 120, berlin);
    expect(inZone(due, 'Europe/Berlin')).toBe('2026-03-30T10:00');
    expect(utc(due)).toBe('2026-03-30T08:00:00.000Z'); // CEST, UTC+2; on Friday the store was UTC+1
    const everyDay = storeCalendar('Europe/Berlin', weekly(() => OFFICE));
    const sunday = addBusinessMinutes(local('2026-03-28T23:00', 'Europe/Berlin'), 60, everyDay);
    expect(inZone(sunday, 'Europe/Berlin')).toBe('2026-03-29T10:00'); // opens 09:00 CEST on the change day itself
  });
});

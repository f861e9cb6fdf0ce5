import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { weekly } from './business-hours';
import { businessMinutesBetween } from './business-time';
import { dueDates, resumedDueDates } from './due-dates';
import { storeCalendar } from './store-calendar';

const ZONE = 'Europe/Moscow';
/** Monday to Saturday 10:00–22:00, closed on Sunday; 4 November a holiday. */
const STORE = storeCalendar(ZONE, weekly((day) => (day === 7 ? [] : [{ from: 600, to: 1320 }])), new Map([['2026-11-04', 'holiday' as const]]));
const local = (text: string) => DateTime.fromISO(text, { zone: ZONE }).toMillis();
const wall = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('SLA due dates', () => {
  it('counts reaction and resolution targets in the store\'s business time', () => {
    const due = dueDates(local('2026-11-03T21:00'), { reactMinutes: 30, resolveMinutes: 4 * 60 }, STORE);
    // 21:00–21:30 on Tuesday; the resolution runs 1 h on Tuesday, skips the Wednesday holiday, 3 h on Thursday.
    expect(wall(due.reactBy)).toBe('2026-11-03T21:30');
    expect(wall(due.resolveBy)).toBe('2026-11-05T13:00');
  });

  it('resume pushes the due dates by the business time spent waiting', () => {
    const due = dueDates(local('2026-11-02T10:00'), { reactMinutes: 60, resolveMinutes: 8 * 60 }, STORE);
    expect(wall(due.resolveBy)).toBe('2026-11-02T18:00');
    // Waiting from Monday 12:00 to Thursday 11:00: 10 h on Monday, 12 h on Tuesday, the holiday, 1 h on Thursday.
    const resumed = resumedDueDates(due, false, local('2026-11-02T12:00'), local('2026-11-05T11:00'), STORE);
    expect(resumed.pausedMinutes).toBe(23 * 60);
    // 6 h were left at 12:00 on Monday; 6 h are left at 11:00 on Thursday.
    expect(wall(resumed.resolveBy)).toBe('2026-11-05T17:00');
    // The reaction was already an hour late when the wait began; it stays an hour late.
    expect(wall(resumed.reactBy)).toBe('2026-11-03T22:00');
    expect(resumedDueDates(due, true, local('2026-11-02T12:00'), local('2026-11-05T11:00'), STORE).reactBy).toBe(due.reactBy);
  });

  it('a pause while the store is closed changes nothing; an overdue clock is pushed too', () => {
    const due = dueDates(local('2026-11-07T21:00'), { reactMinutes: 30, resolveMinutes: 120 }, STORE);
    const overnight = resumedDueDates(due, false, local('2026-11-07T22:30'), local('2026-11-09T09:00'), STORE);
    expect(overnight).toEqual({ pausedMinutes: 0, ...due });
    const late = resumedDueDates(due, false, local('2026-11-09T12:00'), local('2026-11-09T12:45'), STORE);
    expect(Date.parse(late.resolveBy) - Date.parse(due.resolveBy)).toBe(45 * 60_000);
  });

  it('after any pause the business time left on each clock is what it was when the pause began', () => {
    const instant = fc.integer({ min: local('2026-11-01T00:00') / 60_000, max: local('2026-11-20T00:00') / 60_000 }).map((m) => m * 60_000);
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 3 * 24 * 60 }), fc.integer({ min: 0, max: 5 * 24 * 60 }), (opened, pauseAfter, pauseFor) => {
      const due = dueDates(opened, { reactMinutes: 45, resolveMinutes: 16 * 60 }, STORE);
      const pausedAt = opened + pauseAfter * 60_000;
      const resumedAt = pausedAt + pauseFor * 60_000;
      const resumed = resumedDueDates(due, false, pausedAt, resumedAt, STORE);
      for (const key of ['reactBy', 'resolveBy'] as const) {
        const leftBefore = businessMinutesBetween(pausedAt, Date.parse(due[key]), STORE);
        const leftAfter = businessMinutesBetween(resumedAt, Date.parse(resumed[key]), STORE);
        if (leftBefore > 0) expect(leftAfter).toBeCloseTo(leftBefore, 6);
      }
    }), { numRuns: 100 });
  });
});

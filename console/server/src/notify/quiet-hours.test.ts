import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelayMs } from './backoff';
import { quietUntil } from './quiet-hours';

const night = { from: '22:00', to: '08:00', timeZone: 'Europe/Moscow', p1Overrides: true };

describe('quiet hours', () => {
  it('over midnight in Moscow (UTC+3): quiet from 22:00 to 08:00 local, ending at the next 08:00', () => {
    expect(quietUntil(night, new Date('2026-11-22T18:59:00Z'))).toBeNull(); // 21:59 MSK
    expect(quietUntil(night, new Date('2026-11-22T19:00:00Z'))?.toISOString()).toBe('2026-11-23T05:00:00.000Z'); // 22:00 → 08:00 next day
    expect(quietUntil(night, new Date('2026-11-23T01:30:00Z'))?.toISOString()).toBe('2026-11-23T05:00:00.000Z'); // 04:30 → 08:00 same day
    expect(quietUntil(night, new Date('2026-11-23T05:00:00Z'))).toBeNull(); // 08:00 is no longer quiet
  });

  it('within a day, in another zone (Yekaterinburg, UTC+5); equal bounds mean never quiet', () => {
    const lunch = { ...night, from: '13:00', to: '14:00', timeZone: 'Asia/Yekaterinburg' };
    expect(quietUntil(lunch, new Date('2026-11-22T08:30:00Z'))?.toISOString()).toBe('2026-11-22T09:00:00.000Z');
    expect(quietUntil(lunch, new Date('2026-11-22T09:00:00Z'))).toBeNull();
    expect(quietUntil({ ...lunch, to: '13:00' }, new Date('2026-11-22T08:30:00Z'))).toBeNull();
  });

  it('across a DST change (Berlin, 29 March 2026): the end is 08:00 wall-clock time', () => {
    const berlin = { ...night, timeZone: 'Europe/Berlin' };
    // 23:00 CET on 28 March; 08:00 on 29 March is CEST (UTC+2)
    expect(quietUntil(berlin, new Date('2026-03-28T22:00:00Z'))?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('property: a quiet instant ends later, within a day, and its end is not quiet', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const zone = fc.constantFrom('Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad', 'Europe/Berlin', 'America/New_York');
    const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }).map((ms) => new Date(ms));
    fc.assert(fc.property(time, time, zone, instant, (from, to, timeZone, at) => {
      const until = quietUntil({ from, to, timeZone, p1Overrides: false }, at);
      if (until === null) return;
      expect(until.getTime()).toBeGreaterThan(at.getTime());
      expect(until.getTime() - at.getTime()).toBeLessThanOrEqual(25 * 3600_000);
      expect(quietUntil({ from, to, timeZone, p1Overrides: false }, until)).toBeNull();
    }), { numRuns: 2000 });
  });
});

describe('retry backoff', () => {
  it('doubles from the base up to the cap, each delay between half and all of the planned one', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, random) => {
      const planned = Math.min(DEFAULT_RETRY.capMs, DEFAULT_RETRY.baseMs * 2 ** (attempts - 1));
      const delay = retryDelayMs(attempts, DEFAULT_RETRY, () => random);
      expect(delay).toBeGreaterThanOrEqual(planned / 2);
      expect(delay).toBeLessThanOrEqual(planned);
    }));
    expect([1, 2, 3, 7, 12].map((n) => retryDelayMs(n, DEFAULT_RETRY, () => 0))).toEqual([15_000, 30_000, 60_000, 900_000, 900_000]);
  });
});

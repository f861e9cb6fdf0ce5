import { describe, expect, it } from 'vitest';
import { classifyAttempt, parseRetryAfter, ReconnectPolicy } from './reconnect-policy';

const longest = () => 0.999_999;

describe('ReconnectPolicy', () => {
  it('caps the wait at 8 s while the server is unreachable, however long it has been', () => {
    const policy = new ReconnectPolicy({}, longest);
    const waits = Array.from({ length: 40 }, () => policy.delayAfter({ kind: 'unreachable' }));
    expect(waits.slice(0, 4).map(Math.round)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(8_000);
  });

  it('backs off up to 5 minutes after refusals (401, 429 …)', () => {
    const policy = new ReconnectPolicy({}, longest);
    const waits = Array.from({ length: 12 }, () => policy.delayAfter({ kind: 'refused' }));
    expect(Math.round(waits.at(-1)!)).toBe(300_000);
  });

  it('honours Retry-After plus under 1 s of jitter, without growing the backoff', () => {
    const policy = new ReconnectPolicy({}, longest);
    for (let index = 0; index < 10; index += 1) {
      const wait = policy.delayAfter({ kind: 'busy', retryAfterMs: 7_000 });
      expect(wait).toBeGreaterThanOrEqual(7_000);
      expect(wait).toBeLessThan(8_000);
    }
    expect(policy.delayAfter({ kind: 'unreachable' })).toBeLessThan(1_000);
  });

  it('starts over after a stable connection', () => {
    const policy = new ReconnectPolicy({}, longest);
    for (let index = 0; index < 6; index += 1) policy.delayAfter({ kind: 'refused' });
    expect(policy.delayAfter({ kind: 'stable' })).toBeLessThan(1_000);
    expect(policy.delayAfter({ kind: 'unreachable' })).toBeLessThan(1_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00.000Z');
  it.each([
    ['7', 7_000],
    [' 12 ', 12_000],
    ['Sun, 22 Nov 2026 10:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 09:59:00 GMT', 0],
    ['999999', 600_000],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('classifyAttempt', () => {
  it.each([
    [{ opened: false, stable: false, errorCode: 'ECONNREFUSED' }, 'unreachable'],
    [{ opened: false, stable: false, errorCode: 'ENOTFOUND' }, 'unreachable'],
    [{ opened: false, stable: false }, 'refused'], // handshake timeout: too busy to answer
    [{ opened: false, stable: false, httpStatus: 503, retryAfterMs: 3_000 }, 'busy'],
    [{ opened: false, stable: false, httpStatus: 503 }, 'unreachable'], // a proxy whose console is down
    [{ opened: false, stable: false, httpStatus: 502 }, 'unreachable'],
    [{ opened: false, stable: false, httpStatus: 401 }, 'refused'],
    [{ opened: false, stable: false, httpStatus: 429, retryAfterMs: 3_000 }, 'refused'],
    [{ opened: true, stable: true }, 'stable'],
    [{ opened: true, stable: false }, 'refused'],
  ] as const)('%j → %s', (end, kind) => {
    expect(classifyAttempt(end).kind).toBe(kind);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { FailureRateLimiter } from './rate-limiter';

describe('FailureRateLimiter', () => {
  it('blocks a key after maxFailures in its window and lets it try again once the window ended', () => {
    let nowMs = 0;
    const limiter = new FailureRateLimiter(3, 60_000, () => nowMs);
    for (let i = 0; i < 3; i++) limiter.recordFailure('ip:a');
    expect([limiter.isBlocked('ip:a'), limiter.isBlocked('ip:b')]).toEqual([true, false]);
    nowMs += 60_000;
    expect(limiter.isBlocked('ip:a')).toBe(false);
  });

  it('over 10,000 keys, drops the ended windows and keeps the live ones', () => {
    let nowMs = 0;
    const limiter = new FailureRateLimiter(1, 60_000, () => nowMs);
    for (let i = 0; i < 5_000; i++) limiter.recordFailure(`old-${i}`);
    nowMs += 30_000;
    for (let i = 0; i < 5_001; i++) limiter.recordFailure(`new-${i}`);
    nowMs += 30_000; // the old windows ended, the new ones have not
    limiter.recordFailure('trigger');
    expect([limiter.isBlocked('old-1'), limiter.isBlocked('new-1'), limiter.isBlocked('trigger')]).toEqual([false, true, true]);
  });

  it('over 10,000 live keys, a failure reads a few windows, not all of them', () => {
    const limiter = new FailureRateLimiter(1, 60_000, () => 0);
    for (let i = 0; i < 10_001; i++) limiter.recordFailure(`ip:${i}`);
    // Counted, not timed: the sweep read every window on each failure once over 10,000 keys.
    const reads = vi.spyOn(Map.prototype, 'get');
    try {
      limiter.recordFailure('ip:another');
      expect(reads.mock.calls.length).toBeLessThan(10);
    } finally {
      reads.mockRestore();
    }
  });
});

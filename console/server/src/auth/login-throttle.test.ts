import { describe, expect, it, vi } from 'vitest';
import { addressKey, LOGIN_LIMITS, LoginThrottle, LoginThrottledError, type LoginAttemptKey } from './login-throttle';

function throttle() {
  let nowMs = 0;
  return { limiter: new LoginThrottle(() => nowMs), advance: (ms: number) => (nowMs += ms) };
}

function refusal(run: () => unknown): LoginThrottledError {
  try {
    run();
  } catch (error) {
    if (error instanceof LoginThrottledError) return error;
    throw error;
  }
  throw new Error('not throttled');
}

const from = (address: string, username = 'admin'): LoginAttemptKey => ({ username, address });

describe('LoginThrottle', () => {
  it('counts attempts in flight: the free failures are reserved before any of them finishes', () => {
    const { limiter } = throttle();
    const inFlight = Array.from({ length: LOGIN_LIMITS.address.freeFailures }, () => limiter.begin(from('10.0.0.1')));
    expect(refusal(() => limiter.begin(from('10.0.0.1')))).toMatchObject({ bucket: 'address', retryAfterSec: 1 });
    // Abandoned attempts (nothing was checked) give their place back; successful ones too.
    inFlight[0]!.abandoned();
    inFlight[1]!.succeeded();
    limiter.begin(from('10.0.0.1')).failed();
    limiter.begin(from('10.0.0.1')).failed();
    inFlight.slice(2).forEach((attempt) => attempt.failed());
    expect(() => limiter.begin(from('10.0.0.1'))).toThrow(LoginThrottledError);
  });

  it('doubles the wait after each failure past the free ones, up to the cap, and forgets after a quiet hour', () => {
    const { limiter, advance } = throttle();
    const waits: number[] = [];
    for (let i = 0; i < 18; i++) {
      try {
        limiter.begin(from('10.0.0.1', `user-${i}`)).failed();
      } catch (error) {
        if (!(error instanceof LoginThrottledError)) throw error;
        waits.push(error.retryAfterSec);
        advance(error.retryAfterSec * 1000);
        limiter.begin(from('10.0.0.1', `user-${i}`)).failed();
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    advance(LOGIN_LIMITS.address.forgetAfterMs);
    expect(() => limiter.begin(from('10.0.0.1', 'fresh'))).not.toThrow();
  });

  it('keeps a device cookie apart from the account and the address', () => {
    const { limiter } = throttle();
    for (let i = 0; i < LOGIN_LIMITS.account.freeFailures; i++) limiter.begin(from(`10.0.1.${i}`)).failed();
    expect(refusal(() => limiter.begin(from('10.0.2.1')))).toMatchObject({ bucket: 'account' });
    limiter.begin({ ...from('10.0.2.1'), deviceNonce: 'n1' }).succeeded();
    for (let i = 0; i < LOGIN_LIMITS.device.freeFailures; i++) limiter.begin({ ...from('10.0.2.1'), deviceNonce: 'stolen' }).failed();
    expect(refusal(() => limiter.begin({ ...from('10.0.2.1'), deviceNonce: 'stolen' }))).toMatchObject({ bucket: 'device' });
    expect(() => limiter.begin({ ...from('10.0.2.1'), deviceNonce: 'n1' })).not.toThrow();
  });

  it('keeps at most maxKeys keys per kind, dropping the least recently failed', () => {
    const limiter = new LoginThrottle(() => 0, LOGIN_LIMITS, 100);
    for (let i = 0; i < LOGIN_LIMITS.address.freeFailures; i++) limiter.begin(from('10.9.9.9', `v${i}`)).failed();
    expect(() => limiter.begin(from('10.9.9.9', 'v'))).toThrow(LoginThrottledError);
    for (let i = 0; i < 1_000; i++) limiter.begin(from(`10.1.${i >> 8}.${i & 255}`, `u${i}`)).failed();
    expect(() => limiter.begin(from('10.9.9.9', 'v'))).not.toThrow();
  });

  it('at the cap, an attempt reads as many buckets whatever the cap: no sweep of every key per attempt', () => {
    // Counted, not timed: the sweep read every key (50,000 per kind by default) on each new one.
    const bucketReadsOfOneAttemptAtTheCap = (maxKeys: number) => {
      const limiter = new LoginThrottle(() => 0, LOGIN_LIMITS, maxKeys);
      for (let i = 0; i < maxKeys; i++) limiter.begin(from(`10.1.${i >> 8}.${i & 255}`, `u${i}`)).failed();
      const reads = vi.spyOn(Map.prototype, 'get');
      try {
        limiter.begin(from('10.2.0.1', 'newcomer')).failed();
        return reads.mock.calls.length;
      } finally {
        reads.mockRestore();
      }
    };
    expect(bucketReadsOfOneAttemptAtTheCap(5_000)).toBe(bucketReadsOfOneAttemptAtTheCap(50));
  });

  it('refuses a policy that would forget a bucket while it must still wait', () => {
    expect(() => new LoginThrottle(() => 0, { ...LOGIN_LIMITS, account: { ...LOGIN_LIMITS.account, forgetAfterMs: 60_000 } })).toThrow(RangeError);
  });
});

describe('addressKey', () => {
  it('counts IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('192.168.1.7')).toBe('192.168.1.7');
    expect(addressKey('::ffff:192.168.1.7')).toBe('192.168.1.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

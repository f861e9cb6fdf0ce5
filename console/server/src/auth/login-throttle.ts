/**
 * How one kind of bucket slows guessing: the first `freeFailures` failures cost nothing, then each
 * further attempt waits `baseDelayMs * 2^(failures - freeFailures)` after the last failure, at most
 * `maxDelayMs`. A bucket quiet for `forgetAfterMs` starts over; `forgetAfterMs` is at least
 * `maxDelayMs`, so a bucket is never forgotten while it must still wait.
 */
export interface BackoffPolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
}

/**
 * The console's login limits (docs/api.md, "Login limits"). Three kinds of bucket, after OWASP's
 * "Slow Down Online Guessing Attacks with Device Cookies":
 * - `device`: attempts presenting a valid device cookie for the username (a browser that logged in
 *   as that user before). Only that cookie's own failures delay it: an attacker elsewhere never does.
 * - `account`: attempts for the username without one, from anywhere. Its delays are capped low, so
 *   a botnet can slow new browsers of an account but never lock its known devices out.
 * - `address`: attempts without one from one client address. An attacker on one address waits
 *   longer and longer, and feeds the account bucket only at that pace.
 */
export const LOGIN_LIMITS = {
  device: { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
  account: { freeFailures: 10, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, forgetAfterMs: 60 * 60_000 },
  address: { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
} as const satisfies Record<LoginBucketKind, BackoffPolicy>;

export type LoginBucketKind = 'device' | 'account' | 'address';

/** The attempt was not run (no password was hashed); stable code `rate_limited`. */
export class LoginThrottledError extends Error {
  readonly code = 'rate_limited' as const;
  constructor(
    readonly retryAfterSec: number,
    readonly bucket: LoginBucketKind,
  ) {
    super(`too many failed logins; try again in ${retryAfterSec} s`);
    this.name = 'LoginThrottledError';
  }
}

export interface LoginAttemptKey {
  username: string;
  /** The client address (an IPv6 address counts by its /64: one host usually owns the whole prefix). */
  address: string;
  /** The nonce of a valid device cookie for this username, if the request carried one. */
  deviceNonce?: string;
}

/** A reserved attempt: it already counts as a failure until told otherwise. Call exactly one method. */
export interface LoginAttempt {
  /** The password matched: the attempt stops counting (and a device's own failures are forgotten). */
  succeeded(): void;
  /** The password did not match: the reservation stays as the failure. */
  failed(): void;
  /** Nothing was checked (hashing busy, an error): the attempt stops counting. */
  abandoned(): void;
}

interface Bucket {
  failures: number;
  lastFailureMs: number;
}

/** Failure counts with exponential backoff for one kind of key, in memory, at most `maxKeys` keys. */
class BackoffBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly maxKeys: number,
  ) {
    // Then the map's order (least recently failed first) is also the order keys are forgotten in.
    if (policy.forgetAfterMs < policy.maxDelayMs) throw new RangeError('a backoff bucket must not be forgotten before its longest delay is over');
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string, nowMs: number): number {
    const bucket = this.live(key, nowMs);
    return bucket ? Math.max(0, bucket.lastFailureMs + this.delayMs(bucket.failures) - nowMs) : 0;
  }

  reserve(key: string, nowMs: number): void {
    const bucket = this.live(key, nowMs) ?? { failures: 0, lastFailureMs: nowMs };
    bucket.failures += 1;
    bucket.lastFailureMs = nowMs;
    this.buckets.delete(key); // re-inserted last: the map's order is least recently failed first
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict(nowMs);
  }

  release(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket && --bucket.failures <= 0) this.buckets.delete(key);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  private delayMs(failures: number): number {
    const { freeFailures, baseDelayMs, maxDelayMs } = this.policy;
    if (failures < freeFailures) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(failures - freeFailures, 40));
  }

  private live(key: string, nowMs: number): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (bucket && this.forgotten(bucket, nowMs)) {
      this.buckets.delete(key);
      return undefined;
    }
    return bucket;
  }

  private forgotten(bucket: Bucket, nowMs: number): boolean {
    return nowMs - bucket.lastFailureMs >= this.policy.forgetAfterMs;
  }

  /**
   * Drops forgotten keys; if still over the cap, the least recently failed ones. Both stand at the
   * front of the map (see the constructor), so this reads only the keys it drops and one more, not
   * every key on every attempt once the cap is reached.
   */
  private evict(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys && !this.forgotten(bucket, nowMs)) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * Login attempts are reserved BEFORE the password is hashed and count as failures while in flight,
 * so a burst of parallel attempts is limited exactly like the same attempts one after another.
 * A refused attempt (LoginThrottledError) costs no hash and does not count.
 */
export class LoginThrottle {
  private readonly buckets: Record<LoginBucketKind, BackoffBuckets>;

  constructor(
    private readonly nowMs: () => number,
    limits: Record<LoginBucketKind, BackoffPolicy> = LOGIN_LIMITS,
    maxKeysPerKind = 50_000,
  ) {
    this.buckets = {
      device: new BackoffBuckets(limits.device, maxKeysPerKind),
      account: new BackoffBuckets(limits.account, maxKeysPerKind),
      address: new BackoffBuckets(limits.address, maxKeysPerKind),
    };
  }

  /** Reserves an attempt, or throws LoginThrottledError when one of its buckets must still wait. */
  begin(key: LoginAttemptKey): LoginAttempt {
    const now = this.nowMs();
    const keys = this.keysOf(key);
    let longest: { kind: LoginBucketKind; waitMs: number } | undefined;
    for (const [kind, bucketKey] of keys) {
      const waitMs = this.buckets[kind].waitMs(bucketKey, now);
      if (waitMs > 0 && (!longest || waitMs > longest.waitMs)) longest = { kind, waitMs };
    }
    if (longest) throw new LoginThrottledError(Math.max(1, Math.ceil(longest.waitMs / 1000)), longest.kind);
    for (const [kind, bucketKey] of keys) this.buckets[kind].reserve(bucketKey, now);

    let settled = false;
    const settle = (action: (kind: LoginBucketKind, bucketKey: string) => void) => {
      if (settled) return;
      settled = true;
      for (const [kind, bucketKey] of keys) action(kind, bucketKey);
    };
    return {
      succeeded: () => settle((kind, bucketKey) => (kind === 'device' ? this.buckets.device.forget(bucketKey) : this.buckets[kind].release(bucketKey))),
      failed: () => settle(() => undefined),
      abandoned: () => settle((kind, bucketKey) => this.buckets[kind].release(bucketKey)),
    };
  }

  private keysOf({ username, address, deviceNonce }: LoginAttemptKey): [LoginBucketKind, string][] {
    if (deviceNonce) return [['device', deviceNonce]];
    return [
      ['account', username.toLowerCase()],
      ['address', addressKey(address)],
    ];
  }
}

/** IPv4 as is; IPv6 by its /64 prefix (an IPv4-mapped IPv6 address counts as its IPv4 address). */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => (parseInt(group, 16) || 0).toString(16)).join(':')}::/64`;
}

/** How many agent upgrades per second the server takes on, and how many at once after a quiet spell. */
export interface AdmissionRate {
  ratePerSec: number;
  /** Bucket size: upgrades admitted back to back before the rate applies (default: one second's worth). */
  burst?: number;
  /** The longest Retry-After ever given, whatever the backlog (default 60 s). */
  maxRetryAfterSec?: number;
}

/**
 * Measured on the reference machine (2 vCPU, server and fleet on the same cores): a 19,700-agent
 * reconnect storm admitted at this rate completed in 50.3 s, event-loop p99 46 ms (at 500/s: 61.6 s,
 * over the 60 s budget; README, Performance). Override with `--agent-connect-rate`.
 */
export const DEFAULT_AGENT_ADMISSION: Required<AdmissionRate> = { ratePerSec: 1000, burst: 1000, maxRetryAfterSec: 60 };

export type Admission = { admitted: true } | { admitted: false; retryAfterSec: number };

/**
 * A token bucket in front of agent upgrades, consulted before any authentication work. An upgrade
 * above the rate is not queued (that would hold its socket and memory): it is told when to come
 * back. Each refused upgrade is given the next free slot at the admission rate, so a backlog of
 * N comes back spread over N / rate seconds instead of all at once; the seconds are rounded up or
 * down at random (jitter), since Retry-After only carries whole seconds.
 *
 * Contract: with upgrades spaced at least 1 / rate apart (or fewer than `burst` at once) every one
 * is admitted; Retry-After is always between 1 and `maxRetryAfterSec`.
 */
export class UpgradeAdmission {
  private readonly ratePerSec: number;
  private readonly burst: number;
  private readonly maxRetryAfterMs: number;
  private tokens: number;
  private refilledAtMs: number;
  /** The latest slot promised to a refused upgrade. */
  private backlogUntilMs: number;
  private readonly counters = { admitted: 0, refused: 0 };

  constructor(
    rate: AdmissionRate,
    private readonly nowMs: () => number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(rate.ratePerSec > 0)) throw new RangeError(`agent admission rate must be positive, got ${rate.ratePerSec}`);
    this.ratePerSec = rate.ratePerSec;
    this.burst = Math.max(1, rate.burst ?? rate.ratePerSec);
    this.maxRetryAfterMs = Math.max(1, rate.maxRetryAfterSec ?? DEFAULT_AGENT_ADMISSION.maxRetryAfterSec) * 1000;
    this.tokens = this.burst;
    this.refilledAtMs = nowMs();
    this.backlogUntilMs = this.refilledAtMs;
  }

  /** Upgrades admitted and refused (503) since start. */
  stats(): { admitted: number; refused: number } {
    return { ...this.counters };
  }

  admit(): Admission {
    const now = this.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAtMs) * this.ratePerSec) / 1000);
    this.refilledAtMs = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.counters.admitted += 1;
      return { admitted: true };
    }
    this.counters.refused += 1;
    const slot = Math.min(Math.max(now, this.backlogUntilMs) + 1000 / this.ratePerSec, now + this.maxRetryAfterMs);
    this.backlogUntilMs = slot;
    const waitSec = (slot - now) / 1000;
    const retryAfterSec = Math.floor(waitSec + this.random());
    return { admitted: false, retryAfterSec: Math.min(Math.max(1, retryAfterSec), this.maxRetryAfterMs / 1000) };
  }
}

/** Retries of a failing delivery: exponential backoff with jitter, then give up. */
export interface RetryPolicy {
  /** the delay after the first failure */
  baseMs: number;
  /** no delay grows past this */
  capMs: number;
  /** tries in all (the first one included); after the last failure the delivery is `failed` */
  maxAttempts: number;
}

/** About an hour of tries: 30 s, 1, 2, 4, 8, 16, 30, 30 min (each between half and all of that). */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, capMs: 30 * 60_000, maxAttempts: 9 };

/**
 * The wait after the `attempts`-th failed try: base × 2^(attempts−1), capped, with "equal jitter"
 * (half of it fixed, half random) so that channels failing together (a network cut) do not retry
 * in lockstep, while a retry never comes sooner than half the planned delay. `random` ∈ [0, 1).
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const planned = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(planned / 2 + (planned / 2) * random());
}

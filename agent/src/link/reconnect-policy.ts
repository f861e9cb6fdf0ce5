// How long an agent waits before its next connection attempt. Pure (no timers, no I/O): the link
// and the fleet simulator's virtual agents (scripts/fleet) both use it, so they behave the same.

/** What the last attempt came to. */
export type AttemptOutcome =
  /** A connection that held (acked something, or lasted `stableAfterMs`): the backoff starts over. */
  | { kind: 'stable' }
  /**
   * Nothing listens: connection refused or reset, no route, DNS failure, or a gateway saying the
   * console behind it is down. Not a timeout: that is a server too busy to answer (`refused`).
   */
  | { kind: 'unreachable' }
  /** HTTP 503 with Retry-After: the server is shaping a reconnect storm and said when to come back. */
  | { kind: 'busy'; retryAfterMs: number }
  /**
   * The server answered and said no (401, 429, another status), refused an enrollment, dropped a
   * fresh connection, or was too busy to answer at all (handshake timeout): backing off further
   * is what helps.
   */
  | { kind: 'refused' };

export interface ReconnectPolicyOptions {
  /** Full jitter: wait random(0, min(cap, baseMs · 2^failures)). */
  baseMs: number;
  /** Cap after refusals (401, 429, …): they will not heal by retrying quickly. */
  capMs: number;
  /**
   * Cap while the server cannot be reached. Short, so an agent is back within seconds of the
   * server's return; the server protects itself from the storm (503 + Retry-After).
   */
  unreachableCapMs: number;
  /** Added to Retry-After at random (0 … this), so agents told the same second do not arrive together. */
  retryAfterJitterMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicyOptions = {
  baseMs: 1_000,
  capMs: 5 * 60_000,
  unreachableCapMs: 8_000,
  retryAfterJitterMs: 1_000,
};

/** Gateways and proxies answer these while the console behind them is down: as good as unreachable. */
const UPSTREAM_DOWN_STATUSES = new Set([502, 503, 504]);

/** How one WebSocket attempt ended, as seen by its client. */
export interface AttemptEnd {
  /** The upgrade succeeded (the socket was open at some point). */
  opened: boolean;
  /** It was open long enough, or heard something valid, to count as a working connection. */
  stable: boolean;
  /** The HTTP status when the upgrade was answered with something other than 101. */
  httpStatus?: number;
  retryAfterMs?: number;
  /** `code` of the socket error, when there was one (ECONNREFUSED …); none for a handshake timeout. */
  errorCode?: string;
}

/** Socket errors that mean nothing is there to answer (as opposed to a server too busy to). */
const NOTHING_LISTENING = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** The outcome the backoff needs, from how an attempt ended (the agent's link and the fleet's virtual agents alike). */
export function classifyAttempt({ opened, stable, httpStatus, retryAfterMs, errorCode }: AttemptEnd): AttemptOutcome {
  if (opened) return { kind: stable ? 'stable' : 'refused' };
  if (httpStatus === undefined) return { kind: errorCode !== undefined && NOTHING_LISTENING.has(errorCode) ? 'unreachable' : 'refused' };
  if (httpStatus === 503 && retryAfterMs !== undefined) return { kind: 'busy', retryAfterMs };
  return { kind: isUpstreamDown(httpStatus) ? 'unreachable' : 'refused' };
}

export function isUpstreamDown(httpStatus: number): boolean {
  return UPSTREAM_DOWN_STATUSES.has(httpStatus);
}

/** Longest Retry-After honoured; a larger (or garbled) one falls back to this. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff and Jitter") with a
 * short cap while the server is unreachable and the server's own Retry-After when it is busy.
 * A `busy` answer is not a failure: it does not grow the backoff.
 */
export class ReconnectPolicy {
  private failures = 0;
  private readonly options: ReconnectPolicyOptions;

  constructor(options: Partial<ReconnectPolicyOptions> = {}, private readonly random: () => number = Math.random) {
    this.options = { ...DEFAULT_RECONNECT_POLICY, ...options };
  }

  /** Milliseconds to wait before the next attempt, given how the last one ended. */
  delayAfter(outcome: AttemptOutcome): number {
    const { baseMs, capMs, unreachableCapMs, retryAfterJitterMs } = this.options;
    switch (outcome.kind) {
      case 'busy':
        return Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) + this.random() * retryAfterJitterMs;
      case 'stable':
        this.failures = 0;
        return this.random() * baseMs;
      case 'unreachable':
        return this.escalate(Math.min(capMs, unreachableCapMs));
      case 'refused':
        return this.escalate(capMs);
    }
  }

  private escalate(capMs: number): number {
    const delay = this.random() * Math.min(capMs, this.options.baseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return delay;
  }
}

/**
 * Retry-After of an HTTP answer in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date names its day and month; without letters, Date.parse would take '-5' for a year.
  const date = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}

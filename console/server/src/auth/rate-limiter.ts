/**
 * Counts failures per key in a fixed window, in memory. Enough for one console process; the
 * counts reset on restart, which only gives an attacker one fresh window per restart.
 */
export class FailureRateLimiter {
  private readonly windows = new Map<string, { startedAtMs: number; failures: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly nowMs: () => number,
  ) {}

  isBlocked(key: string): boolean {
    const window = this.current(key);
    return window !== undefined && window.failures >= this.maxFailures;
  }

  recordFailure(key: string): void {
    const window = this.current(key);
    if (window) window.failures += 1;
    else this.windows.set(key, { startedAtMs: this.nowMs(), failures: 1 });
    if (this.windows.size > 10_000) this.prune();
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string) {
    const window = this.windows.get(key);
    if (window && this.nowMs() - window.startedAtMs >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /**
   * Drops ended windows. A window is added (or started again) at the map's end, so the ended ones
   * stand at its front: this reads only those and one more, not every key on every failure.
   */
  private prune(): void {
    const now = this.nowMs();
    for (const [key, window] of this.windows) {
      if (now - window.startedAtMs < this.windowMs) break;
      this.windows.delete(key);
    }
  }
}

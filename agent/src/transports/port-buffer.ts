/**
 * The listener/buffer half every TransportPort implementation shares, so the real ports and the
 * mock keep the same delivery rules:
 * - chunks received while nobody listens are buffered and handed to the first listener (on the
 *   next tick), so nothing is lost between `open` and `onData`;
 * - `dropBuffered` forgets those chunks (the in-process half of `discardInput`);
 * - close listeners fire at most once, with the first error reported.
 */
export class PortEvents {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();
  private buffered: Uint8Array[] = [];
  private closedWith: { error?: Error } | undefined;
  private flushScheduled = false;

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Bytes that arrived while nobody listened and still wait for the first listener. */
  get bufferedBytes(): number {
    return this.buffered.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  emitData(chunk: Uint8Array): void {
    if (this.closedWith || chunk.length === 0) return;
    // While buffered chunks wait for their next-tick delivery, newer ones queue behind them.
    if (this.dataListeners.size === 0 || this.flushScheduled) {
      this.buffered.push(chunk);
      return;
    }
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  emitClose(error?: Error): void {
    if (this.closedWith) return;
    this.closedWith = error ? { error } : {};
    this.buffered = [];
    for (const listener of [...this.closeListeners]) listener(error);
    this.closeListeners.clear();
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    if (this.buffered.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => {
        this.flushScheduled = false;
        const pending = this.buffered;
        this.buffered = [];
        for (const chunk of pending) this.emitData(chunk);
      });
    }
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    if (this.closedWith) {
      // A late subscriber still learns that the port is gone, on the next tick like everyone else.
      const { error } = this.closedWith;
      process.nextTick(() => listener(error));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  dropBuffered(): void {
    this.buffered = [];
  }
}

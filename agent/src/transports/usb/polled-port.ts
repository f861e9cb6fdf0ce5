// What the two USB ports share: a port whose reads are polled (no OS event tells that bytes came),
// closed once, releasing its handle only after the read in flight returned.
import { PortEvents } from '../port-buffer';
import type { TransportError, TransportPort } from '../transport';

/**
 * Contract: see TransportPort. A subclass starts its read loop in its constructor
 * (`this.polling = this.poll()`), keeps reading while `isOpen`, and calls `fail` when the device
 * fails under it; `releaseHandle` frees what it holds and runs once, after the loop ended.
 */
export abstract class PolledPort implements TransportPort {
  protected readonly events = new PortEvents();
  protected polling: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(readonly description: string) {}

  get bufferedInputBytes(): number {
    return this.events.bufferedBytes;
  }

  get isOpen(): boolean {
    return !this.events.closed && this.closing === undefined;
  }

  abstract write(data: Uint8Array): Promise<void>;

  protected abstract releaseHandle(): Promise<void>;

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  // Bytes the poller already took are dropped here. Neither usblp nor the printer class has a
  // flush of the device's own queue: the reply reader sets aside anything unexpected by pattern.
  async discardInput(): Promise<void> {
    this.events.dropBuffered();
  }

  close(): Promise<void> {
    this.closing ??= this.release().then(() => this.events.emitClose());
    return this.closing;
  }

  /** The device failed under us: close with `error` once, free the handle without waiting; returns `error`. */
  protected fail(error: TransportError): TransportError {
    if (!this.events.closed) {
      this.events.emitClose(error);
      this.closing ??= this.release();
    }
    return error;
  }

  private async release(): Promise<void> {
    await this.polling.catch(() => {});
    await this.releaseHandle().catch(() => {});
  }
}

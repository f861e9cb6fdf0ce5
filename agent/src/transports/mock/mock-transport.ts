import { TransportError, type OpenTransport, type TransportPort, type TransportTarget } from '../transport';
import { PortEvents } from '../port-buffer';

/**
 * Answers what the device under test would send back for one write: the reply bytes, or null
 * for silence. Called once per `write`, with exactly the bytes written.
 */
export type MockResponder = (written: Uint8Array) => Uint8Array | readonly number[] | null;

export interface MockTransportOptions {
  responder?: MockResponder;
  /** Delay before a responder's reply is delivered (0: next tick). */
  replyDelayMs?: number;
  /** Bytes already waiting in the "OS buffer" when the port opens: stale replies from earlier. */
  staleInput?: readonly number[];
  description?: string;
}

/**
 * An in-process TransportPort for unit tests. It keeps the TransportPort contract the way the
 * real ports do (asynchronous delivery via process.nextTick, buffering until the first listener,
 * one close event) and adds test hooks: `writes`, `emitData`, `emitClose`.
 */
export class MockTransport implements TransportPort {
  readonly description: string;
  /** Every write, in order. */
  readonly writes: Uint8Array[] = [];
  discardCount = 0;
  private readonly events = new PortEvents();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: MockTransportOptions = {}) {
    this.description = options.description ?? 'mock';
    if (options.staleInput && options.staleInput.length > 0) this.events.emitData(Uint8Array.from(options.staleInput));
  }

  get bufferedInputBytes(): number {
    return this.events.bufferedBytes;
  }

  get isOpen(): boolean {
    return !this.events.closed;
  }

  /** Bytes the "device" sends now, unprompted (ASB frames, XON/XOFF, late replies). */
  emitData(bytes: Uint8Array | readonly number[]): void {
    const chunk = Uint8Array.from(bytes);
    process.nextTick(() => this.events.emitData(chunk));
  }

  /** The device vanishes (with an error) or the peer hangs up (without). */
  emitClose(error?: Error): void {
    process.nextTick(() => this.shutDown(error));
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('closed', `${this.description} is closed`));
    const written = Uint8Array.from(data);
    this.writes.push(written);
    const reply = this.options.responder?.(written) ?? null;
    if (reply !== null && reply.length > 0) {
      const delay = this.options.replyDelayMs ?? 0;
      if (delay > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.events.emitData(Uint8Array.from(reply));
        }, delay);
        this.timers.add(timer);
      } else {
        this.emitData(reply);
      }
    }
    return new Promise((resolve) => process.nextTick(resolve));
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  discardInput(): Promise<void> {
    this.discardCount += 1;
    this.events.dropBuffered();
    return new Promise((resolve) => process.nextTick(resolve));
  }

  close(): Promise<void> {
    this.shutDown();
    return new Promise((resolve) => process.nextTick(resolve));
  }

  private shutDown(error?: Error): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.events.emitClose(error);
  }
}

export interface MockOpenTransport {
  open: OpenTransport;
  /** Every port handed out, in order, so tests can check they were all closed. */
  readonly opened: MockTransport[];
}

/**
 * An OpenTransport that hands out MockTransports, or fails to connect when `connect` returns a
 * TransportError.
 */
export function createMockOpenTransport(connect: (target: TransportTarget) => MockTransport | TransportError): MockOpenTransport {
  const opened: MockTransport[] = [];
  const open: OpenTransport = (target, signal) =>
    new Promise((resolve, reject) =>
      process.nextTick(() => {
        if (signal?.aborted) return reject(new TransportError('canceled', 'open canceled'));
        const result = connect(target);
        if (result instanceof TransportError) return reject(result);
        opened.push(result);
        resolve(result);
      }),
    );
  return { open, opened };
}

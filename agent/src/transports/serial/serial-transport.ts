import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { errorText } from '../../logger';
import { describeTarget, TransportError, type TransportPort, type TransportTarget } from '../transport';
import { PortEvents } from '../port-buffer';

type SerialTarget = Extract<TransportTarget, { kind: 'serial' }>;

/** The part of serialport's SerialPortStream this transport uses; SerialPort and SerialPortMock both fit. */
export interface SerialPortStreamLike extends Duplex {
  readonly isOpen: boolean;
  open(callback?: (error: Error | null) => void): void;
  flush(callback?: (error: Error | null) => void): void;
  drain(callback?: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
}

/**
 * A SerialPort-compatible class. The real `SerialPort` is the default; unit tests pass
 * `SerialPortMock` (backed by @serialport/binding-mock), the way node-serialport tests its stream.
 */
export type SerialPortClass = new (options: { path: string; baudRate: number; autoOpen: false; lock: true }) => SerialPortStreamLike;

export interface SerialTransportDeps {
  SerialPortClass?: SerialPortClass;
}

/**
 * How serialport says that another program holds the port. Linux/macOS: bindings-cpp takes an
 * exclusive flock() with `lock: true` and fails with "Error <strerror> Cannot lock port" (EAGAIN /
 * EWOULDBLOCK: "Resource temporarily unavailable"); some drivers refuse the open itself with EBUSY.
 * Windows: CreateFile on a COM port another process has open fails with "<path>: Access denied".
 * @serialport/binding-mock: "Port is locked cannot open".
 */
const HELD_BY_ANOTHER = /Cannot lock port|Access denied|Port is locked|EBUSY|EAGAIN|EWOULDBLOCK|resource busy|Resource temporarily unavailable/i;

/**
 * The path is not there: Linux/macOS ENOENT ("No such file or directory"), Windows "File not found"
 * / "The system cannot find the file specified" for a COM port that is not present;
 * @serialport/binding-mock: "Port does not exist".
 */
const NOT_THERE = /ENOENT|No such file or directory|File not found|cannot find the file|Port does not exist/i;

/**
 * 'busy' when the open failure says another program holds the port, 'absent' when the path does
 * not exist (unplugged USB-serial adapter, wrong COM number), else 'cannot_connect'.
 */
export function serialOpenErrorCode(error: Error): 'busy' | 'absent' | 'cannot_connect' {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EBUSY' || code === 'EAGAIN' || HELD_BY_ANOTHER.test(error.message)) return 'busy';
  return code === 'ENOENT' || NOT_THERE.test(error.message) ? 'absent' : 'cannot_connect';
}

/**
 * Opens a serial port (RS-232, USB-serial, CDC-ACM or a pseudo-terminal) for one probe, with an
 * exclusive lock (`lock: true`): the agent never shares a port with the POS. Rejects with
 * TransportError('busy') when another program holds the port, 'cannot_connect' when the path is
 * missing or refuses the settings. A port that disappears while open fires onClose with the
 * disconnect error.
 */
export function openSerialTransport(target: SerialTarget, signal?: AbortSignal, deps: SerialTransportDeps = {}): Promise<TransportPort> {
  const PortClass: SerialPortClass = deps.SerialPortClass ?? SerialPort;
  const where = describeTarget(target);
  return new Promise<TransportPort>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError('canceled', `open ${where} canceled`));
      return;
    }
    let stream: SerialPortStreamLike;
    try {
      stream = new PortClass({ path: target.path, baudRate: target.baudRate, autoOpen: false, lock: true });
    } catch (error) {
      // serialport validates options synchronously and throws TypeError for bad ones.
      reject(new TransportError('cannot_connect', `cannot open ${where}: ${errorText(error)}`, { cause: error }));
      return;
    }
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(new TransportError('canceled', `open ${where} canceled`));
      stream.once('open', () => stream.close());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // The stream re-emits open failures as 'error' events when nobody listens; swallow them here
    // because the callback below already reports them.
    const swallow = () => {};
    stream.on('error', swallow);
    stream.open((error) => {
      signal?.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      if (error) {
        stream.off('error', swallow);
        const code = serialOpenErrorCode(error);
        const why = code === 'busy' ? `${where} is held by another program (the POS application?)` : code === 'absent' ? `${where} is not there (unplugged?)` : `cannot open ${where}`;
        reject(new TransportError(code, `${why}: ${error.message}`, { cause: error }));
        return;
      }
      stream.off('error', swallow);
      resolve(new SerialTransportPort(stream, where));
    });
  });
}

class SerialTransportPort implements TransportPort {
  private readonly events = new PortEvents();
  private lastError: Error | undefined;

  constructor(
    private readonly stream: SerialPortStreamLike,
    readonly description: string,
  ) {
    stream.on('data', (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk)));
    stream.on('error', (error: Error) => {
      this.lastError = error;
    });
    // serialport emits 'close' with a DisconnectedError when the device vanishes (USB unplugged,
    // pty master gone) and with nothing after a regular close().
    stream.on('close', (error?: Error | null) => this.events.emitClose(error ?? this.lastError));
  }

  get bufferedInputBytes(): number {
    return this.events.bufferedBytes;
  }

  get isOpen(): boolean {
    return !this.events.closed && this.stream.isOpen;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('closed', `${this.description} is closed`));
    return new Promise((resolve, reject) => {
      const failed = (error: Error) =>
        reject(new TransportError('closed', `write to ${this.description} failed: ${error.message}`, { cause: error }));
      this.stream.write(Buffer.from(data), (error) => {
        if (error) return failed(error);
        // write's callback fires when the stream took the bytes; drain waits until the OS sent them.
        this.stream.drain((drainError) => (drainError ? failed(drainError) : resolve()));
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  discardInput(): Promise<void> {
    this.events.dropBuffered();
    if (!this.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      // tcflush(TCIOFLUSH) in the OS; a failing flush is not worth failing the probe over, the
      // reply reader still sets stale bytes aside by pattern.
      this.stream.flush(() => {
        this.events.dropBuffered();
        resolve();
      });
    });
  }

  close(): Promise<void> {
    if (!this.stream.isOpen) {
      this.events.emitClose();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.stream.close(() => {
        this.events.emitClose();
        resolve();
      });
    });
  }
}

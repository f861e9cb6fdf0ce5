import { connect as netConnect, type Socket } from 'node:net';
import { describeTarget, TransportError, type TransportPort, type TransportTarget } from '../transport';
import { PortEvents } from '../port-buffer';

type TcpTarget = Extract<TransportTarget, { kind: 'tcp' }>;

export interface TcpTransportDeps {
  /** node:net `connect`; injectable so tests can hand in a socket that never connects. */
  connect?: (options: { host: string; port: number }) => Socket;
  /** How long `close()` waits for the peer's FIN before destroying the socket. */
  closeGraceMs?: number;
}

const CONNECT_ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port, or the printer is busy)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset by the printer',
};

/**
 * Opens one TCP connection (raw port 9100) for one probe. The caller must close it as soon as the
 * probe is done: Epson UB-E02 boards let only one connection print and block the others until it
 * closes or idles out for 5 minutes, so a held connection stops the POS's own receipts.
 */
export function openTcpTransport(target: TcpTarget, signal?: AbortSignal, deps: TcpTransportDeps = {}): Promise<TransportPort> {
  const connect = deps.connect ?? ((options) => netConnect(options));
  const where = describeTarget(target);
  return new Promise<TransportPort>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError('canceled', `connect to ${where} canceled`));
      return;
    }
    const socket = connect({ host: target.host, port: target.port });
    let settled = false;
    const fail = (error: TransportError) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: NodeJS.ErrnoException) => {
      const words = (error.code && CONNECT_ERROR_WORDS[error.code]) ?? error.message;
      fail(new TransportError('cannot_connect', `cannot connect to ${where}: ${words}`, { cause: error }));
    };
    const onAbort = () => fail(new TransportError('canceled', `connect to ${where} canceled`));
    const timer = setTimeout(
      () => fail(new TransportError('cannot_connect', `cannot connect to ${where}: no answer within ${target.connectTimeoutMs} ms`)),
      target.connectTimeoutMs,
    );
    const onConnect = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(new TcpPort(socket, where, deps.closeGraceMs ?? 250));
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('connect', onConnect);
      signal?.removeEventListener('abort', onAbort);
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class TcpPort implements TransportPort {
  private readonly events = new PortEvents();
  private lastError: Error | undefined;

  constructor(
    private readonly socket: Socket,
    readonly description: string,
    private readonly closeGraceMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk)));
    socket.on('error', (error) => {
      this.lastError = error;
    });
    socket.on('close', () => this.events.emitClose(this.lastError));
  }

  get bufferedInputBytes(): number {
    return this.events.bufferedBytes;
  }

  get isOpen(): boolean {
    return !this.events.closed && !this.socket.destroyed;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('closed', `${this.description} is closed`));
    return new Promise((resolve, reject) => {
      this.socket.write(data, (error) => {
        if (error) reject(new TransportError('closed', `write to ${this.description} failed: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.events.onClose(listener);
  }

  // TCP has no flush of the kernel receive queue; a fresh connection per probe is what keeps
  // stale replies out, and the reply reader sets aside anything unexpected.
  async discardInput(): Promise<void> {
    this.events.dropBuffered();
  }

  close(): Promise<void> {
    if (this.socket.destroyed) {
      this.events.emitClose();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.socket.destroy(), this.closeGraceMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        this.events.emitClose();
        resolve();
      });
      this.socket.end();
    });
  }
}

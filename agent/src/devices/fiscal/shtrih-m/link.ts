// The ByteLink the exchange needs, over the agent's TransportPort: received chunks queue up until
// read; a read waits up to its timeout; the port closing or the signal aborting ends every read.
import { TransportError, type TransportPort } from '../../../transports/transport';
import type { ByteLink } from './exchange';

export interface PortLink extends ByteLink {
  /** Stops listening to the port (the port itself stays open: its owner closes it). */
  dispose(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A ByteLink over an open port. Subscribe before the first write, so no reply is missed. */
export function portLink(port: TransportPort, timers: Timers = realTimers): PortLink {
  const queue: Uint8Array[] = [];
  let closed: TransportError | undefined;
  let wake: (() => void) | undefined;
  const stopData = port.onData((chunk) => {
    queue.push(chunk);
    wake?.();
  });
  const stopClose = port.onClose((error) => {
    closed = new TransportError('closed', error ? `${port.description} closed: ${error.message}` : `${port.description} closed by the device`);
    wake?.();
  });

  return {
    write: (bytes) => port.write(bytes),
    async drain() {
      queue.length = 0;
      await port.discardInput();
    },
    read(timeoutMs, signal) {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      if (closed) return Promise.reject(closed);
      if (signal?.aborted) return Promise.reject(new TransportError('canceled', 'read canceled'));
      return new Promise((resolve, reject) => {
        const finish = () => {
          timers.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          wake = undefined;
        };
        const onAbort = () => {
          finish();
          reject(new TransportError('canceled', 'read canceled'));
        };
        const timer = timers.setTimeout(() => {
          finish();
          resolve(null);
        }, timeoutMs);
        wake = () => {
          const chunk = queue.shift();
          if (chunk) {
            finish();
            resolve(chunk);
          } else if (closed) {
            finish();
            reject(closed);
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    dispose() {
      stopData();
      stopClose();
    },
  };
}

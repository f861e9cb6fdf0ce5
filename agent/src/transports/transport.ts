import { z } from 'zod';

export const TcpTarget = z.object({
  kind: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(9100),
  /** connect timeout */
  connectTimeoutMs: z.number().int().min(50).max(30_000).default(1500),
});
export const SerialTarget = z.object({
  kind: z.literal('serial'),
  path: z.string().min(1),
  baudRate: z.number().int().min(1200).max(921_600).default(9600),
});
export const TransportTarget = z.discriminatedUnion('kind', [TcpTarget, SerialTarget]);
export type TransportTarget = z.infer<typeof TransportTarget>;

/** "host:port" or "path @ baud": how a target is shown in evidence and the console. */
export function describeTarget(target: TransportTarget): string {
  return target.kind === 'tcp' ? `${target.host}:${target.port}` : `${target.path} @ ${target.baudRate}`;
}

/**
 * Why a transport failed, so drivers decide without reading message text:
 * - `busy`: another program holds the port (serial: its lock, or Windows "Access denied"). Not a
 *   dead device: a fiscal driver reports "port busy" and tries again later, never steals it;
 * - `absent`: the device is not there at all: a serial path that does not exist, a USB printer
 *   that is not enumerated (unplugged). Drivers report it as disconnected, not as silent;
 * - `cannot_connect`: nothing answers the open (refused or unreachable host, bad settings);
 * - `timeout`: no connection within the connect timeout;
 * - `closed`: the port closed or vanished while in use (write failed, peer gone);
 * - `canceled`: the caller's signal aborted the open;
 * - `io`: any other failure while in use.
 */
export type TransportErrorCode = 'busy' | 'absent' | 'cannot_connect' | 'closed' | 'timeout' | 'canceled' | 'io';

/** A transport failure with a stable code (see TransportErrorCode); `message` names the port and what happened. */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/**
 * An open byte channel to one device, held only for the duration of one probe.
 *
 * Contract (both the real implementations and the mock keep it):
 * - `write` resolves once the bytes were handed to the OS (serial: drained); it rejects with
 *   TransportError('closed') if the port is closed or vanished.
 * - every byte received after `open` resolved is delivered to `onData` listeners, in order, in
 *   chunks of any size (a reply may arrive split or merged with other bytes);
 * - bytes that arrive while no `onData` listener is attached are buffered in the port and handed
 *   to the first listener on the next tick (so nothing is lost between `open` and `onData`);
 * - `discardInput` drops bytes buffered so far, in the OS and in the port (stale replies);
 *   subscribe to `onData` after it, or stale bytes reach the listener first;
 * - listeners are called asynchronously relative to the call that caused them (process.nextTick
 *   at the earliest), never synchronously inside `write`;
 * - `onClose` fires once, when the peer closes or the device disappears (with the error, if any),
 *   or after `close()`;
 * - `close` is idempotent and never rejects.
 */
export interface TransportPort {
  readonly description: string;
  write(data: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  onClose(listener: (error?: Error) => void): () => void;
  discardInput(): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

/**
 * Opens a port to a target; rejects with a TransportError when it cannot: 'busy' when another
 * program holds it, 'cannot_connect' or 'timeout' otherwise, 'canceled' on abort.
 */
export type OpenTransport = (target: TransportTarget, signal?: AbortSignal) => Promise<TransportPort>;

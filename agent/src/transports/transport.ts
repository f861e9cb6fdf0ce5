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
/** A USB id as lsusb shows it ("04b8", "0x04b8") or as a number (0x04b8 = 1208). */
const UsbId = z.preprocess(
  (value) => (typeof value === 'string' && /^(0x)?[0-9a-f]{1,4}$/i.test(value) ? Number.parseInt(value.replace(/^0x/i, ''), 16) : value),
  z.number({ error: 'a USB id: 4 hex digits as a string ("04b8") or a number' }).int().min(0).max(0xffff),
);

/**
 * A USB printer, reached one of two ways:
 * - `vendorId` + `productId` (+ `serialNumber` when two alike are plugged in): the printer-class
 *   interface through the `usb` package, when no kernel driver holds it;
 * - `path` (Linux): the usblp character device `/dev/usb/lpN` the kernel made for it.
 */
export const UsbTarget = z
  .object({
    kind: z.literal('usb'),
    vendorId: UsbId.optional(),
    productId: UsbId.optional(),
    serialNumber: z.string().min(1).max(64).optional(),
    path: z.string().min(1).max(100).optional(),
  })
  .superRefine((target, ctx) => {
    const byIds = target.vendorId !== undefined || target.productId !== undefined || target.serialNumber !== undefined;
    if (target.path !== undefined && byIds) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'give either "path" (/dev/usb/lp0) or "vendorId" + "productId", not both' });
    } else if (target.path === undefined && (target.vendorId === undefined || target.productId === undefined)) {
      ctx.addIssue({ code: 'custom', path: [target.vendorId === undefined ? 'vendorId' : 'productId'], message: 'required: "vendorId" and "productId" (lsusb: 04b8:0e03), or "path" (/dev/usb/lp0)' });
    }
  });
export const TransportTarget = z.discriminatedUnion('kind', [TcpTarget, SerialTarget, UsbTarget]);
export type TransportTarget = z.infer<typeof TransportTarget>;
export type UsbTarget = Extract<TransportTarget, { kind: 'usb' }>;

const hex4 = (id: number | undefined) => (id ?? 0).toString(16).padStart(4, '0');

/** "usb 04b8:0e03", with " serial X" when the target names one, or the usblp path. */
export function describeUsbTarget(target: UsbTarget): string {
  if (target.path !== undefined) return target.path;
  const serial = target.serialNumber === undefined ? '' : ` serial ${target.serialNumber}`;
  return `usb ${hex4(target.vendorId)}:${hex4(target.productId)}${serial}`;
}

/** "host:port", "path @ baud" or "usb 04b8:0e03": how a target is shown in evidence and the console. */
export function describeTarget(target: TransportTarget): string {
  switch (target.kind) {
    case 'tcp':
      return `${target.host}:${target.port}`;
    case 'serial':
      return `${target.path} @ ${target.baudRate}`;
    case 'usb':
      return describeUsbTarget(target);
  }
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
 * - `bufferedInputBytes` counts the bytes waiting in the port for that first listener (0 once
 *   they were handed over or discarded); bytes still in the OS are not counted;
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
  readonly bufferedInputBytes: number;
}

/**
 * Opens a port to a target; rejects with a TransportError when it cannot: 'busy' when another
 * program holds it, 'cannot_connect' or 'timeout' otherwise, 'canceled' on abort.
 */
export type OpenTransport = (target: TransportTarget, signal?: AbortSignal) => Promise<TransportPort>;

// One request and the bytes that come back, for short identification exchanges: subscribe, write,
// collect until the reply is complete, the time is up, the port closes or the signal aborts.
import type { TransportPort } from '../../transports/transport';
import { toHex } from './hex';
import { waitUntil } from './wait';

export interface RequestReplyOptions {
  /** how long to wait for the reply to be complete */
  timeoutMs: number;
  signal: AbortSignal;
  /** true once the bytes received so far are a whole reply (or can never become one) */
  complete: (received: Uint8Array) => boolean;
}

export interface RequestReplyResult {
  /** every byte received after the request was written, in order */
  received: Uint8Array;
  /** why the write failed, when it did (the port closed) */
  writeError?: string;
}

/**
 * Writes `request` and collects what arrives. Never throws: a failed write is `writeError`, a
 * timeout is whatever arrived by then (possibly nothing). Stale input is the caller's business
 * (`port.discardInput()` before the first request).
 */
export async function requestReply(port: TransportPort, request: Uint8Array, options: RequestReplyOptions): Promise<RequestReplyResult> {
  const chunks: number[] = [];
  let closed = false;
  let wake = () => {};
  const stopData = port.onData((chunk) => {
    chunks.push(...chunk);
    wake();
  });
  const stopClose = port.onClose(() => {
    closed = true;
    wake();
  });
  try {
    await port.write(request);
  } catch (error) {
    stopData();
    stopClose();
    return { received: Uint8Array.from(chunks), writeError: error instanceof Error ? error.message : String(error) };
  }
  await waitUntil(options.timeoutMs, {
    signal: options.signal,
    done: () => closed || options.complete(Uint8Array.from(chunks)),
    setWake: (fn) => (wake = fn),
  });
  stopData();
  stopClose();
  return { received: Uint8Array.from(chunks) };
}

/** Bytes quoted in a step: the first 16, then how many more. */
function quoted(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing';
  const shown = toHex(bytes.subarray(0, 16));
  return bytes.length > 16 ? `${shown} … (+${bytes.length - 16} bytes)` : shown;
}

/**
 * One identification step in words: "DLE EOT 1 (10 04 01) → 12: ESC/POS real-time status".
 * Bounded to 160 characters (DiscoveredPort.steps entries are at most 200).
 */
export function exchangeStep(label: string, request: Uint8Array, received: Uint8Array, meaning: string): string {
  return `${label} (${toHex(request)}) → ${quoted(received)}: ${meaning}`.slice(0, 160);
}

/** The printable ASCII of a device's text reply, trimmed; undefined when nothing printable is left. */
export function printableText(bytes: Uint8Array, max = 100): string | undefined {
  const text = Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ' '))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
  return text === '' ? undefined : text;
}

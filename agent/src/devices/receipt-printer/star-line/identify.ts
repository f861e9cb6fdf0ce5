// Discovery's question to an unknown port: "are you a Star printer in line mode?" Read-only: it
// listens first (a printer with automatic status on sends frames unasked, and Star forbids asking
// then), else asks ESC ACK SOH once. Nothing that prints, cuts, resets or changes a setting.
import { exchangeStep, requestReply } from '../../common/request-reply';
import { waitUntil } from '../../common/wait';
import { FIRST_PRINTER_ORDER, type DeviceIdentifier, type Identification } from '../../driver';
import type { TransportPort } from '../../../transports/transport';
import { parseStarFrame, STATUS_REQUEST } from './protocol';
import { StarStatusReader } from './protocol-reader';

const REQUEST = Uint8Array.from(STATUS_REQUEST);
/** probe.ts's TCP reply timeout; serial at 9600 baud needs ~10 ms for a 9-byte frame. */
const REPLY_TIMEOUT_MS = 800;
const LISTEN_MS = 100;

function frameWords(bytes: readonly number[]): string {
  const status = parseStarFrame(bytes);
  return status ? `Star automatic status frame, version ${status.version}, ${bytes.length} bytes` : 'not a Star status frame';
}

/** Frames sent unasked while listening: automatic status is on, so the port is matched without asking. */
async function listen(port: TransportPort, signal: AbortSignal): Promise<Identification | undefined> {
  const reader = new StarStatusReader();
  let wake = () => {};
  const stop = port.onData((chunk) => {
    reader.push(chunk);
    wake();
  });
  await waitUntil(LISTEN_MS, { signal, done: () => reader.unsolicitedFrames.length > 0, setWake: (fn) => (wake = fn) });
  stop();
  const frame = reader.unsolicitedFrames.at(-1);
  if (!frame || !parseStarFrame(frame.bytes)) return undefined;
  return { matched: true, steps: [`listened ${LISTEN_MS} ms → ${frame.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}: ${frameWords(frame.bytes)} sent unasked (automatic status on; not asked)`.slice(0, 160)] };
}

/** A whole valid frame in reply to ESC ACK SOH, or one unasked, makes the port a Star in line mode. */
export async function identifyStarLine(port: TransportPort, signal: AbortSignal): Promise<Identification> {
  await port.discardInput();
  const heard = await listen(port, signal);
  if (heard) return heard;
  const reader = new StarStatusReader();
  reader.expectReply();
  const { received, writeError } = await requestReply(port, REQUEST, {
    timeoutMs: REPLY_TIMEOUT_MS,
    signal,
    complete: (r) => {
      const fresh = new StarStatusReader();
      fresh.expectReply();
      fresh.push(r);
      return fresh.hasReply;
    },
  });
  if (writeError) return { matched: false, steps: [`ESC ACK SOH not sent: ${writeError}`.slice(0, 160)] };
  reader.push(received);
  const reply = reader.take().reply;
  const matched = reply !== undefined && parseStarFrame(reply.bytes) !== undefined;
  const meaning = received.length === 0 ? 'no answer' : matched ? frameWords(reply.bytes) : 'not a Star status frame';
  return { matched, steps: [exchangeStep('ESC ACK SOH', REQUEST, received, meaning)] };
}

export const starLineIdentification: DeviceIdentifier = {
  // After ESC/POS (100): an ESC/POS printer is matched by DLE EOT 1 and never gets ESC ACK SOH.
  order: FIRST_PRINTER_ORDER + 10,
  // 9600: the transport's default, and the rate the simulator and the examples here use [U for Star's factory setting].
  serialBaudRates: [9600],
  identify: identifyStarLine,
};

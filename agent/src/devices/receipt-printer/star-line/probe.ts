// Opens the printer's transport, drains stale input, listens for unasked frames (automatic status),
// asks ESC ACK SOH once when none came, and closes the port again.
import type { DeviceReport, Exchange, PrinterFacts } from '@tillscope/shared';
import { describeTarget, type TransportPort } from '../../../transports/transport';
import { transportCodeOf, type LinkOutcome } from '../../common/printer-link';
import { buildReport, CANCELED_TEXT, closedText, endpointOf, requireTransport, transportErrorText } from '../../common/report';
import { waitUntil } from '../../common/wait';
import type { ProbeContext } from '../../driver';
import { diagnoseStarLine } from './diagnosis';
import type { StarLineMemory, StarLineOptions } from './options';
import { STATUS_REQUEST } from './protocol';
import { StarStatusReader, statusExchange, type ReadFrame } from './protocol-reader';

/** How long to wait for the frame after asking: a networked board answers in ms; serial 9600 baud needs ~1 ms a byte. */
export const DEFAULT_REPLY_TIMEOUT_MS = { tcp: 800, serial: 500, usb: 500 } as const;

const TRANSPORT_WORDS = { tcp: 'TCP', serial: 'serial port', usb: 'USB printer' } as const;

/** After a frame is complete, how long to watch for more status-pattern bytes (a length that did not fit). */
const SETTLE_MS = 20;

export type StarLineProbeContext = ProbeContext<StarLineOptions, StarLineMemory>;

export interface StarLineProbeOptions {
  replyTimeoutMs?: number;
}

interface StarRun {
  link: LinkOutcome;
  exchanges: Exchange[];
  automatic: boolean;
}

/**
 * Probes one Star printer in line mode. Never throws for device or transport trouble; the port is
 * always closed before this resolves (a held TCP 9100 connection blocks the POS's printing).
 */
export async function probeStarLine(ctx: StarLineProbeContext, options: StarLineProbeOptions = {}): Promise<DeviceReport> {
  const started = ctx.now();
  const target = requireTransport(ctx.device);
  let run: StarRun;
  let port: TransportPort | undefined;
  try {
    port = await ctx.openTransport(target, ctx.signal);
    await port.discardInput();
    run = await readStatus(port, ctx, options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS[target.kind]);
  } catch (error) {
    run = { link: { state: 'failed', code: transportCodeOf(error), text: transportErrorText(error) }, exchanges: [], automatic: false };
  } finally {
    await port?.close().catch(() => undefined);
  }
  const where = `${TRANSPORT_WORDS[target.kind]} ${describeTarget(target)}`;
  const diagnosis = diagnoseStarLine({ ...run, where, canceled: ctx.signal.aborted });
  return buildReport({
    deviceId: ctx.device.id,
    kind: 'receipt-printer',
    driver: 'star-line',
    model: ctx.device.model,
    diagnosis,
    endpoint: endpointOf(ctx.device),
    exchanges: run.exchanges,
    transportError: run.link.state === 'failed' ? run.link.text : undefined,
    printer: printerFacts(run),
    started,
    finished: ctx.now(),
  });
}

function printerFacts(run: StarRun): PrinterFacts | undefined {
  const last = run.exchanges.at(-1);
  if (!last) return undefined;
  const request = run.automatic ? 'automatic status (frames sent unasked)' : 'ESC ACK SOH';
  return { statusSupport: [{ request, answers: last.valid }] };
}

/** The port's inbound stream while one probe reads it: the reader, whether it closed, and waits. */
function subscribe(port: TransportPort, signal: AbortSignal) {
  const reader = new StarStatusReader();
  let wake: (() => void) | undefined;
  const state: { closed?: { error?: Error } } = {};
  const stopData = port.onData((chunk) => {
    reader.push(chunk);
    wake?.();
  });
  const stopClose = port.onClose((error) => {
    state.closed = error ? { error } : {};
    wake?.();
  });
  const waitFor = async (ms: number, done: () => boolean) => {
    await waitUntil(ms, { signal, done: () => done() || state.closed !== undefined, setWake: (fn) => (wake = fn) });
    wake = undefined;
  };
  return { reader, state, waitFor, stop: () => (stopData(), stopClose()) };
}

type Session = ReturnType<typeof subscribe>;

async function readStatus(port: TransportPort, ctx: StarLineProbeContext, replyTimeoutMs: number): Promise<StarRun> {
  const session = subscribe(port, ctx.signal);
  const sentAt = ctx.now().getTime();
  const elapsed = () => Math.max(0, ctx.now().getTime() - sentAt);
  try {
    const { options, memory } = ctx;
    const unasked = () => session.reader.unsolicitedFrames.length > 0;
    if (options.status === 'automatic' || memory.automaticSeen) {
      await session.waitFor(options.automaticWaitMs, unasked);
      return await unaskedRun(session, port, elapsed);
    }
    await session.waitFor(options.listenMs, unasked);
    const early = session.reader.unsolicitedFrames.at(-1);
    if (early && !memory.unanswered) {
      // Automatic status is on: Star forbids asking now. Use what it sent, and only listen from now on.
      memory.automaticSeen = true;
      return await unaskedRun(session, port, elapsed);
    }
    // A frame on a line whose last request went unanswered is that late answer: stale, set aside.
    memory.unanswered = false;
    const run = await askOnce(session, port, ctx, replyTimeoutMs, early);
    memory.unanswered = requireTransport(ctx.device).kind === 'serial' && !run.exchanges.some((e) => e.valid);
    return run;
  } finally {
    session.stop();
  }
}

async function unaskedRun(session: Session, port: TransportPort, elapsed: () => number): Promise<StarRun> {
  const frame = session.reader.unsolicitedFrames.at(-1);
  if (frame) await session.waitFor(SETTLE_MS, () => false);
  const exchange = statusExchange(frame, session.reader.take().discarded, elapsed(), false);
  return { link: linkAfter(session, port, exchange), exchanges: [exchange], automatic: true };
}

async function askOnce(session: Session, port: TransportPort, ctx: StarLineProbeContext, timeoutMs: number, stale: ReadFrame | undefined): Promise<StarRun> {
  const { reader } = session;
  const sentAt = ctx.now().getTime();
  if (ctx.signal.aborted) return { link: { state: 'failed', code: 'canceled', text: CANCELED_TEXT }, exchanges: [], automatic: false };
  if (session.state.closed) return { link: closedLink(session, port), exchanges: [], automatic: false };
  reader.expectReply();
  let writeError: unknown;
  try {
    await port.write(Uint8Array.from(STATUS_REQUEST));
  } catch (error) {
    writeError = error;
  }
  if (writeError === undefined) await session.waitFor(timeoutMs, () => reader.hasReply || ctx.signal.aborted);
  if (reader.hasReply) await session.waitFor(SETTLE_MS, () => false);
  const take = reader.take();
  const discarded = stale ? Uint8Array.from([...stale.bytes, ...take.discarded]) : take.discarded;
  const exchange = statusExchange(take.reply, discarded, Math.max(0, ctx.now().getTime() - sentAt));
  if (writeError !== undefined && !exchange.valid) {
    return { link: { state: 'failed', code: transportCodeOf(writeError), text: `ESC ACK SOH not sent: ${transportErrorText(writeError)}` }, exchanges: [exchange], automatic: false };
  }
  if (ctx.signal.aborted && !exchange.valid) return { link: { state: 'failed', code: 'canceled', text: CANCELED_TEXT }, exchanges: [exchange], automatic: false };
  return { link: linkAfter(session, port, exchange), exchanges: [exchange], automatic: false };
}

/** Opened, unless the port closed before a valid frame came (a vanished device reads as disconnected). */
function linkAfter(session: Session, port: TransportPort, exchange: Exchange): LinkOutcome {
  return session.state.closed && !exchange.valid ? closedLink(session, port) : { state: 'opened' };
}

function closedLink(session: Session, port: TransportPort): LinkOutcome {
  return { state: 'failed', code: 'closed', text: `while waiting for the status: ${closedText(port, session.state.closed?.error)}` };
}

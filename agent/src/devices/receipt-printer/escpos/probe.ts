// Opens the printer's transport, asks DLE EOT 1..4 one at a time, and closes it again.
import type { DeviceReport, Exchange } from '@tillscope/shared';
import type { TransportPort } from '../../../transports/transport';
import { buildReport, CANCELED_TEXT, closedText, endpointOf, requireTransport, transportErrorText } from '../../common/report';
import { waitUntil } from '../../common/wait';
import type { DeviceConfig, ProbeContext } from '../../driver';
import { diagnoseEscPos, type Diagnosis } from './diagnosis';
import type { EscPosOptions } from './options';
import { dleEotRequest, RealTimeStatusReader, STATUS_QUERIES, statusExchange, type StatusQuery } from './protocol';

/**
 * How long to wait for each reply. A networked printer answers DLE EOT within a few ms; the
 * margin covers a busy Ethernet board. Serial at 9600 baud needs ~1 ms per byte.
 */
export const DEFAULT_REPLY_TIMEOUT_MS = { tcp: 800, serial: 500, usb: 500 } as const;

export type EscPosProbeContext = ProbeContext<EscPosOptions, undefined>;

export interface EscPosProbeOptions {
  /** Per-query reply timeout; defaults to DEFAULT_REPLY_TIMEOUT_MS for the transport kind. */
  replyTimeoutMs?: number;
}

export interface StatusQueryRun {
  exchanges: Exchange[];
  transportError?: string;
}

/**
 * Probes one ESC/POS printer. Never throws for device or transport trouble, and not on abort
 * either: those end up in evidence.transportError and the findings. The port is always closed
 * before this resolves, because a held TCP 9100 connection blocks the POS's own printing.
 */
export async function probeEscPos(ctx: EscPosProbeContext, options: EscPosProbeOptions = {}): Promise<DeviceReport> {
  const started = ctx.now();
  const target = requireTransport(ctx.device);
  const timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS[target.kind];

  let run: StatusQueryRun;
  let port: TransportPort | undefined;
  try {
    port = await ctx.openTransport(target, ctx.signal);
    await port.discardInput();
    run = await queryRealTimeStatus(port, { timeoutMs, signal: ctx.signal, now: ctx.now });
  } catch (error) {
    // Only opening (or a failing discardInput) gets here; queryRealTimeStatus reports its own trouble.
    run = { exchanges: [], transportError: transportErrorText(error) };
  } finally {
    await port?.close().catch(() => undefined);
  }

  return reportOf(ctx.device, diagnoseEscPos({ ...run, canceled: ctx.signal.aborted }), run, started, ctx.now());
}

/**
 * Probes over a connection someone else holds open (the ASB watch's) and leaves it open. Input is
 * not drained: on a held connection every byte has already gone to the holder's listeners.
 */
export async function probeHeldPort(ctx: EscPosProbeContext, port: TransportPort, options: EscPosProbeOptions = {}): Promise<{ report: DeviceReport; run: StatusQueryRun }> {
  const started = ctx.now();
  const timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS[requireTransport(ctx.device).kind];
  const run = await queryRealTimeStatus(port, { timeoutMs, signal: ctx.signal, now: ctx.now });
  return { report: reportOf(ctx.device, diagnoseEscPos({ ...run, canceled: ctx.signal.aborted }), run, started, ctx.now()), run };
}

/** A DeviceReport from a diagnosis and the exchanges behind it (a probe, or an ASB frame). */
export function reportOf(device: DeviceConfig, diagnosis: Diagnosis, run: StatusQueryRun, started: Date, finished: Date): DeviceReport {
  return buildReport({
    deviceId: device.id,
    kind: 'receipt-printer',
    driver: 'escpos',
    model: device.model,
    diagnosis,
    endpoint: endpointOf(device),
    exchanges: run.exchanges,
    transportError: run.transportError,
    started,
    finished,
  });
}

export interface QueryOptions {
  timeoutMs: number;
  signal: AbortSignal;
  now: () => Date;
  queries?: readonly StatusQuery[];
}

/**
 * Sends DLE EOT n for each query in turn, never more than one outstanding, and records one
 * Exchange per query sent. Stops at the first query without a valid reply: a late reply to it
 * would arrive while the next query waits and be taken for that one's answer.
 * Subscribe after `discardInput`, as this function does, or stale bytes come first.
 */
export async function queryRealTimeStatus(port: TransportPort, options: QueryOptions): Promise<StatusQueryRun> {
  const reader = new RealTimeStatusReader();
  const exchanges: Exchange[] = [];
  let wake: (() => void) | undefined;
  let closed: { error?: Error } | undefined;
  const stopData = port.onData((chunk) => {
    reader.push(chunk);
    if (reader.hasReply) wake?.();
  });
  const stopClose = port.onClose((error) => {
    closed = error ? { error } : {};
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);

  try {
    for (const n of options.queries ?? STATUS_QUERIES) {
      const request = dleEotRequest(n);
      const sentAt = options.now().getTime();
      let failure: string | undefined;
      if (options.signal.aborted) failure = CANCELED_TEXT;
      else if (closed) failure = closedText(port, closed.error);
      if (failure) return { exchanges, transportError: failure };

      reader.expectReply();
      let writeError: unknown;
      try {
        await port.write(request);
      } catch (error) {
        writeError = error;
      }
      if (writeError === undefined) {
        await waitUntil(options.timeoutMs, { done: () => reader.hasReply || closed !== undefined || options.signal.aborted, setWake: (fn) => (wake = fn) });
      }
      wake = undefined;

      const exchange = statusExchange(n, reader.take(), Math.max(0, options.now().getTime() - sentAt));
      exchanges.push(exchange);
      if (exchange.valid) continue;
      if (writeError !== undefined) return { exchanges, transportError: `DLE EOT ${n} not sent: ${transportErrorText(writeError)}` };
      if (closed) return { exchanges, transportError: `while waiting for DLE EOT ${n}: ${closedText(port, closed.error)}` };
      if (options.signal.aborted) return { exchanges, transportError: CANCELED_TEXT };
      return { exchanges };
    }
    return { exchanges };
  } finally {
    stopData();
    stopClose();
    options.signal.removeEventListener('abort', onAbort);
  }
}

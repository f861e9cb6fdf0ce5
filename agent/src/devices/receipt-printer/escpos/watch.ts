// `options.status: "asb"`: one held connection on which the printer reports every status change itself
// (Automatic Status Back, GS a n), with the normal DLE EOT poll kept on it as a safety net.
import type { DeviceReport } from '@tillscope/shared';
import { errorText, moduleLogger } from '../../../logger';
import { describeTarget, type TransportPort } from '../../../transports/transport';
import { byteHex, toHex } from '../../common/hex';
import { requireTransport } from '../../common/report';
import { abortableSleep, createExclusiveQueue, waitUntil } from '../../common/wait';
import type { DeviceWatch, WatchContext } from '../../driver';
import { diagnoseAsbFrame } from './diagnosis';
import type { EscPosOptions } from './options';
import type { EscPosMemory } from './memory';
import { checkPortNotFiscal, DEFAULT_REPLY_TIMEOUT_MS, probeEscPos, probeHeldPort, queryStatus, reportOf, type EscPosProbeContext } from './probe';
import { openSession } from './probe-session';
import { ASB_ENABLE_MASK, asbEnableRequest, decodeAsbFrame, type AsbFrame } from './protocol-asb';
import { EscPosStream } from './protocol-stream';

export interface AsbWatchOptions {
  /**
   * How long to wait, after `GS a n`, for the frame the printer sends on enabling. `GS a` is not a
   * real-time command: it waits behind queued data, so this is generous compared to DLE EOT.
   */
  enableTimeoutMs?: number;
  /** Per DLE EOT reply; defaults to DEFAULT_REPLY_TIMEOUT_MS for the transport kind. */
  replyTimeoutMs?: number;
  /** Delay before reconnecting after a drop or a failed attempt: doubles from initialMs up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * A printer that answers DLE EOT but ignored `GS a` is polled only; ASB is tried again this
   * much later (it may have been offline with `GS a` stuck in its buffer, or been reconfigured).
   */
  retryIgnoredAfterMs?: number;
}

export const ASB_WATCH_DEFAULTS = {
  enableTimeoutMs: 1_000,
  backoff: { initialMs: 1_000, maxMs: 30_000 },
  retryIgnoredAfterMs: 10 * 60_000,
} as const;

/** The connection the watch holds once the printer has sent a frame. */
interface Held {
  port: TransportPort;
  /** the last frame received on it */
  last: AsbFrame;
  /** resolves when the connection is gone, whoever closed it */
  closed: Promise<void>;
  openedAt: number;
  /** stops listening, closes the port and resolves `closed`; idempotent */
  close(): Promise<void>;
}

type Attempt =
  | { outcome: 'watching'; held: Held }
  | { outcome: 'ignored' } // answers DLE EOT, not GS a: poll only, try again much later
  | { outcome: 'failed'; reason: string };

/**
 * Watches one ESC/POS printer in Automatic Status Back mode; undefined unless the device is
 * configured with `options.status: "asb"`.
 *
 * - Connects, drains stale input, sends `GS a 0x0f` (ASB_ENABLE_MASK) and waits for the frame a
 *   printer sends on enabling. That frame, and every later frame that differs from the one before,
 *   becomes a report (the poll's diagnosis vocabulary, via diagnoseAsbFrame) handed to
 *   `ctx.onReport` at once.
 * - Probes the loop asks for go over the held connection (DLE EOT 1..4; the reader sets ASB frames
 *   aside): a safety net for a lost or misread frame, and a liveness check, because a printer that
 *   vanished without closing the connection looks exactly like silence. No reply to DLE EOT 1
 *   closes the connection.
 * - Without a held connection (connecting, dropped, GS a ignored) probes open their own, exactly
 *   as in poll mode. Probes and connection attempts queue: one user of the printer at a time.
 * - A drop: one probe at once on a fresh connection, whose report goes out like a frame's (printer
 *   gone, or a blip?), then reconnection with backoff. A printer that answers DLE EOT but sends no
 *   frame after `GS a` is logged once and polled; ASB is retried much later.
 * - stop() closes the connection and never sends `GS a 0`: on an Epson UB-E02 that kills the
 *   board's own ASB monitoring (docs/devices.md §1.3), and no source asks to switch ASB off.
 */
export function watchEscPos(ctx: WatchContext<EscPosOptions, EscPosMemory>, options: AsbWatchOptions = {}): DeviceWatch<EscPosOptions, EscPosMemory> | undefined {
  if (ctx.options.status !== 'asb') return undefined;
  const { device } = ctx;
  const target = requireTransport(device);
  const where = `${device.id} (${describeTarget(target)})`;
  const log = moduleLogger(ctx.logger, 'asb');
  const replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS[target.kind] ?? 800;
  const enableTimeoutMs = options.enableTimeoutMs ?? ASB_WATCH_DEFAULTS.enableTimeoutMs;
  const backoff = options.backoff ?? ASB_WATCH_DEFAULTS.backoff;
  const retryIgnoredAfterMs = options.retryIgnoredAfterMs ?? ASB_WATCH_DEFAULTS.retryIgnoredAfterMs;

  const stopping = new AbortController();
  let held: Held | undefined;
  const queue = createExclusiveQueue();
  let ignoredLogged = false;
  let troubleLogged = false;

  /** Runs `task` once everything queued before it has settled. */
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => queue.run(task);

  function emit(report: DeviceReport): void {
    if (stopping.signal.aborted) return;
    try {
      ctx.onReport(report);
    } catch (error) {
      log.error(`${where}: could not hand over a report: ${errorText(error)}`);
    }
  }

  function frameReport(frame: AsbFrame, enabling: boolean): DeviceReport {
    const at = ctx.now();
    const exchange = {
      label: enabling ? `ASB frame on enabling (GS a ${byteHex(ASB_ENABLE_MASK)})` : 'ASB frame: the printer reported a change',
      request: enabling ? toHex(asbEnableRequest()) : '',
      reply: toHex(frame),
      discarded: '',
      valid: true,
      decoded: decodeAsbFrame(frame),
      elapsedMs: 0,
    };
    return reportOf(device, diagnoseAsbFrame(frame), { exchanges: [exchange] }, at, at);
  }

  async function attempt(): Promise<Attempt> {
    // A fiscal register's port gets no printer byte (GS a included) for the rest of the run.
    if (ctx.memory.fiscalPort) return { outcome: 'failed', reason: `not a printer: ${ctx.memory.fiscalPort.evidence}` };
    let port: TransportPort;
    try {
      port = await ctx.openTransport(target, stopping.signal);
    } catch (error) {
      return { outcome: 'failed', reason: `cannot connect: ${errorText(error)}` };
    }
    try {
      await port.discardInput();
    } catch (error) {
      await port.close();
      return { outcome: 'failed', reason: `cannot drain input: ${errorText(error)}` };
    }
    if (target.kind === 'serial' && !ctx.memory.enqChecked) {
      const fiscal = await checkPortNotFiscal(port, ctx.memory, { signal: stopping.signal, now: ctx.now });
      if (fiscal) {
        await port.close();
        return { outcome: 'failed', reason: `not a printer: ${fiscal}` };
      }
    }

    // Blocks off: no GS I is asked on this connection, and a stray 5F must not swallow a frame.
    const stream = new EscPosStream({ blocks: false });
    let last: AsbFrame | undefined;
    let confirmed: Held | undefined;
    let wake = () => {};
    let markClosed = () => {};
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const stopData = port.onData((chunk) => {
      for (const item of stream.push(chunk)) {
        if (item.kind !== 'asb') continue;
        const frame = item.frame;
        const changed = last === undefined || frame.some((byte, i) => byte !== last![i]);
        last = frame;
        if (confirmed) confirmed.last = frame;
        // Before confirmation the attempt reports the latest frame itself, below.
        if (changed && confirmed && held === confirmed) emit(frameReport(frame, false));
      }
      if (last !== undefined) wake();
    });
    const stopClose = port.onClose(() => {
      markClosed();
      wake();
    });
    const close = async () => {
      stopData();
      stopClose();
      await port.close();
      markClosed();
    };

    try {
      await port.write(asbEnableRequest());
    } catch (error) {
      await close();
      return { outcome: 'failed', reason: `GS a not sent: ${errorText(error)}` };
    }
    await waitUntil(enableTimeoutMs, { signal: stopping.signal, setWake: (fn) => (wake = fn), done: () => last !== undefined || !port.isOpen });
    if (stopping.signal.aborted) {
      await close();
      return { outcome: 'failed', reason: 'stopping' };
    }
    if (last !== undefined && port.isOpen) {
      confirmed = { port, last, closed, openedAt: Date.now(), close };
      held = confirmed;
      emit(frameReport(last, true));
      return { outcome: 'watching', held: confirmed };
    }
    if (!port.isOpen) {
      await close();
      return { outcome: 'failed', reason: 'the printer closed the connection after GS a' };
    }
    // No frame: does the printer answer at all? If so it ignored GS a (no ASB in this model or
    // emulation, or GS a waits in its buffer behind data it will not print while offline).
    const session = openSession(port, { signal: stopping.signal, now: ctx.now, lateReplyWindowMs: 0, blocks: false });
    const check = await queryStatus(session, ctx.memory, replyTimeoutMs, [1]);
    session.stop();
    await close();
    if (check.exchanges[0]?.valid) return { outcome: 'ignored' };
    return { outcome: 'failed', reason: `no ASB frame within ${enableTimeoutMs} ms of GS a, and no reply to DLE EOT 1` };
  }

  function noteTrouble(message: string): void {
    if (troubleLogged) return;
    troubleLogged = true;
    log.warn(`${where}: ${message}; polling until Automatic Status Back is back`);
  }

  function backoffMs(failures: number): number {
    return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  }

  async function supervise(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const result = await exclusive(attempt);
      if (stopping.signal.aborted) {
        if (result.outcome === 'watching') await result.held.close();
        break;
      }
      let waitMs: number;
      if (result.outcome === 'watching') {
        const h = result.held;
        if (troubleLogged) log.info(`${where}: Automatic Status Back active again`);
        else if (failures === 0) log.info(`${where}: Automatic Status Back active (GS a ${byteHex(ASB_ENABLE_MASK)})`);
        troubleLogged = false;
        await h.closed;
        if (held === h) held = undefined;
        if (stopping.signal.aborted) break;
        // A connection that stayed up a while was healthy: the backoff starts over.
        if (Date.now() - h.openedAt >= backoff.maxMs) failures = 0;
        noteTrouble('the connection dropped');
        // Printer gone, or a blip? One probe now tells, and goes out at once like a frame.
        const dropProbe: EscPosProbeContext = { device, options: ctx.options, memory: ctx.memory, endpoint: ctx.endpoint, openTransport: ctx.openTransport, now: ctx.now, signal: stopping.signal };
        const report = await exclusive(() => probeEscPos(dropProbe, { replyTimeoutMs }));
        emit(report);
        failures += 1;
        waitMs = backoffMs(failures);
      } else if (result.outcome === 'ignored') {
        if (!ignoredLogged) {
          ignoredLogged = true;
          log.warn(
            `${where}: the printer answers DLE EOT but sent no Automatic Status Back frame within ${enableTimeoutMs} ms of GS a ` +
              `(no ASB on this model or emulation?): polling it instead, and trying ASB again every ${Math.round(retryIgnoredAfterMs / 1000)} s`,
          );
        }
        waitMs = retryIgnoredAfterMs;
      } else {
        noteTrouble(result.reason);
        failures += 1;
        waitMs = backoffMs(failures);
      }
      await abortableSleep(waitMs, stopping.signal);
    }
  }

  const supervisor = supervise().catch((error: unknown) => log.error(`${where}: the watch stopped: ${errorText(error)}`));

  return {
    probe(probeCtx: EscPosProbeContext): Promise<DeviceReport> {
      return exclusive(async () => {
        const h = held;
        if (!h || !h.port.isOpen) return probeEscPos(probeCtx, { replyTimeoutMs });
        const { report, run } = await probeHeldPort(probeCtx, h.port, { replyTimeoutMs });
        // Silence on the held connection: the printer may be gone without closing it. Reconnect.
        if (!probeCtx.signal.aborted && run.exchanges[0]?.valid !== true) await h.close();
        return report;
      });
    },
    async stop() {
      stopping.abort(new Error('agent stopping'));
      const h = held;
      held = undefined;
      await h?.close();
      await supervisor;
      await queue.idle();
    },
  };
}

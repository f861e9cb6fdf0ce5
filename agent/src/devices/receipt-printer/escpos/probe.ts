// Opens the printer's transport, (serial, first contact) checks it is not a fiscal register's,
// asks DLE EOT 1..4 one at a time (skipping what the printer is known not to answer), reads GS I
// once when online, and closes it again.
import type { DeviceReport, Exchange } from '@tillscope/shared';
import { describeTarget, TransportError, type TransportPort } from '../../../transports/transport';
import { MAX_DISCARDED_BYTES, parseHex, toHex } from '../../common/hex';
import { buildReport, endpointOf, requireTransport, transportErrorText } from '../../common/report';
import type { DeviceConfig, ProbeContext } from '../../driver';
import { diagnoseEscPos, type Connection, type Diagnosis, type DiagnosisInput } from './diagnosis';
import { knownSilent, noteAnswer, shouldAsk, statusSupportOf, type EscPosMemory } from './memory';
import type { EscPosOptions } from './options';
import { readCountersIfDue, readIdentityIfDue } from './probe-identity';
import { openSession, type ProbeSession, type SessionFailure } from './probe-session';
import { dleEotRequest, STATUS_QUERIES, statusExchange, type StatusQuery } from './protocol';
import { ACK, ENQ, enqExchange, fiscalHandshake } from './protocol-identity';

/**
 * How long to wait for each reply. A networked printer answers DLE EOT within a few ms; the
 * margin covers a busy Ethernet board. Serial at 9600 baud needs ~1 ms per byte.
 */
export const DEFAULT_REPLY_TIMEOUT_MS: Readonly<Record<string, number>> = { tcp: 800, serial: 500, usb: 500 };
/** After an unanswered request, bytes arriving within this window are a late reply: discarded. */
export const DEFAULT_LATE_REPLY_WINDOW_MS = 250;
/** The Shtrih-M handshake answers within its byte timeout (100 ms in javapos_shtrih); margin for USB-serial. */
export const DEFAULT_ENQ_TIMEOUT_MS = 300;

export type EscPosProbeContext = ProbeContext<EscPosOptions, EscPosMemory>;

export interface EscPosProbeOptions {
  /** Per-query reply timeout; defaults to DEFAULT_REPLY_TIMEOUT_MS for the transport kind. */
  replyTimeoutMs?: number;
  lateReplyWindowMs?: number;
  enqTimeoutMs?: number;
  /** GS I per-request timeout; default 300 ms (it is answered only when the print buffer is empty) */
  idTimeoutMs?: number;
}

export interface StatusQueryRun extends Omit<DiagnosisInput, 'canceled'> {
  exchanges: Exchange[];
  transportError?: string;
  identity?: DeviceReport['identity'];
}

const replyTimeout = (kind: string, options: EscPosProbeOptions) => options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS[kind] ?? 800;

/**
 * Probes one ESC/POS printer. Never throws for device or transport trouble, and not on abort
 * either: those end up in evidence.transportError and the findings. The port is always closed
 * before this resolves, because a held TCP 9100 connection blocks the POS's own printing.
 */
export async function probeEscPos(ctx: EscPosProbeContext, options: EscPosProbeOptions = {}): Promise<DeviceReport> {
  const started = ctx.now();
  const target = requireTransport(ctx.device);
  ctx.memory.probes += 1;
  if (ctx.memory.fiscalPort) {
    const run: StatusQueryRun = { exchanges: [], connection: { opened: false, code: 'fiscal', text: `${describeTarget(target)} not opened: ${ctx.memory.fiscalPort.evidence}` }, wrongDevice: ctx.memory.fiscalPort.evidence };
    return reportOf(ctx.device, diagnose(ctx, run), run, started, ctx.now(), ctx.memory);
  }
  let port: TransportPort;
  try {
    port = await ctx.openTransport(target, ctx.signal);
  } catch (error) {
    const run: StatusQueryRun = { exchanges: [], connection: openFailure(error), transportError: transportErrorText(error) };
    return reportOf(ctx.device, diagnose(ctx, run), run, started, ctx.now(), ctx.memory);
  }
  let run: StatusQueryRun;
  try {
    run = await probeOpenPort(ctx, port, target.kind, options);
  } finally {
    await port.close().catch(() => undefined);
  }
  return reportOf(ctx.device, diagnose(ctx, run), run, started, ctx.now(), ctx.memory);
}

function diagnose(ctx: EscPosProbeContext, run: StatusQueryRun): Diagnosis {
  return diagnoseEscPos({ ...run, canceled: ctx.signal.aborted });
}

function openFailure(error: unknown): Connection {
  const code = error instanceof TransportError ? error.code : 'io';
  return { opened: false, code, text: transportErrorText(error) };
}

/** Drain, identify (serial, once per run), DLE EOT, GS I; never throws for transport trouble. */
async function probeOpenPort(ctx: EscPosProbeContext, port: TransportPort, kind: string, options: EscPosProbeOptions): Promise<StatusQueryRun> {
  const connection: Connection = { opened: true, text: `${port.description}: ${kind === 'tcp' ? 'TCP connection made' : 'port opened'}` };
  try {
    await port.discardInput();
  } catch (error) {
    return { exchanges: [], connection, transportError: transportErrorText(error), closedMidRead: true };
  }
  const session = openSession(port, { signal: ctx.signal, now: ctx.now, lateReplyWindowMs: options.lateReplyWindowMs ?? DEFAULT_LATE_REPLY_WINDOW_MS, blocks: true });
  try {
    const exchanges: Exchange[] = [];
    if (kind === 'serial' && !ctx.memory.enqChecked) {
      const wrong = await checkNotFiscal(session, ctx.memory, options.enqTimeoutMs ?? DEFAULT_ENQ_TIMEOUT_MS, exchanges);
      if (wrong) return { exchanges, connection, wrongDevice: wrong };
    }
    const run = await queryStatus(session, ctx.memory, replyTimeout(kind, options));
    const idTimeoutMs = options.idTimeoutMs ?? 300;
    const identity = run.failure ? undefined : await readIdentityIfDue(session, ctx.memory, run, idTimeoutMs);
    const counters = run.failure ? undefined : await readCountersIfDue(session, ctx.memory, run, idTimeoutMs);
    const all = [...exchanges, ...run.exchanges, ...(identity?.exchanges ?? []), ...(counters?.exchanges ?? [])];
    return { ...runFields(run), exchanges: all, connection, ...(ctx.memory.identity ? { identity: ctx.memory.identity } : {}) };
  } finally {
    session.stop();
  }
}

/**
 * First contact with a serial port this run: ENQ, the Shtrih-M handshake's opening byte, which an
 * ESC/POS printer does not act on (README "Wrong device"). NAK or ACK within the timeout means a
 * fiscal register is on the port: remembered, and no printer byte goes to it again this run.
 */
async function checkNotFiscal(session: ProbeSession, memory: EscPosMemory, timeoutMs: number, exchanges: Exchange[]): Promise<string | undefined> {
  const result = await session.ask(Uint8Array.of(ENQ), 'raw', timeoutMs);
  let bytes = result.take.discarded;
  // After ACK a register sends the answer it held (STX …): listen for it before deciding.
  if (!result.failure && bytes.includes(ACK)) bytes = Uint8Array.from([...bytes, ...(await session.settle())]);
  exchanges.push(enqExchange(bytes, result.elapsedMs));
  if (result.failure) return undefined;
  memory.enqChecked = true;
  const handshake = fiscalHandshake(bytes);
  if (handshake.fiscal) {
    const evidence = `ENQ (05) answered ${handshake.byte === 0x15 ? 'NAK (15)' : 'ACK (06) and a frame'} in ${Math.round(result.elapsedMs)} ms: the Shtrih-M fiscal register handshake, not a printer`;
    memory.fiscalPort = { evidence, at: new Date() };
    return evidence;
  }
  if (bytes.length > 0 && !bytes.includes(ACK)) await session.settle();
  return undefined;
}

/** The ENQ check on a port someone opened (the ASB watch, before its GS a): the fiscal evidence, if any. */
export async function checkPortNotFiscal(port: TransportPort, memory: EscPosMemory, options: { signal: AbortSignal; now: () => Date }): Promise<string | undefined> {
  const session = openSession(port, { ...options, lateReplyWindowMs: DEFAULT_LATE_REPLY_WINDOW_MS, blocks: false });
  try {
    return await checkNotFiscal(session, memory, DEFAULT_ENQ_TIMEOUT_MS, []);
  } finally {
    session.stop();
  }
}

export interface StatusRun {
  exchanges: Exchange[];
  failure?: SessionFailure;
  /** queries the printer is known (memory) not to answer, asked this probe or not */
  knownSilent: StatusQuery[];
}

/**
 * Sends DLE EOT n for each query in turn, never more than one outstanding, and records one
 * Exchange per query sent. A query without a valid reply is followed by the late-reply window,
 * so a late answer to it is discarded, not taken for the next query's. A query the printer has
 * been silent to twice is skipped (asked again every REASK_EVERY_PROBES probes). DLE EOT 1
 * unanswered by a printer that has answered nothing this run ends the probe (no reply).
 */
export async function queryStatus(session: ProbeSession, memory: EscPosMemory, timeoutMs: number, queries: readonly StatusQuery[] = STATUS_QUERIES): Promise<StatusRun> {
  const exchanges: Exchange[] = [];
  for (const n of queries) {
    const name = `DLE EOT ${n}`;
    if (n !== 1 && !shouldAsk(memory, name)) continue;
    const result = await session.ask(dleEotRequest(n), 'status', timeoutMs);
    const exchange = statusExchange(n, result.take, result.elapsedMs);
    if (result.failure) {
      exchanges.push(exchange);
      const text = result.failure.text.startsWith('not sent') ? `${name} ${result.failure.text}` : `while waiting for ${name}: ${result.failure.text}`;
      return { exchanges, failure: { ...result.failure, text: result.failure.code === 'canceled' ? result.failure.text : text }, knownSilent: silentOf(memory, queries) };
    }
    noteAnswer(memory, name, exchange.valid);
    if (!exchange.valid) {
      const late = await session.settle();
      exchanges.push(late.length > 0 ? { ...exchange, discarded: toHex([...parseHex(exchange.discarded), ...late].slice(0, MAX_DISCARDED_BYTES)) } : exchange);
      if (n === 1 && !answeredAnything(memory)) break;
      continue;
    }
    exchanges.push(exchange);
  }
  return { exchanges, knownSilent: silentOf(memory, queries) };
}

const silentOf = (memory: EscPosMemory, queries: readonly StatusQuery[]) => queries.filter((n) => knownSilent(memory, `DLE EOT ${n}`));

function answeredAnything(memory: EscPosMemory): boolean {
  return [...memory.requests.values()].some((r) => r.answeredEver);
}

function runFields(run: StatusRun): Partial<StatusQueryRun> {
  return {
    knownSilent: run.knownSilent,
    ...(run.failure ? { transportError: run.failure.text, ...(run.failure.code === 'canceled' ? {} : { closedMidRead: true }) } : {}),
  };
}

/**
 * Probes over a connection someone else holds open (the ASB watch's) and leaves it open. Input is
 * not drained: on a held connection every byte has already gone to the holder's listeners.
 * GS I is not asked here (its block replies are off on a held connection).
 */
export async function probeHeldPort(ctx: EscPosProbeContext, port: TransportPort, options: EscPosProbeOptions = {}): Promise<{ report: DeviceReport; run: StatusQueryRun }> {
  const started = ctx.now();
  ctx.memory.probes += 1;
  const timeoutMs = replyTimeout(requireTransport(ctx.device).kind, options);
  const session = openSession(port, { signal: ctx.signal, now: ctx.now, lateReplyWindowMs: options.lateReplyWindowMs ?? DEFAULT_LATE_REPLY_WINDOW_MS, blocks: false });
  let status: StatusRun;
  try {
    status = await queryStatus(session, ctx.memory, timeoutMs);
  } finally {
    session.stop();
  }
  const run: StatusQueryRun = { ...runFields(status), exchanges: status.exchanges, connection: { opened: true, text: `${port.description}: connection held by the ASB watch` } };
  return { report: reportOf(ctx.device, diagnose(ctx, run), run, started, ctx.now(), ctx.memory), run };
}

/** A DeviceReport from a diagnosis and the exchanges behind it (a probe, or an ASB frame). */
export function reportOf(device: DeviceConfig, diagnosis: Diagnosis, run: Pick<StatusQueryRun, 'exchanges' | 'transportError' | 'identity'>, started: Date, finished: Date, memory?: EscPosMemory): DeviceReport {
  const statusSupport = memory ? statusSupportOf(memory) : [];
  const counters = memory?.counters;
  const printer = { ...(statusSupport.length > 0 ? { statusSupport } : {}), ...(counters ? { counters } : {}) };
  return buildReport({
    deviceId: device.id,
    kind: 'receipt-printer',
    driver: 'escpos',
    model: device.model,
    diagnosis,
    endpoint: endpointOf(device),
    exchanges: run.exchanges.slice(0, 32),
    transportError: run.transportError,
    identity: run.identity ?? memory?.identity,
    printer: Object.keys(printer).length > 0 ? printer : undefined,
    started,
    finished,
  });
}

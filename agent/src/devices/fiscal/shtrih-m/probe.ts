// Opens the register's port, reads its status with the allowed commands one exchange at a time,
// and closes the port again, whatever happens. Order (README "Probe rules"): 0x10 first, and
// nothing more when it shows an open document (mode 8) or does not answer; then 0x11, 0xFC (once
// per device), 0xFF01, 0xFF03, 0xFF39, 0xFF3F, 0xFF40.
import type { DeviceReport } from '@tillscope/shared';
import { buildReport, CANCELED_TEXT, requireTransport, transportErrorText } from '../../common/report';
import type { ProbeContext } from '../../driver';
import { TransportError, type TransportPort } from '../../../transports/transport';
import { diagnoseShtrih } from './diagnosis';
import { exchangeEvidence, runExchange, type ExchangeOutcome, type HandshakeLimits } from './exchange';
import type { CommandRun, ShtrihMemory } from './facts';
import { portLink, type PortLink } from './link';
import type { ShtrihOptions } from './options';
import type { AllowedCommand } from './protocol';
import { decodeReply } from './replies';

/** After the status read, in this order. 0xFC is skipped once the device's type is known. */
const FOLLOW_UP: readonly AllowedCommand[] = [0x11, 0xfc, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40];

/** Outcomes after which the line is gone or silent: the rest of the reads would only wait. */
const LINE_LOST: ReadonlySet<ExchangeOutcome['kind']> = new Set(['transport', 'canceled', 'no_connection', 'garbage']);

export async function probeShtrih(ctx: ProbeContext<ShtrihOptions, ShtrihMemory>): Promise<DeviceReport> {
  const started = ctx.now();
  const runs: CommandRun[] = [];
  let openFailure: { busy: boolean; text: string } | undefined;
  let transportError: string | undefined;
  let port: TransportPort | undefined;
  let link: PortLink | undefined;
  try {
    port = await ctx.openTransport(requireTransport(ctx.device), ctx.signal);
    // Stale bytes (an answer meant for the POS) go first; the link listens from then on.
    await port.discardInput();
    link = portLink(port);
    transportError = await readStatus(link, ctx, runs);
  } catch (error) {
    // Only opening (or draining) gets here; the exchanges report their own trouble as outcomes.
    const text = transportErrorText(error);
    if (port) transportError = text;
    else openFailure = { busy: error instanceof TransportError && error.code === 'busy', text };
  } finally {
    link?.dispose();
    await port?.close().catch(() => undefined);
  }

  // Over TCP a register held by another client closes a second connection before a byte [I]:
  // that is the same "busy, try later" as a locked serial port, not a dead register.
  const first = runs[0]?.record;
  if (!openFailure && runs.length === 1 && first?.outcome.kind === 'transport' && first.receivedBytes === 0 && ctx.device.transport?.kind === 'tcp') {
    openFailure = { busy: true, text: `${first.outcome.message}: the register closed the connection before answering ENQ` };
  }

  const diagnosis = diagnoseShtrih({
    runs,
    ...(openFailure ? { openFailure } : {}),
    ...(transportError ? { transportError } : {}),
    canceled: ctx.signal.aborted,
    memory: ctx.memory,
    now: ctx.now(),
    thresholds: ctx.options.thresholds,
    flags: { paper: ctx.options.paperFromFlags, cover: ctx.options.coverFromFlags },
  });
  rememberDevice(ctx.memory, runs, diagnosis.shiftMemory);
  return buildReport({
    deviceId: ctx.device.id,
    kind: 'fiscal',
    driver: 'shtrih-m',
    model: ctx.device.model,
    diagnosis,
    endpoint: ctx.endpoint,
    exchanges: runs.map((run) => exchangeEvidence(run.record, run.decoded)),
    transportError: openFailure?.text ?? transportError,
    identity: diagnosis.identity,
    fiscal: diagnosis.facts,
    started,
    finished: ctx.now(),
  });
}

/** Runs the reads; returns the transport failure that ended them early, in words, if any. */
async function readStatus(link: PortLink, ctx: ProbeContext<ShtrihOptions, ShtrihMemory>, runs: CommandRun[]): Promise<string | undefined> {
  const limits: HandshakeLimits = {
    byteTimeoutMs: ctx.options.byteTimeoutMs,
    replyTimeoutMs: ctx.options.replyTimeoutMs,
    maxEnq: ctx.options.maxEnq,
    maxCommandResends: ctx.options.maxCommandResends,
    maxReplyRetries: ctx.options.maxReplyRetries,
    maxUnreadAnswers: ctx.options.maxUnreadAnswers,
  };
  const run = async <C extends AllowedCommand>(command: C): Promise<CommandRun<C>> => {
    const record = await runExchange(link, command, { password: ctx.options.password, limits, signal: ctx.signal });
    const decoded = record.outcome.kind === 'reply' ? decodeReply(command, record.outcome.payload, { criticalErrorBit: ctx.options.criticalErrorBit }) : undefined;
    const done: CommandRun<C> = { command, record, ...(decoded ? { decoded } : {}), at: ctx.now() };
    runs.push(done as CommandRun);
    return done;
  };
  const lost = <C extends AllowedCommand>(r: CommandRun<C>) => (LINE_LOST.has(r.record.outcome.kind) ? lostText(r.record.outcome) : undefined);

  const status = await run(0x10);
  // Mode 8 (a document open), an error instead of the status, or no status at all: stop here.
  if (status.decoded?.status !== 'ok' || status.decoded.value.mode === 8) return lost(status);
  for (const command of FOLLOW_UP) {
    if (command === 0xfc && ctx.memory.deviceType) continue;
    const done = await run(command);
    const ended = lost(done);
    if (ended) return ended;
  }
  return undefined;
}

function lostText(outcome: ExchangeOutcome): string | undefined {
  if (outcome.kind === 'transport') return outcome.message;
  if (outcome.kind === 'canceled') return CANCELED_TEXT;
  return undefined;
}

/** Keeps 0xFC's answer (asked once per device) and the shift as seen, for the next probe. */
function rememberDevice(memory: ShtrihMemory, runs: readonly CommandRun[], shift: ShtrihMemory['shift']): void {
  const type = runs.find((r) => r.command === 0xfc)?.decoded;
  if (type?.status === 'ok') memory.deviceType = type.value as NonNullable<ShtrihMemory['deviceType']>;
  if (shift) memory.shift = shift;
}

// One probe of an ATOL register through its driver's web requests server: a request with
// getDeviceStatus alone (a document open, a busy port or a dead server ends the probe there),
// then one request with the other read-only tasks, ismExchangeStatus last (older firmware fails
// it, and a failed task interrupts the tasks after it). Never a DELETE, never a fiscal task.
import type { DeviceIdentity, DeviceReport, FiscalFacts, StructuredExchange } from '@tillscope/shared';
import { buildReport } from '../../common/report';
import type { ProbeContext } from '../../driver';
import { decodeTaskResult, mergeReading, type DecodeContext } from './answers';
import { diagnoseAtol, type ProbeStop, type TaskRecord } from './diagnosis';
import type { AtolOptions } from './options';
import { taskExchange, type ReadOnlyTask } from './protocol';
import { runWebRequest, type RequestRun, type WebRequestsDeps, type WebServerAccess } from './web-requests';

export type AtolProbeContext = ProbeContext<AtolOptions, undefined>;

const STATUS_TASKS: ReadOnlyTask[] = ['getDeviceStatus'];
const MAIN_TASKS: ReadOnlyTask[] = ['getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'getDeviceInfo'];

/** ATOL errors on getDeviceStatus that mean the register itself cannot be reached: asking more is pointless. */
const UNREACHABLE_CODES = new Set([2, 3, 4]);

export function webServerAccess(options: AtolOptions): WebServerAccess {
  return {
    baseUrl: options.url,
    deviceIdIn: options.deviceIdIn,
    ...(options.deviceId !== undefined ? { deviceId: options.deviceId } : {}),
    ...(options.user !== undefined && options.password !== undefined ? { credentials: { user: options.user, password: options.password } } : {}),
  };
}

/** Probes one ATOL register. Never throws for server or register trouble: that is the report. */
export async function probeAtol(ctx: AtolProbeContext, deps: WebRequestsDeps = {}): Promise<DeviceReport> {
  const started = ctx.now();
  const { options } = ctx;
  const access = webServerAccess(options);
  const timing = { deadlineMs: options.taskDeadlineMs, pollIntervalMs: options.pollIntervalMs };
  const request = (tasks: ReadOnlyTask[]) => runWebRequest(access, tasks, timing, ctx.signal, { now: ctx.now, ...deps });
  const decodeContext = (readAt: Date | undefined): DecodeContext => ({ readAt: readAt ?? ctx.now(), documentOpenField: options.documentOpenField });

  const runs: RequestRun[] = [await request(STATUS_TASKS)];
  const records = recordsOf(runs[0]!, decodeContext);
  let stop = stopOf(runs[0]!, options);
  if (!stop) {
    const status = records[0]!;
    if (status.decoding.part?.fiscal?.documentOpen === true) stop = { kind: 'document_open' };
    else if (status.envelope?.status === 'error' && UNREACHABLE_CODES.has(status.envelope.error?.code ?? 0)) stop = { kind: 'register_unreachable' };
  }
  if (!stop) {
    const main = await request(options.ismExchange ? [...MAIN_TASKS, 'ismExchangeStatus'] : MAIN_TASKS);
    runs.push(main);
    records.push(...recordsOf(main, decodeContext));
    stop = stopOf(main, options);
  }

  const reading = mergeReading(records.map((r) => r.decoding.part));
  const diagnosis = diagnoseAtol({ tasks: records, reading, canceled: ctx.signal.aborted, now: ctx.now(), thresholds: options.thresholds, ...(stop ? { stop } : {}) });
  const failure = runs.find((r) => r.failure)?.failure;
  return buildReport({
    deviceId: ctx.device.id,
    kind: 'fiscal',
    driver: 'atol',
    model: ctx.device.model ?? reading.identity.model,
    diagnosis,
    endpoint: ctx.endpoint,
    exchanges: runs.flatMap((run) => exchangesOf(run, records)),
    transportError: failure?.detail.slice(0, 200),
    identity: nonEmpty<DeviceIdentity>(reading.identity),
    fiscal: nonEmpty<FiscalFacts>(reading.fiscal),
    started,
    finished: ctx.now(),
  });
}

function recordsOf(run: RequestRun, decodeContext: (readAt: Date | undefined) => DecodeContext): TaskRecord[] {
  return run.tasks.map((type, i) => {
    const envelope = run.results[i];
    return { type, ...(envelope ? { envelope } : {}), decoding: decodeTaskResult(type, envelope, decodeContext(run.readAt[i])) };
  });
}

function stopOf(run: RequestRun, options: AtolOptions): ProbeStop | undefined {
  if (run.outcome === 'failed' && run.failure) return { kind: 'failure', failure: run.failure };
  if (run.outcome === 'blocked') {
    const task = run.tasks.find((_, i) => run.results[i]?.status === 'blocked');
    return { kind: 'blocked', ...(task ? { task } : {}), ...(run.posted?.blockedUUID ? { blockedUUID: run.posted.blockedUUID } : {}) };
  }
  if (run.outcome === 'queue_timeout') {
    const pending = run.tasks.filter((_, i) => ['wait', 'inProgress', undefined].includes(run.results[i]?.status));
    return { kind: 'queue_timeout', pending, deadlineMs: options.taskDeadlineMs };
  }
  return undefined;
}

/** One structured exchange per task of the run, its decoding from the records. */
function exchangesOf(run: RequestRun, records: readonly TaskRecord[]): StructuredExchange[] {
  return run.tasks.map((type, i) => {
    const record = records.find((r) => r.type === type)!;
    const envelope = run.results[i];
    return taskExchange({ type, reply: envelope, ...(envelope ? { status: envelope.status } : run.failure ? { status: `not answered: ${run.failure.kind}` } : {}), valid: record.decoding.valid, decoded: record.decoding.decoded, elapsedMs: run.elapsedMs[i] ?? 0 });
  });
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

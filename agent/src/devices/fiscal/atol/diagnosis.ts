// From what the ATOL web requests server said in one probe to findings, checklist and health.
// The 54-FZ rules (shift, FN, OFD, clock, printer faults) are common/fiscal-rules.ts; this adds
// what only the ATOL path sees: no reply from the web server, a busy port, a blocked or slow task
// queue, ATOL error codes, an open document. Pure: no I/O, the time is a parameter.
import { DiagnosisCode, type ChecklistAnswer, type Finding } from '@tillscope/shared';
import { applyFiscalRules, fiscalChecklistNotExamined, type FiscalPrinterState, type FiscalThresholds } from '../../common/fiscal-rules';
import { healthOf, unknownAnswer, type Diagnosis } from '../../common/report';
import type { AtolReading, TaskDecoding } from './answers';
import { atolError, describeAtolError } from './error-codes';
import type { ReadOnlyTask, TaskResultEnvelope } from './protocol';
import type { RequestFailure } from './web-requests';

/**
 * Every code this driver's findings can carry: the fiscal catalogue but the cutter (no ATOL JSON
 * answer reports the cutter). diagnosis.test.ts checks the diagnosis emits nothing else.
 */
export const ATOL_CODES: readonly DiagnosisCode[] = DiagnosisCode.options.filter((code) => code.startsWith('fiscal.') && code !== 'fiscal.cutter_error');

export interface TaskRecord {
  type: ReadOnlyTask;
  /** the task's last result entry; undefined when none was read */
  envelope?: TaskResultEnvelope;
  decoding: TaskDecoding;
}

/** Why the probe stopped before every task was read, when it did. */
export type ProbeStop =
  | { kind: 'failure'; failure: RequestFailure }
  | { kind: 'blocked'; blockedUUID?: string; task?: ReadOnlyTask }
  | { kind: 'queue_timeout'; pending: ReadOnlyTask[]; deadlineMs: number }
  | { kind: 'document_open' }
  | { kind: 'register_unreachable' };

export interface AtolObservation {
  tasks: readonly TaskRecord[];
  stop?: ProbeStop;
  reading: AtolReading;
  /** the agent gave up (stopping, or its probe deadline): silence says nothing about the register */
  canceled: boolean;
  now: Date;
  thresholds: FiscalThresholds;
}

const bounded = (text: string) => text.slice(0, 500);

export function diagnoseAtol(o: AtolObservation): Diagnosis {
  const stop = o.stop;
  if (o.canceled || (stop?.kind === 'failure' && stop.failure.kind === 'canceled')) {
    return { health: 'unknown', findings: [], checklist: fiscalChecklistNotExamined('not checked: the probe was canceled before the register answered', 'unknown') };
  }
  if (stop?.kind === 'failure') {
    const detail = bounded(stop.failure.detail);
    return { health: 'fault', findings: [{ code: 'fiscal.no_reply', detail }], checklist: fiscalChecklistNotExamined(detail, 'failed') };
  }
  if (stop?.kind === 'document_open') return documentOpen();

  const { errorFindings, printer } = taskErrors(o.tasks, o.reading);
  if (stop?.kind === 'register_unreachable') {
    const detail = errorFindings.map((f) => f.detail).join('; ') || 'the register did not answer getDeviceStatus';
    const busy = errorFindings.some((f) => f.code === 'fiscal.port_busy');
    return { health: healthOf(errorFindings, false), findings: errorFindings, checklist: fiscalChecklistNotExamined(bounded(detail), busy ? 'unknown' : 'failed') };
  }

  const rules = applyFiscalRules({ facts: o.reading.fiscal, printer, now: o.now, thresholds: o.thresholds });
  const findings = unique([...queueFindings(stop), ...rules.findings, ...errorFindings]);
  const status = o.tasks.find((t) => t.type === 'getDeviceStatus');
  const answers: ChecklistAnswer = status?.decoding.valid
    ? { step: 'fiscal.answers', result: 'passed', observed: 'the ATOL web server and the register answered getDeviceStatus' }
    : { step: 'fiscal.answers', result: 'failed', observed: bounded(`getDeviceStatus: ${status?.decoding.reason ?? 'not read'}`) };
  const complete = stop === undefined && o.reading.printer.registerBlocked !== true && o.tasks.every((t) => t.type === 'ismExchangeStatus' || t.decoding.valid);
  return { health: healthOf(findings, complete), findings, checklist: [answers, ...rules.checklist] };
}

function documentOpen(): Diagnosis {
  const notChecked = 'not checked: a document (receipt) is open, so the probe stopped after the status read';
  return {
    health: 'unknown',
    findings: [],
    checklist: [
      { step: 'fiscal.answers', result: 'passed', observed: 'the register answered getDeviceStatus: a document is open' },
      ...(['fiscal.paper_cover', 'fiscal.shift', 'fiscal.fn', 'fiscal.ofd', 'fiscal.clock'] as const).map((step) => unknownAnswer(step, notChecked)),
    ],
  };
}

function queueFindings(stop: ProbeStop | undefined): Finding[] {
  if (stop?.kind === 'blocked') {
    const who = stop.task
      ? `task ${stop.task} came back blocked: its result is unknown and the queue stopped`
      : `another client's task${stop.blockedUUID ? ` (${stop.blockedUUID.slice(0, 80)})` : ''} blocks the queue; ours never ran`;
    return [{ code: 'fiscal.queue_blocked', detail: bounded(`ATOL task queue blocked: ${who}. An operator must resume or cancel it in the ATOL driver; the agent never does`) }];
  }
  if (stop?.kind === 'queue_timeout') {
    return [{ code: 'fiscal.queue_timeout', detail: bounded(`ATOL task queue too slow: ${stop.pending.join(', ')} still waiting or running after ${stop.deadlineMs} ms`) }];
  }
  return [];
}

/**
 * ATOL error codes on tasks, as findings; paper, cover and printer faults go into the printer
 * state instead, so common/fiscal-rules words them like every other register's.
 */
function taskErrors(tasks: readonly TaskRecord[], reading: AtolReading): { errorFindings: Finding[]; printer: FiscalPrinterState } {
  const printer: FiscalPrinterState = {};
  const p = reading.printer;
  if (p.paperPresent !== undefined) printer.paper = { ok: p.paperPresent, observed: `getDeviceStatus.paperPresent = ${p.paperPresent}${p.paperPresent ? '' : ': no paper'}` };
  if (p.coverOpened !== undefined) printer.cover = { ok: !p.coverOpened, observed: `getDeviceStatus.coverOpened = ${p.coverOpened}${p.coverOpened ? ': cover open' : ''}` };
  const errorFindings: Finding[] = [];
  if (p.fnPresent === false) errorFindings.push({ code: 'fiscal.fn_critical_error', detail: 'getDeviceStatus.fnPresent = false: the register finds no fiscal drive' });
  for (const task of tasks) {
    const error = task.envelope?.status === 'error' ? task.envelope.error : undefined;
    if (!error || error.code === 0) continue;
    const finding = atolError(error.code).finding;
    const detail = bounded(`${task.type}: ${describeAtolError(error.code, error.description)}`);
    if (finding === 'fiscal.paper_end') printer.paper = { ok: false, observed: detail };
    else if (finding === 'fiscal.cover_open') printer.cover = { ok: false, observed: detail };
    else if (finding === 'fiscal.printer_error') printer.mechanism = { ok: false, observed: detail };
    else if (finding) errorFindings.push({ code: finding, detail });
  }
  return { errorFindings, printer };
}

/** One finding per code, the first (most specific source) kept. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.code) && seen.add(f.code)).slice(0, 32);
}

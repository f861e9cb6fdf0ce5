// From one probe's exchanges to the diagnosis: no reply and port busy (the driver's own), the
// one-status-read stop on an open document, FN errors the register answered with, and the 54-FZ
// rules every fiscal driver shares (common/fiscal-rules.ts). Pure: the clock is a parameter.
import { CATALOGUE, DiagnosisCode, type ChecklistAnswer, type DeviceIdentity, type FiscalFacts } from '@tillscope/shared';
import { applyFiscalRules, fiscalChecklistNotExamined, type FiscalThresholds } from '../../common/fiscal-rules';
import { healthOf, type Diagnosis } from '../../common/report';
import type { ErrorKind } from './errors';
import { outcomeText } from './exchange';
import { errorsOf, readFacts, valueOf, type CommandRun, type ShtrihMemory } from './facts';
import { COMMAND_LABELS, commandName, upperHex } from './protocol';

/** Fiscal codes for what only ATOL's task queue can show. */
const NOT_SHTRIH: readonly DiagnosisCode[] = ['fiscal.queue_blocked', 'fiscal.queue_timeout'];

/**
 * Every code this driver's findings can carry (the driver's `codes`): the catalogue's fiscal
 * codes but the task-queue ones. diagnosis.test.ts checks that what it emits is among them.
 */
export const SHTRIH_CODES: readonly DiagnosisCode[] = DiagnosisCode.options.filter((code) => CATALOGUE[code].category === 'fiscal' && !NOT_SHTRIH.includes(code));

export interface DiagnosisInput {
  runs: readonly CommandRun[];
  /** the port could not be opened: `busy` when another program holds it */
  openFailure?: { busy: boolean; text: string };
  /** the transport failure that ended the probe, in words */
  transportError?: string;
  /** the agent gave up (deadline or stopping): silence then says nothing about the register */
  canceled: boolean;
  memory: ShtrihMemory;
  now: Date;
  thresholds: FiscalThresholds;
  flags: { paper: boolean; cover: boolean };
}

export interface ShtrihDiagnosis extends Diagnosis {
  facts?: FiscalFacts;
  identity?: DeviceIdentity;
  /** the shift memory to keep for the next probe (undefined: keep what there is) */
  shiftMemory?: ShtrihMemory['shift'];
}

/** The reads whose data the facts need; 0xFC (identity, once per device) and 0xFF3F (a fallback count) are not among them. */
const FACT_READS = [0x10, 0x11, 0xff01, 0xff03, 0xff39, 0xff40] as const;

/** FN and FR errors that mean a finding the facts cannot carry (paper, cutter, printer go through the printer state). */
const ERROR_FINDINGS: Partial<Record<ErrorKind, DiagnosisCode>> = {
  fn_expired: 'fiscal.fn_expired',
  fn_archive_full: 'fiscal.fn_archive_90',
  ofd_blocked: 'fiscal.ofd_unsent_blocked',
  fn_error: 'fiscal.fn_critical_error',
  clock: 'fiscal.clock_drift',
};

export function diagnoseShtrih(input: DiagnosisInput): ShtrihDiagnosis {
  if (input.openFailure?.busy) {
    const detail = `${input.openFailure.text}; another program (the POS application or its driver) holds the port: the agent does not take it and tries again at the next probe`;
    return { health: healthOf([{ code: 'fiscal.port_busy', detail }], false), findings: [{ code: 'fiscal.port_busy', detail }], checklist: fiscalChecklistNotExamined(detail, 'unknown') };
  }
  const status = input.runs.find((r) => r.command === 0x10);
  if (!status?.decoded || status.decoded.status === 'invalid') {
    if (input.canceled) return { health: 'unknown', findings: [], checklist: fiscalChecklistNotExamined('not checked: the probe was canceled before the register answered', 'unknown') };
    const detail = noReplyDetail(input, status);
    return { health: 'fault', findings: [{ code: 'fiscal.no_reply', detail }], checklist: fiscalChecklistNotExamined(detail, 'failed') };
  }
  const short = valueOf(input.runs, 0x10);
  if (short?.mode === 8) {
    const observed = `0x10 mode 8: a document is open (the POS is selling); the probe stopped after this one status read`;
    return { health: 'unknown', findings: [], checklist: fiscalChecklistNotExamined(observed, 'unknown').map((a) => (a.step === 'fiscal.answers' ? { ...a, result: 'passed' } : a)), facts: { documentOpen: true } };
  }

  const readings = readFacts(input.runs, input.memory, input.now, input.flags);
  const rules = applyFiscalRules({ facts: readings.facts, printer: readings.printer, now: input.now, thresholds: input.thresholds });
  const findings = [...rules.findings];
  for (const { command, error } of errorsOf(input.runs)) {
    const code = ERROR_FINDINGS[error.kind];
    if (code && !findings.some((f) => f.code === code)) findings.push({ code, detail: `${commandName(command)} answered error ${upperHex(error.code)}: ${error.text.en}` });
  }
  const unanswered = input.runs.filter((r) => !r.decoded || r.decoded.status === 'invalid');
  // Health only from a complete read: a partial one (a read unanswered, or answered with an error
  // instead of its data) never reads as "all clear", and never lets a ticket of the unread part
  // recover in the console; its findings still open tickets.
  const complete = !input.canceled && unanswered.length === 0 && FACT_READS.every((command) => valueOf(input.runs, command) !== undefined);
  const health = complete ? healthOf(findings, true) : 'unknown';
  return {
    health,
    findings: findings.slice(0, 32),
    checklist: [answersStep(input.runs, unanswered, status.decoded.status === 'error'), ...rules.checklist],
    facts: readings.facts,
    ...(readings.identity ? { identity: readings.identity } : {}),
    ...(readings.shiftMemory ? { shiftMemory: readings.shiftMemory } : {}),
  };
}

function answersStep(runs: readonly CommandRun[], unanswered: readonly CommandRun[], statusError: boolean): ChecklistAnswer {
  const answered = runs.length - unanswered.length;
  if (unanswered.length === 0) return { step: 'fiscal.answers', result: 'passed', observed: `the register answered all ${runs.length} status reads${statusError ? ' (0x10 with an error)' : ''}` };
  const missing = unanswered.map((r) => `${COMMAND_LABELS[r.command]}: ${r.decoded?.status === 'invalid' ? r.decoded.reason : outcomeText(r.record.outcome)}`);
  return { step: 'fiscal.answers', result: 'failed', observed: `${answered} of ${runs.length} status reads answered; ${missing.join('; ')}`.slice(0, 500) };
}

function noReplyDetail(input: DiagnosisInput, status: CommandRun | undefined): string {
  if (input.openFailure) return `cannot open the register's port: ${input.openFailure.text}`;
  if (!status) return input.transportError ? `no status read: ${input.transportError}` : 'no status read was sent';
  if (status.decoded?.status === 'invalid') return `0x10 short status: the reply does not decode (${status.decoded.reason})`;
  const why = outcomeText(status.record.outcome);
  return `0x10 short status: ${why}${status.record.outcome.kind === 'no_connection' ? ' (power, cable, port or baud rate)' : ''}`;
}

import type { ChecklistResult, ChecklistStep, DiagnosisCode, Severity } from '@tillscope/shared';

// What each simulated fault must produce on each printer family (issue 9's fault matrix), written
// from the devices' documented behaviour (devices.md §1.1, §1.7), not from the drivers' code:
// - epson: an Epson TM-like printer answering DLE EOT 1–4 (scripts/sim/escpos, default model);
// - clone: a clone that answers only DLE EOT 1 and 4: a fault it cannot name (cover, cutter,
//   errors) is "offline" with the cause unchecked, while paper is still read from DLE EOT 4;
// - star: a Star printer in line mode (scripts/sim/star), one ESC ACK SOH frame per probe.

export type PrinterFamily = 'epson' | 'clone' | 'star';

export interface FaultExpectation {
  /** every ticket the fault opens on that printer, with its severity; no other ticket may open */
  codes: Partial<Record<DiagnosisCode, Severity>>;
  /** the ticket whose checklist is checked */
  checklistOn: DiagnosisCode;
  checklist: Partial<Record<ChecklistStep, ChecklistResult>>;
}

export interface FaultRound {
  name: string;
  /** the simulator fault to set (and later clear), per family it applies to */
  patch: Partial<Record<PrinterFamily, Record<string, boolean>>>;
  expect: Partial<Record<PrinterFamily, FaultExpectation>>;
}

const same = (patch: Record<string, boolean>) => ({ epson: patch, clone: patch, star: patch });

/** A fault a clone cannot name: DLE EOT 1 says offline, DLE EOT 2 and 3 go unanswered. */
const cloneOffline = (unchecked: ChecklistStep): FaultExpectation => ({
  codes: { 'printer.offline': 'critical' },
  checklistOn: 'printer.offline',
  checklist: { 'printer.connection': 'passed', 'printer.answers': 'passed', 'printer.online': 'failed', [unchecked]: 'unknown' },
});

const named = (code: DiagnosisCode, severity: Severity, step: ChecklistStep): FaultExpectation => ({
  codes: { [code]: severity },
  checklistOn: code,
  checklist: { 'printer.connection': 'passed', 'printer.answers': 'passed', [step]: 'failed' },
});

export const FAULT_ROUNDS: readonly FaultRound[] = [
  {
    name: 'paper end',
    patch: same({ paperEnd: true }),
    expect: { epson: named('printer.paper_end', 'major', 'printer.paper'), clone: named('printer.paper_end', 'major', 'printer.paper'), star: named('printer.paper_end', 'major', 'printer.paper') },
  },
  {
    name: 'paper near end',
    patch: same({ paperNearEnd: true }),
    expect: Object.fromEntries((['epson', 'clone', 'star'] as const).map((family) => [family, {
      codes: { 'printer.paper_near_end': 'minor' },
      checklistOn: 'printer.paper_near_end',
      checklist: { 'printer.answers': 'passed', 'printer.paper': 'passed' },
    } satisfies FaultExpectation])),
  },
  {
    name: 'cover open',
    patch: same({ coverOpen: true }),
    expect: { epson: named('printer.cover_open', 'major', 'printer.cover'), clone: cloneOffline('printer.cover'), star: named('printer.cover_open', 'major', 'printer.cover') },
  },
  {
    name: 'cutter jam',
    patch: same({ cutterError: true }),
    expect: { epson: named('printer.cutter_error', 'major', 'printer.cutter'), clone: cloneOffline('printer.cutter'), star: named('printer.cutter_error', 'major', 'printer.cutter') },
  },
  {
    name: 'recoverable (mechanical) error',
    patch: { epson: { recoverableError: true }, clone: { recoverableError: true }, star: { mechanicalError: true } },
    expect: { epson: named('printer.recoverable_error', 'major', 'printer.error'), clone: cloneOffline('printer.error'), star: named('printer.recoverable_error', 'major', 'printer.error') },
  },
  {
    name: 'unrecoverable error',
    patch: same({ unrecoverableError: true }),
    expect: { epson: named('printer.unrecoverable_error', 'critical', 'printer.error'), clone: cloneOffline('printer.error'), star: named('printer.unrecoverable_error', 'critical', 'printer.error') },
  },
  {
    // Issue 9: an auto-recoverable error is not "a minor warning" while the printer cannot print.
    name: 'head overheat (auto-recoverable, offline meanwhile)',
    patch: { epson: { autoRecoverableError: true }, clone: { autoRecoverableError: true }, star: { headOverheat: true } },
    expect: Object.fromEntries([
      ...(['epson', 'star'] as const).map((family) => [family, {
        codes: { 'printer.auto_recoverable_error': 'minor', 'printer.offline': 'critical' },
        checklistOn: 'printer.offline',
        checklist: { 'printer.online': 'failed', 'printer.error': 'failed' },
      } satisfies FaultExpectation]),
      ['clone', cloneOffline('printer.error')],
    ]),
  },
  {
    name: 'offline with no cause',
    patch: same({ offline: true }),
    expect: Object.fromEntries((['epson', 'clone', 'star'] as const).map((family) => [family, {
      codes: { 'printer.offline': 'critical' },
      checklistOn: 'printer.offline',
      checklist: { 'printer.answers': 'passed', 'printer.online': 'failed' },
    } satisfies FaultExpectation])),
  },
  {
    name: 'no reply (dead board or wrong emulation)',
    patch: same({ noReply: true }),
    expect: Object.fromEntries((['epson', 'clone', 'star'] as const).map((family) => [family, {
      codes: { 'printer.no_reply': 'critical' },
      checklistOn: 'printer.no_reply',
      checklist: { 'printer.answers': 'failed' },
    } satisfies FaultExpectation])),
  },
];

import type { DiagnosisCode, FiscalFacts } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { applyFiscalRules, DEFAULT_FISCAL_THRESHOLDS, fiscalChecklistNotExamined, FiscalThresholds, type FiscalPrinterState } from './fiscal-rules';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const daysFromNow = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

const healthyPrinter: FiscalPrinterState = {
  paper: { ok: true, observed: 'paper present' },
  cover: { ok: true, observed: 'cover closed' },
};
const healthy: FiscalFacts = {
  clockDriftSeconds: 4,
  shift: { state: 'open', number: 12, openedAt: hoursAgo(3), openedAtSource: 'device' },
  fn: { serial: '9999078900001234', validUntil: daysFromNow(200), lastDocumentNumber: 1500 },
  ofd: { unsentCount: 0 },
};

function run(facts: Partial<FiscalFacts>, printer: FiscalPrinterState = healthyPrinter, thresholds = DEFAULT_FISCAL_THRESHOLDS) {
  return applyFiscalRules({ facts: { ...healthy, ...facts }, printer, now: NOW, thresholds });
}
const codes = (facts: Partial<FiscalFacts>, printer?: FiscalPrinterState): DiagnosisCode[] => run(facts, printer).findings.map((f) => f.code);
const result = (facts: Partial<FiscalFacts>, step: string) => run(facts).checklist.find((a) => a.step === step)?.result;

describe('fiscal rules', () => {
  it('find nothing on a healthy register and pass every step they answer', () => {
    const { findings, checklist } = run({});
    expect(findings).toEqual([]);
    expect(checklist.map((a) => [a.step, a.result])).toEqual([
      ['fiscal.paper_cover', 'passed'],
      ['fiscal.shift', 'passed'],
      ['fiscal.fn', 'passed'],
      ['fiscal.ofd', 'passed'],
      ['fiscal.clock', 'passed'],
    ]);
  });

  it('report printer faults inside the register, and unknown when the sensors were not read', () => {
    expect(codes({}, { paper: { ok: false, observed: 'no receipt roll' }, cover: { ok: false, observed: 'lid up' }, cutter: { ok: false, observed: 'cutter' }, mechanism: { ok: false, observed: 'head' } }))
      .toEqual(['fiscal.paper_end', 'fiscal.cover_open', 'fiscal.cutter_error', 'fiscal.printer_error']);
    expect(run({}, {}).checklist[0]).toMatchObject({ step: 'fiscal.paper_cover', result: 'unknown' });
  });

  it.each([
    [{ state: 'open', openedAt: hoursAgo(22.9) }, []],
    [{ state: 'open', openedAt: hoursAgo(23) }, ['fiscal.shift_over_23h']],
    [{ state: 'open', openedAt: hoursAgo(25), openedAtSource: 'observed' }, ['fiscal.shift_over_23h']],
    [{ state: 'expired' }, ['fiscal.shift_expired']],
    [{ state: 'closed' }, []],
    [{ state: 'open' }, []],
  ] as const)('shift %j gives %j', (shift, expected) => {
    expect(codes({ shift: { ...shift } })).toEqual(expected);
  });

  it('fail the shift step only when the shift has expired', () => {
    expect(result({ shift: { state: 'expired' } }, 'fiscal.shift')).toBe('failed');
    expect(result({ shift: { state: 'open', openedAt: hoursAgo(23.5) } }, 'fiscal.shift')).toBe('passed');
  });

  it.each([
    [31, []],
    [30, ['fiscal.fn_expires_30d']],
    [3.5, ['fiscal.fn_expires_30d']],
    [3, ['fiscal.fn_expires_3d']],
    [0.5, ['fiscal.fn_expires_3d']],
    [0, ['fiscal.fn_expired']],
    [-10, ['fiscal.fn_expired']],
  ] as const)('an FN valid for %d more days gives %j', (days, expected) => {
    expect(codes({ fn: { validUntil: daysFromNow(days) } })).toEqual(expected);
  });

  it('trust the FN warning flags when the validity date is missing or later', () => {
    const warnings = { replaceUrgently: false, resourceExhausted: true, archiveNearlyFull: false, ofdTimeout: false, criticalError: false };
    expect(codes({ fn: { warnings } })).toEqual(['fiscal.fn_expires_30d']);
    expect(codes({ fn: { validUntil: daysFromNow(100), warnings: { ...warnings, replaceUrgently: true } } })).toEqual(['fiscal.fn_expires_3d']);
    expect(codes({ fn: { warnings: { ...warnings, resourceExhausted: false, archiveNearlyFull: true, criticalError: true } } }))
      .toEqual(['fiscal.fn_archive_90', 'fiscal.fn_critical_error']);
    expect(result({ fn: { warnings: { ...warnings, resourceExhausted: false, criticalError: true } } }, 'fiscal.fn')).toBe('failed');
    expect(result({ fn: { validUntil: daysFromNow(20) } }, 'fiscal.fn')).toBe('passed');
  });

  it.each([
    [4.9, []],
    [5, ['fiscal.ofd_unsent_warning']],
    [24.9, ['fiscal.ofd_unsent_warning']],
    [25, ['fiscal.ofd_unsent_critical']],
    [29.99, ['fiscal.ofd_unsent_critical']],
    [30, ['fiscal.ofd_unsent_blocked']],
  ] as const)('documents unsent for %d days give %j', (days, expected) => {
    expect(codes({ ofd: { unsentCount: 3, firstUnsentNumber: 1400, firstUnsentAt: hoursAgo(days * 24) } })).toEqual(expected);
  });

  it('count days left in plain words', () => {
    expect(run({ fn: { validUntil: daysFromNow(1.5) } }).findings[0]?.detail).toMatch(/: 1 day left$/);
    expect(run({ fn: { validUntil: daysFromNow(0.5) } }).findings[0]?.detail).toMatch(/: less than a day left$/);
    expect(run({ fn: { validUntil: daysFromNow(12.2) } }).findings[0]?.detail).toMatch(/: 12 days left$/);
  });

  it('say when the OFD lock comes, and never count an empty backlog', () => {
    const { findings } = run({ ofd: { unsentCount: 2, firstUnsentAt: '2026-11-01T09:00:00.000Z' } });
    expect(findings[0]?.detail).toContain('locks at 2026-12-01T09:00:00.000Z');
    expect(codes({ ofd: { unsentCount: 0, firstUnsentAt: '2026-10-01T09:00:00.000Z' } })).toEqual([]);
  });

  it('report OFD exchange errors and the FN OFD-timeout flag', () => {
    expect(codes({ ofd: { unsentCount: 1, firstUnsentAt: hoursAgo(1), error: 'no transport connection' } })).toEqual(['fiscal.ofd_connection_error']);
    const warnings = { replaceUrgently: false, resourceExhausted: false, archiveNearlyFull: false, ofdTimeout: true, criticalError: false };
    expect(codes({ fn: { validUntil: daysFromNow(200), warnings } })).toEqual(['fiscal.ofd_connection_error']);
  });

  it('report a clock drift beyond the threshold either way', () => {
    expect(codes({ clockDriftSeconds: 300 })).toEqual([]);
    expect(codes({ clockDriftSeconds: 301 })).toEqual(['fiscal.clock_drift']);
    expect(codes({ clockDriftSeconds: -3600 })).toEqual(['fiscal.clock_drift']);
    expect(result({ clockDriftSeconds: undefined }, 'fiscal.clock')).toBe('unknown');
  });

  it('follow configured thresholds', () => {
    const strict = FiscalThresholds.parse({ clockDriftSeconds: 30, ofdUnsentWarnDays: 1, shiftWarnHours: 12 });
    const { findings } = run({ clockDriftSeconds: 60, ofd: { unsentCount: 1, firstUnsentAt: hoursAgo(30) }, shift: { state: 'open', openedAt: hoursAgo(13) } }, healthyPrinter, strict);
    expect(findings.map((f) => f.code)).toEqual(['fiscal.shift_over_23h', 'fiscal.ofd_unsent_warning', 'fiscal.clock_drift']);
  });

  it('reject thresholds out of order, naming the field', () => {
    const parsed = FiscalThresholds.safeParse({ ofdUnsentWarnDays: 26 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['ofdUnsentCriticalDays']);
    expect(FiscalThresholds.safeParse({ fnUrgentDays: 30 }).error?.issues[0]?.path).toEqual(['fnUrgentDays']);
  });

  it('leave every step unknown but the first when the register could not be examined', () => {
    const checklist = fiscalChecklistNotExamined('port held by another program', 'unknown');
    expect(checklist.map((a) => a.result)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect(checklist[0]).toEqual({ step: 'fiscal.answers', result: 'unknown', observed: 'port held by another program' });
  });
});

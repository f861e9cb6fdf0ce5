// The 54-FZ rules every fiscal driver applies to what its register reported (devices.md §4):
// shift length, fiscal drive (ФН) validity and archive, documents the OFD has not confirmed, clock.
// Pure: no I/O; the clock is a parameter. Drivers add what only they can see (no reply, port busy,
// a blocked task queue) and use this for the rest, so Shtrih-M and ATOL registers with the same
// facts get the same findings.
import type { ChecklistAnswer, ChecklistStep, FiscalFacts, Finding } from '@tillscope/shared';
import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Thresholds of the fiscal rules, part of each fiscal driver's options. Defaults follow devices.md
 * §4: the FN warns at 30 and 3 days left ([V] warning bits), the OFD lock comes 30 days after the
 * first unconfirmed document ([S]: secondary sources phrase the start inconsistently), a shift
 * blocks at 24 h ([V] codes). The 5- and 25-day OFD steps and the clock threshold are our choice
 * ([I]/[U]): configurable for that reason.
 */
export const FiscalThresholds = z
  .object({
    /** A shift open this long is a warning; the register blocks at 24 h. */
    shiftWarnHours: z.number().min(1).max(24).default(23),
    fnWarnDays: z.number().int().min(1).max(365).default(30),
    fnUrgentDays: z.number().int().min(0).max(30).default(3),
    ofdUnsentWarnDays: z.number().min(0).max(60).default(5),
    ofdUnsentCriticalDays: z.number().min(0).max(60).default(25),
    /** Days after the first unconfirmed document at which the FN stops signing ([S] 30). */
    ofdLockDays: z.number().min(1).max(60).default(30),
    /** Register clock vs host clock, seconds ([U]: no documented tolerance; the FN rejects time going backwards). */
    clockDriftSeconds: z.number().min(1).max(24 * 3600).default(300),
  })
  .refine((t) => t.fnUrgentDays < t.fnWarnDays, { message: 'fnUrgentDays must be less than fnWarnDays', path: ['fnUrgentDays'] })
  .refine((t) => t.ofdUnsentWarnDays <= t.ofdUnsentCriticalDays && t.ofdUnsentCriticalDays <= t.ofdLockDays, {
    message: 'must hold: ofdUnsentWarnDays <= ofdUnsentCriticalDays <= ofdLockDays',
    path: ['ofdUnsentCriticalDays'],
  });
export type FiscalThresholds = z.infer<typeof FiscalThresholds>;

export const DEFAULT_FISCAL_THRESHOLDS: FiscalThresholds = FiscalThresholds.parse({});

/** One check of the printer inside the register, as the driver read it: `ok` false is a fault. */
export interface PrinterCheck {
  ok: boolean;
  /** What the register said, in plain English, e.g. "0x10 flags bit 1 = 0: receipt roll absent". */
  observed: string;
}

/** The printer inside the register; a part the driver could not read is absent. */
export interface FiscalPrinterState {
  paper?: PrinterCheck;
  cover?: PrinterCheck;
  cutter?: PrinterCheck;
  /** the print mechanism: head, overheat, any printer error that is not paper, cover or cutter */
  mechanism?: PrinterCheck;
}

export interface FiscalRulesInput {
  facts: FiscalFacts;
  printer: FiscalPrinterState;
  now: Date;
  thresholds: FiscalThresholds;
}

export interface FiscalRulesResult {
  findings: Finding[];
  /** Every fiscal checklist step except `fiscal.answers`, which only the driver can answer. */
  checklist: ChecklistAnswer[];
}

type Rule = (input: FiscalRulesInput) => { findings: Finding[]; answer: ChecklistAnswer };

/** Applies every rule; findings in checklist order (printer, shift, FN, OFD, clock). */
export function applyFiscalRules(input: FiscalRulesInput): FiscalRulesResult {
  const results = [printerRule, shiftRule, fnRule, ofdRule, clockRule].map((rule) => rule(input));
  return { findings: results.flatMap((r) => r.findings), checklist: results.map((r) => r.answer) };
}

/** The checklist when the register could not be examined at all (no reply, port busy). */
export function fiscalChecklistNotExamined(answersObserved: string, answersResult: 'failed' | 'unknown'): ChecklistAnswer[] {
  const notChecked = 'not checked: the register could not be examined';
  const rest: ChecklistStep[] = ['fiscal.paper_cover', 'fiscal.shift', 'fiscal.fn', 'fiscal.ofd', 'fiscal.clock'];
  return [{ step: 'fiscal.answers', result: answersResult, observed: answersObserved }, ...rest.map((step) => unknown(step, notChecked))];
}

function unknown(step: ChecklistStep, observed: string): ChecklistAnswer {
  return { step, result: 'unknown', observed };
}

const printerRule: Rule = ({ printer }) => {
  const findings: Finding[] = [];
  if (printer.paper && !printer.paper.ok) findings.push({ code: 'fiscal.paper_end', detail: printer.paper.observed });
  if (printer.cover && !printer.cover.ok) findings.push({ code: 'fiscal.cover_open', detail: printer.cover.observed });
  if (printer.cutter && !printer.cutter.ok) findings.push({ code: 'fiscal.cutter_error', detail: printer.cutter.observed });
  if (printer.mechanism && !printer.mechanism.ok) findings.push({ code: 'fiscal.printer_error', detail: printer.mechanism.observed });
  const checks = [printer.paper, printer.cover, printer.cutter, printer.mechanism].filter((c): c is PrinterCheck => c !== undefined);
  const step = 'fiscal.paper_cover';
  if (findings.length) return { findings, answer: { step, result: 'failed', observed: findings.map((f) => f.detail).join('; ') } };
  if (!printer.paper || !printer.cover) return { findings, answer: unknown(step, 'the register did not report its paper and cover sensors') };
  return { findings, answer: { step, result: 'passed', observed: checks.map((c) => c.observed).join('; ') } };
};

const shiftRule: Rule = ({ facts, now, thresholds }) => {
  const step = 'fiscal.shift';
  const shift = facts.shift;
  if (!shift) return { findings: [], answer: unknown(step, 'the register did not report its shift') };
  if (shift.state === 'expired') {
    const detail = `shift${numberText(shift.number)} is past 24 hours: the register refuses receipts until it is closed`;
    return { findings: [{ code: 'fiscal.shift_expired', detail }], answer: { step, result: 'failed', observed: detail } };
  }
  if (shift.state === 'closed') return { findings: [], answer: { step, result: 'passed', observed: 'shift closed' } };
  if (!shift.openedAt) return { findings: [], answer: { step, result: 'passed', observed: `shift${numberText(shift.number)} open, under 24 hours by the register` } };
  const hours = (now.getTime() - Date.parse(shift.openedAt)) / HOUR_MS;
  const since = shift.openedAtSource === 'observed' ? `first seen open at ${shift.openedAt} (opened at or before)` : `opened at ${shift.openedAt}`;
  const observed = `shift${numberText(shift.number)} open for ${hours.toFixed(1)} h, ${since}`;
  if (hours < thresholds.shiftWarnHours) return { findings: [], answer: { step, result: 'passed', observed } };
  const detail = `${observed}; the register blocks sales at 24 h`;
  return { findings: [{ code: 'fiscal.shift_over_23h', detail }], answer: { step, result: 'passed', observed: detail } };
};

function numberText(number: number | undefined): string {
  return number === undefined ? '' : ` ${number}`;
}

const fnRule: Rule = ({ facts, now, thresholds }) => {
  const step = 'fiscal.fn';
  const fn = facts.fn;
  if (!fn) return { findings: [], answer: unknown(step, 'the register did not report its fiscal drive') };
  const findings: Finding[] = [];
  const validity = fnValidityFinding(fn, now, thresholds);
  if (validity) findings.push(validity);
  if (fn.warnings?.archiveNearlyFull) findings.push({ code: 'fiscal.fn_archive_90', detail: 'FN warning flag: archive 90 % full' });
  if (fn.warnings?.criticalError) findings.push({ code: 'fiscal.fn_critical_error', detail: 'FN warning flag: critical FN error' });
  const blocking = findings.some((f) => f.code === 'fiscal.fn_expired' || f.code === 'fiscal.fn_expires_3d' || f.code === 'fiscal.fn_critical_error');
  const valid = fn.validUntil ? `valid until ${fn.validUntil.slice(0, 10)}` : 'validity date not reported';
  const observed = findings.length ? findings.map((f) => f.detail).join('; ') : `FN${fn.serial ? ` ${fn.serial}` : ''} ${valid}, no warning flags`;
  return { findings, answer: { step, result: blocking ? 'failed' : 'passed', observed } };
};

/** The most urgent of expired, ≤ 3 days, ≤ 30 days: by the validity date, or by the FN's own flags. */
function fnValidityFinding(fn: NonNullable<FiscalFacts['fn']>, now: Date, thresholds: FiscalThresholds): Finding | undefined {
  const daysLeft = fn.validUntil ? (Date.parse(fn.validUntil) - now.getTime()) / DAY_MS : undefined;
  const date = fn.validUntil?.slice(0, 10);
  if (daysLeft !== undefined && daysLeft <= 0) return { code: 'fiscal.fn_expired', detail: `FN validity ended ${date}` };
  const left = daysLeft === undefined ? '' : `FN valid until ${date}: ${daysText(daysLeft)} left`;
  if ((daysLeft !== undefined && daysLeft <= thresholds.fnUrgentDays) || fn.warnings?.replaceUrgently) {
    return { code: 'fiscal.fn_expires_3d', detail: left || 'FN warning flag: replace urgently, 3 days or fewer left' };
  }
  if ((daysLeft !== undefined && daysLeft <= thresholds.fnWarnDays) || fn.warnings?.resourceExhausted) {
    return { code: 'fiscal.fn_expires_30d', detail: left || 'FN warning flag: resource runs out within 30 days' };
  }
  return undefined;
}

const ofdRule: Rule = ({ facts, now, thresholds }) => {
  const step = 'fiscal.ofd';
  const ofd = facts.ofd;
  const timeout = facts.fn?.warnings?.ofdTimeout === true;
  if (!ofd && !timeout) return { findings: [], answer: unknown(step, 'the register did not report its OFD exchange') };
  const findings: Finding[] = [];
  const unsent = ofd ? unsentFinding(ofd, now, thresholds) : undefined;
  if (unsent) findings.push(unsent);
  if (ofd?.error) findings.push({ code: 'fiscal.ofd_connection_error', detail: `OFD exchange error: ${ofd.error}` });
  else if (timeout) findings.push({ code: 'fiscal.ofd_connection_error', detail: 'FN warning flag: OFD response timeout exceeded' });
  if (findings.length) return { findings, answer: { step, result: 'failed', observed: findings.map((f) => f.detail).join('; ') } };
  const observed = !ofd || ofd.unsentCount === 0 ? 'every document confirmed by the OFD' : `${ofd.unsentCount} documents awaiting the OFD, the oldest under ${thresholds.ofdUnsentWarnDays} days`;
  return { findings, answer: { step, result: 'passed', observed } };
};

/** Whole days in plain English: "less than a day", "1 day", "12 days". */
function daysText(days: number): string {
  const whole = Math.floor(days);
  return whole < 1 ? 'less than a day' : `${whole} day${whole === 1 ? '' : 's'}`;
}

function unsentFinding(ofd: NonNullable<FiscalFacts['ofd']>, now: Date, thresholds: FiscalThresholds): Finding | undefined {
  if (ofd.unsentCount === 0 || !ofd.firstUnsentAt) return undefined;
  const ageDays = (now.getTime() - Date.parse(ofd.firstUnsentAt)) / DAY_MS;
  const lockAt = new Date(Date.parse(ofd.firstUnsentAt) + thresholds.ofdLockDays * DAY_MS).toISOString();
  const detail = `${ofd.unsentCount} documents unsent to the OFD, the first${ofd.firstUnsentNumber === undefined ? '' : ` (No. ${ofd.firstUnsentNumber})`} since ${ofd.firstUnsentAt} (${daysText(ageDays)}); the FN locks at ${lockAt}`;
  if (ageDays >= thresholds.ofdLockDays) return { code: 'fiscal.ofd_unsent_blocked', detail };
  if (ageDays >= thresholds.ofdUnsentCriticalDays) return { code: 'fiscal.ofd_unsent_critical', detail };
  if (ageDays >= thresholds.ofdUnsentWarnDays) return { code: 'fiscal.ofd_unsent_warning', detail };
  return undefined;
}

const clockRule: Rule = ({ facts, thresholds }) => {
  const step = 'fiscal.clock';
  if (facts.clockDriftSeconds === undefined) return { findings: [], answer: unknown(step, 'the register did not report its clock') };
  const drift = facts.clockDriftSeconds;
  const observed = `register clock ${facts.registerClock ?? ''} is ${Math.abs(drift).toFixed(0)} s ${drift >= 0 ? 'ahead of' : 'behind'} the host`.replace('  ', ' ');
  if (Math.abs(drift) <= thresholds.clockDriftSeconds) return { findings: [], answer: { step, result: 'passed', observed } };
  const detail = `${observed} (threshold ${thresholds.clockDriftSeconds} s)`;
  return { findings: [{ code: 'fiscal.clock_drift', detail }], answer: { step, result: 'failed', observed: detail } };
};

import { CATALOGUE, DiagnosisCode, SLA_BY_SEVERITY, type Severity } from '@tillscope/shared';
import { DAY_MS, HOUR_MS, type FiscalSettings } from './fiscal-settings';

// A fiscal ticket is due before its register's sales are blocked, and grows more urgent as that
// date nears. Pure rule here; fiscal-tracker.ts applies it on each fiscal report and in a sweep.

/** Codes of the catalogue's `fiscal` category: the tickets this rule applies to. */
export const FISCAL_CODES: readonly DiagnosisCode[] = DiagnosisCode.options.filter((code) => CATALOGUE[code].category === 'fiscal');

export interface DeadlineInput {
  severity: Severity;
  /** The SLA's resolution due date (business time, pushed by pauses: sla/due-dates.ts), uncapped. */
  slaResolveBy: string;
  /** The stored resolution deadline (the SLA's, or what this rule set before). */
  resolveBy: string;
  /** The register's blocking date; null without a forecast. */
  blockingAt: string | null;
}

export interface Deadline {
  priority: 1 | 2 | 3 | 4;
  resolveBy: string;
}

/**
 * - priority: the catalogue's (from the severity), raised to P1 / P2 / P3 when the blocking date is
 *   within `priorityDays.p1` / `p2` / `p3` days (or past); never below the catalogue's. It is
 *   recomputed each time, so a blocking date that moves away (a new FN) gives the catalogue's back.
 * - resolveBy: the earlier of the SLA deadline and the blocking date minus `dueMarginHours`. A
 *   deadline that would fall in the past is now, once: evaluated again later, it stays where it
 *   was instead of sliding along with the clock.
 */
export function fiscalDeadline(input: DeadlineInput, nowMs: number, settings: FiscalSettings): Deadline {
  const sla = SLA_BY_SEVERITY[input.severity];
  const slaDue = Date.parse(input.slaResolveBy);
  if (input.blockingAt === null) return { priority: sla.priority, resolveBy: dueAt(slaDue, input.resolveBy, nowMs) };
  const blockingMs = Date.parse(input.blockingAt);
  const days = (blockingMs - nowMs) / DAY_MS;
  const { p1, p2, p3 } = settings.priorityDays;
  const raised = days <= p1 ? 1 : days <= p2 ? 2 : days <= p3 ? 3 : 4;
  const priority = Math.min(sla.priority, raised) as Deadline['priority'];
  return { priority, resolveBy: dueAt(Math.min(slaDue, blockingMs - settings.dueMarginHours * HOUR_MS), input.resolveBy, nowMs) };
}

function dueAt(targetMs: number, storedIso: string, nowMs: number): string {
  if (targetMs >= nowMs) return new Date(targetMs).toISOString();
  return new Date(Math.min(Date.parse(storedIso), nowMs)).toISOString();
}

/** The timeline text of a change (machine words, like a finding's detail). */
export function deadlineChangeText(
  before: { priority: number; resolveBy: string },
  after: Deadline,
  blocking: { at: string | null; reason: string | null },
): string {
  const parts: string[] = [];
  if (before.priority !== after.priority) parts.push(`priority P${before.priority} → P${after.priority}`);
  if (before.resolveBy !== after.resolveBy) parts.push(`resolve by ${before.resolveBy} → ${after.resolveBy}`);
  parts.push(blocking.at ? `sales blocked at ${blocking.at} (${blocking.reason ?? 'unknown'})` : 'no blocking date');
  return parts.join('; ');
}

import { Symptom, SYMPTOMS, type SymptomUrgency } from '@tillscope/shared';
import type { QueuedMessage } from './memory-hold';

/** A queued cashier report with its symptom, as far as the frame says (null: unreadable, sent last of the reports). */
export type QueuedReport = QueuedMessage & { symptom: string | null };

/** The report's urgency (SYMPTOMS in shared: 1 the till cannot sell … 3 unknown); an unknown symptom counts as 3. */
export function urgencyOf(symptom: string | null): SymptomUrgency {
  const known = Symptom.safeParse(symptom);
  return known.success ? SYMPTOMS[known.data].urgency : 3;
}

/** The symptom of a queued cashier_report frame (held ones are read from their JSON; they are rare). */
export function symptomOf(message: QueuedMessage): string | null {
  try {
    const frame = JSON.parse(message.body) as { payload?: { symptom?: unknown } };
    return typeof frame.payload?.symptom === 'string' ? frame.payload.symptom : null;
  } catch {
    return null;
  }
}

/**
 * Cashier reports in the order a reconnecting register sends them: most urgent first (a till that
 * cannot sell before a slow scanner), then oldest first; an id both stored and held is listed once.
 * Every report goes before any other queued message (the caller's part), so a day of queued health
 * snapshots never delays the cashier's call for help.
 */
export function mostUrgentFirst(reports: readonly QueuedReport[]): QueuedReport[] {
  const seen = new Set<string>();
  const unique = reports.filter((report) => !seen.has(report.id) && seen.add(report.id));
  return unique
    .map((report, index) => ({ report, index, urgency: urgencyOf(report.symptom) }))
    .sort((a, b) => a.urgency - b.urgency || a.report.createdAt.localeCompare(b.report.createdAt) || a.index - b.index)
    .map(({ report }) => report);
}

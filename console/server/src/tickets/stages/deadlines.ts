import { SLA_BY_SEVERITY, type DiagnosisCode, type Severity } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import type { FiscalTracker } from '../../fiscal/fiscal-tracker';
import type { ChangeSet } from '../change-set';

export interface DueDateInput {
  agentId: string;
  code: DiagnosisCode;
  severity: Severity;
  openedAt: Date;
}

export interface DueDates {
  priority: 1 | 2 | 3 | 4;
  /** UTC ISO instants */
  reactBy: string;
  resolveBy: string;
}

/** A new ticket's priority and due dates: the severity's SLA minutes after it opened. */
export function dueDatesOf({ severity, openedAt }: DueDateInput): DueDates {
  const sla = SLA_BY_SEVERITY[severity];
  const minutesLater = (minutes: number) => new Date(openedAt.getTime() + minutes * 60_000).toISOString();
  return { priority: sla.priority, reactBy: minutesLater(sla.reactMinutes), resolveBy: minutesLater(sla.resolveMinutes) };
}

/** How long a ticket of this severity has for the first reaction (the cashier's page shows it). */
export function reactMinutesOf(severity: Severity): number {
  return SLA_BY_SEVERITY[severity].reactMinutes;
}

/**
 * The deadlines stage: due dates of a new ticket (`dueDates`), and the fiscal cap that keeps fiscal
 * tickets due before the register's blocking date (`capByFiscal`, fiscal/fiscal-deadlines.ts),
 * applied after a fiscal report and by the fiscal sweep. Runs inside the caller's transaction.
 */
export class DeadlinesStage {
  constructor(private readonly fiscal: FiscalTracker) {}

  dueDates(_sql: SqlConnection, input: DueDateInput): Promise<DueDates> {
    return Promise.resolve(dueDatesOf(input));
  }

  /** Re-evaluates the open fiscal tickets of these registers against their blocking dates. */
  async capByFiscal(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<void> {
    await this.fiscal.applyDeadlines(sql, agentIds, changes);
  }
}

import { SLA_BY_SEVERITY, serviceCategoryOf, type DiagnosisCode, type Severity } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import type { TicketRow } from '../../db/rows';
import { FISCAL_CODES } from '../../fiscal/fiscal-deadlines';
import type { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { dueDates, resumedDueDates } from '../../sla/due-dates';
import { calendarOfStore, targetOf } from '../../sla/sla-store';
import { ChangeSet } from '../change-set';

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

/**
 * The deadlines stage: a new ticket's due dates — the sla_targets of its (service category,
 * priority) counted in its store's business time (hours, time zone, holiday calendar: sla/) — and
 * what a wait does to them: paused while the ticket waits on the store or a vendor, pushed on
 * resume by the business time spent waiting. The fiscal cap keeps fiscal tickets due before the
 * register's blocking date (`capByFiscal`, fiscal/fiscal-deadlines.ts), applied after a fiscal
 * report, by the fiscal sweep, and after a resume. Runs inside the caller's transaction.
 */
export class DeadlinesStage {
  constructor(private readonly fiscal: FiscalTracker) {}

  async dueDates(sql: SqlConnection, input: DueDateInput): Promise<DueDates> {
    const { priority } = SLA_BY_SEVERITY[input.severity];
    const target = await targetOf(sql, serviceCategoryOf(input.code), priority);
    const store = await sql.get<{ store_id: string }>('SELECT store_id FROM agents WHERE id = ?', input.agentId);
    const calendar = await calendarOfStore(sql, store?.store_id ?? null);
    return { priority, ...dueDates(input.openedAt.getTime(), target, calendar) };
  }

  /** How many business minutes the ticket has for the first reaction (the cashier's page shows it). */
  async reactMinutes(sql: SqlConnection, ticket: Pick<TicketRow, 'category' | 'priority'>): Promise<number> {
    return (await targetOf(sql, ticket.category, ticket.priority as 1 | 2 | 3 | 4)).reactMinutes;
  }

  /** Re-evaluates the open fiscal tickets of these registers against their blocking dates. */
  async capByFiscal(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<void> {
    await this.fiscal.applyDeadlines(sql, agentIds, changes);
  }

  /** The ticket started waiting: nothing to write, the move set paused_at and the clocks read it. */
  clockPaused(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The ticket stopped waiting (`ticket` as it was while waiting): each running due date moves on by
   * the business minutes of the wait (a met reaction clock stays), the SLA's own resolution date
   * too, then a fiscal ticket is capped again. (routing/moves.ts calls it: the PauseClock seam.)
   */
  async clockResumed(sql: SqlConnection, ticket: TicketRow, pausedAtIso: string, atIso: string): Promise<void> {
    const calendar = await calendarOfStore(sql, ticket.store_id);
    const due = { reactBy: ticket.react_by, resolveBy: ticket.sla_resolve_by ?? ticket.resolve_by };
    const resumed = resumedDueDates(due, ticket.reacted_at !== null, Date.parse(pausedAtIso), Date.parse(atIso), calendar);
    await sql.run('UPDATE tickets SET react_by = ?, resolve_by = ?, sla_resolve_by = NULL WHERE id = ?', resumed.reactBy, resumed.resolveBy, ticket.id);
    // The move already published the ticket; the cap's own change set would repeat it.
    if (FISCAL_CODES.includes(ticket.code)) await this.capByFiscal(sql, [ticket.agent_id], new ChangeSet());
  }
}

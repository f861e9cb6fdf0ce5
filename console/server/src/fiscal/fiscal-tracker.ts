import { Severity } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { allInChunks } from '../db/multi-row';
import { OPEN_STATUSES } from '../db/rows';
import type { ChangeSet } from '../tickets/change-set';
import { deadlineChangeText, FISCAL_CODES, fiscalDeadline } from './fiscal-deadlines';
import { DAY_MS, DEFAULT_FISCAL_SETTINGS, type FiscalSettings } from './fiscal-settings';
import { writeFiscalReadings, type FiscalReading } from './fiscal-writes';

const CODES_SQL = `(${FISCAL_CODES.map((code) => `'${code}'`).join(', ')})`;

const DeadlineRow = z.object({
  id: z.number().int(),
  agent_id: z.string(),
  severity: Severity,
  priority: z.number().int(),
  sla_resolve_by: z.string(),
  resolve_by: z.string(),
  blocking_at: z.string().nullable(),
  blocking_reason: z.string().nullable(),
});
type DeadlineRow = z.infer<typeof DeadlineRow>;

const DEADLINE_COLUMNS = 't.id, t.agent_id, t.severity, t.priority, COALESCE(t.sla_resolve_by, t.resolve_by) AS sla_resolve_by, t.resolve_by, a.fiscal_blocking_at AS blocking_at, a.fiscal_blocking_reason AS blocking_reason';

/**
 * The console's fiscal bookkeeping inside the ticket engine's transactions: stores fiscal facts and
 * identities, keeps each device's and register's blocking forecast, and keeps fiscal tickets' priority
 * and resolution deadline in step with the register's blocking date (fiscal-deadlines.ts).
 */
export class FiscalTracker {
  constructor(
    private readonly now: () => Date,
    readonly settings: FiscalSettings = DEFAULT_FISCAL_SETTINGS,
  ) {}

  /**
   * Stores the readings (see writeFiscalReadings). A register whose summary changed is published;
   * one whose blocking date moved also has its open tickets published (their summaries show it).
   */
  async applyReadings(sql: SqlConnection, readings: readonly FiscalReading[], changes: ChangeSet): Promise<Set<string>> {
    if (readings.length === 0) return new Set();
    const outcome = await writeFiscalReadings(sql, readings, this.settings);
    for (const agentId of outcome.changedRegisters) changes.registers.add(agentId);
    if (outcome.blockingChanged.size > 0) {
      const open = await allInChunks<{ id: number; agent_id: string }>(
        sql, [...outcome.blockingChanged], (ids) => `SELECT id, agent_id FROM tickets INDEXED BY tickets_one_open_per_finding WHERE agent_id IN (${ids}) AND status IN ${OPEN_STATUSES}`,
      );
      for (const ticket of open) changes.ticketChanged(ticket.id, ticket.agent_id);
    }
    return outcome.blockingChanged;
  }

  /** Re-evaluates the open fiscal tickets of these registers (after a fiscal report). */
  async applyDeadlines(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<number> {
    if (agentIds.length === 0) return 0;
    const rows = await allInChunks<unknown>(sql, agentIds, (ids) => `SELECT ${DEADLINE_COLUMNS}
      FROM tickets t INDEXED BY tickets_one_open_per_finding JOIN agents a ON a.id = t.agent_id
      WHERE t.agent_id IN (${ids}) AND t.status IN ${OPEN_STATUSES} AND t.code IN ${CODES_SQL}`);
    return this.apply(sql, rows.map((row) => DeadlineRow.parse(row)), changes);
  }

  /**
   * The periodic pass: time passing only brings blocking dates nearer, so only registers blocked
   * within `priorityDays.p3` days (or already) can have a fiscal ticket to raise or bring forward.
   * Reads the near end of agents_by_fiscal_blocking, then each register's open tickets.
   */
  async sweepDeadlines(sql: SqlConnection, changes: ChangeSet): Promise<number> {
    const horizon = new Date(this.now().getTime() + this.settings.priorityDays.p3 * DAY_MS).toISOString();
    const rows = await sql.all<unknown[]>(`SELECT ${DEADLINE_COLUMNS}
      FROM agents a INDEXED BY agents_by_fiscal_blocking CROSS JOIN tickets t INDEXED BY tickets_one_open_per_finding ON t.agent_id = a.id
      WHERE a.fiscal_blocking_at <= ? AND t.status IN ${OPEN_STATUSES} AND t.code IN ${CODES_SQL}`, horizon);
    return this.apply(sql, rows.map((row) => DeadlineRow.parse(row)), changes);
  }

  private async apply(sql: SqlConnection, rows: DeadlineRow[], changes: ChangeSet): Promise<number> {
    const now = this.now();
    const nowIso = now.toISOString();
    let changed = 0;
    for (const row of rows) {
      const next = fiscalDeadline(
        { severity: row.severity, slaResolveBy: row.sla_resolve_by, resolveBy: row.resolve_by, blockingAt: row.blocking_at },
        now.getTime(), this.settings,
      );
      if (next.priority === row.priority && next.resolveBy === row.resolve_by) continue;
      // The first cap keeps the SLA's own due date in sla_resolve_by, so a later FN can give it back.
      await sql.run(
        'UPDATE tickets SET priority = ?, resolve_by = ?, sla_resolve_by = COALESCE(sla_resolve_by, resolve_by), updated_at = ? WHERE id = ?',
        next.priority, next.resolveBy, nowIso, row.id,
      );
      await sql.run(
        "INSERT INTO ticket_events (ticket_id, at, kind, actor, text) VALUES (?, ?, 'deadline_changed', NULL, ?)",
        row.id, nowIso, deadlineChangeText({ priority: row.priority, resolveBy: row.resolve_by }, next, { at: row.blocking_at, reason: row.blocking_reason }),
      );
      changes.ticketChanged(row.id, row.agent_id);
      changed += 1;
    }
    return changed;
  }
}

import type { SqlConnection } from '../db/console-database';

/** A register clock this far ahead of the console's is not believed (see below). */
const CLOCK_AHEAD_TOLERANCE_MS = 5 * 60_000;

/**
 * Whether a device report of this register arrives late: probed before the register's latest
 * cashier report that the console has applied. That happens only because the agent's outbox sends
 * queued cashier reports first, most urgent first (agent/src/outbox/urgency.ts): the snapshots
 * queued before a report come after it. Such a report is history (stored) but must not move
 * tickets: an hour-old "paper present" must not resolve the ticket the cashier just reported.
 *
 * Both times are the register's own clock. A cashier report dated more than 5 minutes ahead of the
 * console's clock is not believed (a register clock that ran ahead and was corrected would
 * otherwise freeze its ticket rules until it caught up again), so nothing is judged late against it.
 */
export async function lateReportCheck(sql: SqlConnection, agentId: string, now: Date): Promise<(probedAt: string) => boolean> {
  const row = await sql.get<{ at: string | null }>(
    `SELECT MAX(n.at) AS at FROM tickets t JOIN cashier_notes n ON n.ticket_id = t.id WHERE t.agent_id = ? AND t.has_cashier_report = 1`,
    agentId,
  );
  const reportedAt = row?.at ? Date.parse(row.at) : NaN;
  if (!Number.isFinite(reportedAt) || reportedAt > now.getTime() + CLOCK_AHEAD_TOLERANCE_MS) return () => false;
  return (probedAt) => Date.parse(probedAt) < reportedAt;
}

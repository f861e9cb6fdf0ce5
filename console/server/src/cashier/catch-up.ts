import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from '../tickets/change-set';

/** A closed ticket's cashier still hears of it for this long after a reconnect (the page may still show it). */
export const CATCH_UP_CLOSED_MS = 24 * 3_600_000;

/**
 * A register that connects again missed every ticket_update sent while it was away (they are
 * sent live, never queued). Marks its cashier-reported tickets that are not closed, or closed in
 * the last day, as changed for the cashier (ChangeSet.ticketStatuses, not the feed): after COMMIT
 * the cashier listener sends each one's TicketRef as it stands now. Inside the caller's write
 * transaction, with the connection's own write.
 */
export async function catchUpCashierTickets(sql: SqlConnection, agentId: string, nowMs: number, changes: ChangeSet): Promise<void> {
  const rows = await sql.all<{ id: number }[]>(
    `SELECT id FROM tickets WHERE agent_id = ? AND has_cashier_report = 1 AND (status != 'closed' OR closed_at >= ?)`,
    agentId, new Date(nowMs - CATCH_UP_CLOSED_MS).toISOString(),
  );
  for (const row of rows) changes.ticketStatuses.add(row.id);
}

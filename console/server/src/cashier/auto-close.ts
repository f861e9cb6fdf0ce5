import type { ConsoleDatabase } from '../db/console-database';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { addEvent } from '../tickets/ticket-store';
import type { CashierSettingsSource } from './cashier-settings';

export interface AutoCloseDeps {
  db: ConsoleDatabase;
  settings: CashierSettingsSource;
  bus: ChangeBus;
  now: () => Date;
}

/** Tickets closed per pass at most: a backlog (the sweep was off for days) drains over a few passes, each write short. */
const MAX_PER_PASS = 500;

/**
 * Resolved cashier tickets resolved at or before `?`, oldest first: exactly the rows of the partial
 * index tickets_awaiting_cashier (migration 014). INDEXED BY because without statistics the planner
 * prefers tickets_due (status, resolve_by) and would walk every resolved ticket; with it a schema
 * change that makes the index unusable fails loudly instead of slowly.
 */
export const AWAITING_CASHIER_SQL = `SELECT id, agent_id FROM tickets INDEXED BY tickets_awaiting_cashier WHERE status = 'resolved' AND has_cashier_report = 1 AND resolved_at <= ?
  ORDER BY resolved_at, id LIMIT ${MAX_PER_PASS}`;

/**
 * The cashier loop's last rule: a resolved ticket a cashier reported, whose cashier has not answered
 * "is it working?" within `autoCloseHours` of its resolution, closes by itself with a
 * `cashier_auto_closed` event. An answer closes it (yes) or reopens it (no) before that, so every
 * ticket still `resolved` past the limit is one nobody answered. A late "no" still reopens it
 * (cashier-rules.ts). The register hears of the close with a ticket_update (the ChangeSet's status).
 * Returns the ids closed, oldest resolution first.
 */
export async function closeUnansweredResolutions({ db, settings, bus, now }: AutoCloseDeps): Promise<number[]> {
  const changes = new ChangeSet();
  const closed = await db.write(async (sql) => {
    const { autoCloseHours } = await settings.current(sql);
    const nowIso = now().toISOString();
    const cutoff = new Date(now().getTime() - autoCloseHours * 3_600_000).toISOString();
    const due = await sql.all<{ id: number; agent_id: string }[]>(AWAITING_CASHIER_SQL, cutoff);
    for (const ticket of due) {
      await sql.run("UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ? AND status = 'resolved'", nowIso, nowIso, ticket.id);
      await addEvent(sql, ticket.id, nowIso, 'cashier_auto_closed', null, `no answer within ${autoCloseHours} h of the resolution`);
      changes.ticketChanged(ticket.id, ticket.agent_id, true);
    }
    return due.map((ticket) => ticket.id);
  });
  bus.publish(changes);
  return closed;
}

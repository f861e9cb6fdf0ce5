import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from './change-set';
import { TicketConflict } from './domain-errors';
import { addEvent, requireTicket } from './ticket-store';

export interface Actor {
  username: string;
}

// What an engineer does to a ticket from the console: take, note, resolve. Each marks the ticket
// `touched` (it no longer resolves itself) and throws domain errors (TicketNotFound, TicketConflict).

export async function takeTicket(sql: SqlConnection, ticketId: number, actor: Actor, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw new TicketConflict(ticketId, `ticket ${ticketId} is ${ticket.status}`);
  if (ticket.assignee === actor.username && ticket.status === 'in_progress') return;
  await sql.run("UPDATE tickets SET status = 'in_progress', assignee = ?, touched = 1, updated_at = ? WHERE id = ?", actor.username, nowIso, ticketId);
  await addEvent(sql, ticketId, nowIso, 'taken', actor.username, ticket.assignee ? `← ${ticket.assignee}` : '');
  changes.ticketChanged(ticketId, ticket.agent_id, ticket.status !== 'in_progress');
}

export async function addTicketNote(sql: SqlConnection, ticketId: number, actor: Actor, text: string, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  await sql.run('UPDATE tickets SET touched = 1, updated_at = ? WHERE id = ?', nowIso, ticketId);
  await addEvent(sql, ticketId, nowIso, 'note', actor.username, text);
  changes.ticketChanged(ticketId, ticket.agent_id);
}

export async function resolveTicket(sql: SqlConnection, ticketId: number, actor: Actor, note: string, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw new TicketConflict(ticketId, `ticket ${ticketId} is already ${ticket.status}`);
  await sql.run(
    "UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, touched = 1, auto_resolved = 0, assignee = COALESCE(assignee, ?) WHERE id = ?",
    nowIso, nowIso, actor.username, ticketId,
  );
  await addEvent(sql, ticketId, nowIso, 'resolved', actor.username, note);
  changes.ticketChanged(ticketId, ticket.agent_id, true);
}

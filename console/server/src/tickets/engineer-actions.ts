import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from './change-set';
import { TicketConflict } from './domain-errors';
import { FIRST_REACTION_SQL, recordMove } from '../routing/move-records';
import { addEvent, requireTicket, RESOLUTION_ENDS_WAIT } from './ticket-store';

export interface Actor {
  username: string;
}

// What an engineer does to a ticket from the console: take, note, resolve. Each marks the ticket
// `touched` (it no longer resolves itself), is the ticket's first reaction unless one came before
// (reacted_at), and throws domain errors (TicketNotFound, TicketConflict). Take is a move too
// (ticket_moves); the other moves are routing/moves.ts.

export async function takeTicket(sql: SqlConnection, ticketId: number, actor: Actor, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw new TicketConflict(ticketId, `ticket ${ticketId} is ${ticket.status}`);
  if (ticket.assignee === actor.username && ticket.status === 'in_progress') return;
  await sql.run(
    `UPDATE tickets SET status = 'in_progress', assignee = ?, touched = 1, updated_at = ?, ${FIRST_REACTION_SQL} WHERE id = ?`,
    actor.username, nowIso, nowIso, ticketId,
  );
  await recordMove(sql, {
    ticketId, at: nowIso, kind: 'take', actor: actor.username, fromGroup: ticket.group_name, toGroup: ticket.group_name,
    fromAssignee: ticket.assignee, toAssignee: actor.username, reason: '',
  }, ticket.assignee ? `← ${ticket.assignee}` : '');
  changes.ticketChanged(ticketId, ticket.agent_id, ticket.status !== 'in_progress');
}

export async function addTicketNote(sql: SqlConnection, ticketId: number, actor: Actor, text: string, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  await sql.run(`UPDATE tickets SET touched = 1, updated_at = ?, ${FIRST_REACTION_SQL} WHERE id = ?`, nowIso, nowIso, ticketId);
  await addEvent(sql, ticketId, nowIso, 'note', actor.username, text);
  changes.ticketChanged(ticketId, ticket.agent_id);
}

export async function resolveTicket(sql: SqlConnection, ticketId: number, actor: Actor, note: string, nowIso: string, changes: ChangeSet): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw new TicketConflict(ticketId, `ticket ${ticketId} is already ${ticket.status}`);
  await sql.run(
    `UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, touched = 1, auto_resolved = 0, assignee = COALESCE(assignee, ?),
       ${RESOLUTION_ENDS_WAIT}, ${FIRST_REACTION_SQL} WHERE id = ?`,
    nowIso, nowIso, actor.username, nowIso, ticketId,
  );
  await addEvent(sql, ticketId, nowIso, 'resolved', actor.username, note);
  changes.ticketChanged(ticketId, ticket.agent_id, true);
}

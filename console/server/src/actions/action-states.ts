import type { ActionState, TimelineKind } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from '../tickets/change-set';
import { findAction, type ActionRow } from './action-rows';

// What the register's own messages do to an action's state (command_started, command_result),
// inside the ingest transaction that applies them (agents/agent-message-handler.ts).

/** What actions write a ticket's timeline with (TicketEngine.note). */
export type TimelineNote = (sql: SqlConnection, agentId: string, ticketId: number, kind: TimelineKind, actor: string | null, text: string, changes: ChangeSet) => Promise<void>;

export const describeAction = (row: Pick<ActionRow, 'verb' | 'device_id'>): string => `${row.verb}${row.device_id ? ` (${row.device_id})` : ''}`;

/** How a command_result ends an action: ok → done; the agent's own `expired` refusal → expired; any other code → failed. */
export function stateOfResult(ok: boolean, code: string | undefined): ActionState {
  if (ok) return 'done';
  return code === 'expired' ? 'expired' : 'failed';
}

/** A timeline entry on the action's ticket, when it has one that still exists; the register's feed entry moves either way. */
export async function noteOnTicket(sql: SqlConnection, note: TimelineNote, row: ActionRow, kind: TimelineKind, actor: string | null, text: string, changes: ChangeSet): Promise<void> {
  changes.registers.add(row.agent_id);
  if (row.ticket_id === null) return;
  if (!(await sql.get('SELECT 1 AS found FROM tickets WHERE id = ?', row.ticket_id))) return;
  await note(sql, row.agent_id, row.ticket_id, kind, actor, text, changes);
}

/**
 * command_started: the action is `running`. False when no such command was sent to this agent.
 * A start heard after the result (the start is sent live, the result through the agent's outbox)
 * changes nothing; a start of an action the sweep expired meanwhile revives it: it did start.
 */
export async function markActionStarted(sql: SqlConnection, note: TimelineNote, agentId: string, commandId: string, startedAt: string, changes: ChangeSet): Promise<boolean> {
  const row = await findAction(sql, commandId);
  if (!row || row.agent_id !== agentId) return false;
  if (row.state !== 'sent' && row.state !== 'expired' && row.state !== 'queued') return true;
  await sql.run("UPDATE commands SET state = 'running', started_at = ?, completed_at = NULL, result_code = NULL, result_message = NULL WHERE id = ?", startedAt, commandId);
  await noteOnTicket(sql, note, row, 'action_running', null, `${describeAction(row)}: started on the register at ${startedAt}`, changes);
  return true;
}

/**
 * A command_result, after the handler wrote completed_at and the result. The state follows the
 * result even for an action already marked expired: what the register reports is what happened.
 */
export async function markActionResult(
  sql: SqlConnection, note: TimelineNote, commandId: string,
  result: { ok: true } | { ok: false; code: string; message: string }, changes: ChangeSet,
): Promise<void> {
  const row = await findAction(sql, commandId);
  if (!row) return;
  const state = stateOfResult(result.ok, result.ok ? undefined : result.code);
  await sql.run('UPDATE commands SET state = ? WHERE id = ?', state, commandId);
  const kind: TimelineKind = state === 'done' ? 'action_done' : state === 'expired' ? 'action_expired' : 'action_failed';
  await noteOnTicket(sql, note, row, kind, null, result.ok ? `${describeAction(row)}: done` : `${describeAction(row)}: ${result.code}: ${result.message}`, changes);
}

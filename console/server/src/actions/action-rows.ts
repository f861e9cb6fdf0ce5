import { AuditPage, RemoteAction, type AuditQuery } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';

/** Columns of a `commands` row joined with its register, in RemoteAction's order. */
export const ACTION_COLUMNS = `c.id, c.agent_id, a.store_id, a.register_id, c.ticket_id, c.verb, c.device_id, c.requested_by,
  c.requested_at, c.expires_at, c.state, c.sent_at, c.send_count, c.started_at, c.completed_at, c.result_code,
  c.result_message, c.cancelled_by`;

export interface ActionRow {
  id: string;
  agent_id: string;
  store_id: string;
  register_id: string;
  ticket_id: number | null;
  verb: string;
  device_id: string | null;
  requested_by: string;
  requested_at: string;
  expires_at: string | null;
  state: string;
  sent_at: string | null;
  send_count: number;
  started_at: string | null;
  completed_at: string | null;
  result_code: string | null;
  result_message: string | null;
  cancelled_by: string | null;
}

/** A stored row as the wire shape, parsed: a row that does not fit is an error, not a silent `any`. */
export function actionOfRow(row: ActionRow): RemoteAction {
  return RemoteAction.parse({
    id: row.id, agentId: row.agent_id, storeId: row.store_id, registerId: row.register_id, ticketId: row.ticket_id,
    verb: row.verb, deviceId: row.device_id, requestedBy: row.requested_by, requestedAt: row.requested_at,
    expiresAt: row.expires_at, state: row.state, sentAt: row.sent_at, sendCount: row.send_count, startedAt: row.started_at,
    completedAt: row.completed_at, resultCode: row.result_code, resultMessage: row.result_message, cancelledBy: row.cancelled_by,
  });
}

export async function findAction(sql: SqlConnection, commandId: string): Promise<ActionRow | undefined> {
  return sql.get<ActionRow>(`SELECT ${ACTION_COLUMNS} FROM commands c JOIN agents a ON a.id = c.agent_id WHERE c.id = ?`, commandId);
}

/** A ticket's actions, newest first. */
export async function ticketActionRows(sql: SqlConnection, ticketId: number, limit = 50): Promise<ActionRow[]> {
  return sql.all<ActionRow[]>(
    `SELECT ${ACTION_COLUMNS} FROM commands c JOIN agents a ON a.id = c.agent_id WHERE c.ticket_id = ? ORDER BY c.requested_at DESC, c.id DESC LIMIT ?`,
    ticketId, limit,
  );
}

/** The live (queued, sent, running) actions of a register, oldest first: the order they go out in. */
export async function liveActionRows(sql: SqlConnection, agentId: string): Promise<ActionRow[]> {
  return sql.all<ActionRow[]>(
    `SELECT ${ACTION_COLUMNS} FROM commands c JOIN agents a ON a.id = c.agent_id
     WHERE c.agent_id = ? AND c.state IN ('queued', 'sent', 'running') ORDER BY c.requested_at, c.id`,
    agentId,
  );
}

/**
 * One page of the audit log, newest first (requested_at, then id, both descending). Keyset paging:
 * `after` is the last row of the previous page, so a page costs the same deep in the log.
 */
export async function auditPage(sql: SqlConnection, query: AuditQuery): Promise<AuditPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, value: unknown) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  filter('a.store_id = ?', query.storeId);
  filter('a.register_id = ?', query.registerId);
  filter('c.agent_id = ?', query.agentId);
  filter('c.verb = ?', query.verb);
  filter('c.requested_by = ?', query.engineer);
  filter('c.state = ?', query.state);
  filter('c.ticket_id = ?', query.ticketId);
  filter('c.requested_at >= ?', query.from);
  filter('c.requested_at < ?', query.to);
  if (query.after) {
    const [at, id] = query.after.split('~') as [string, string];
    where.push('(c.requested_at < ? OR (c.requested_at = ? AND c.id < ?))');
    params.push(at, at, id);
  }
  const rows = await sql.all<ActionRow[]>(
    `SELECT ${ACTION_COLUMNS} FROM commands c JOIN agents a ON a.id = c.agent_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.requested_at DESC, c.id DESC LIMIT ?`,
    ...params, query.limit + 1,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return AuditPage.parse({
    actions: page.map(actionOfRow),
    nextCursor: rows.length > query.limit && last ? `${last.requested_at}~${last.id}` : null,
  });
}

import type { DiagnosisCode, TimelineKind } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES, parseRows, SELECT_TICKET_ROW, TicketRow } from '../db/rows';
import { TicketNotFound } from './domain-errors';

// The ticket rows every stage reads and the timeline every stage writes: plain reads and inserts
// inside the caller's transaction, no rule of their own.

/** The ticket with its register, or undefined: for checks that answer an agent rather than throw. */
/**
 * SQL SET clause every resolution carries: a resolved ticket waits on no one, so its SLA pause ends
 * with it (the engineer's, the machine's and a store incident's resolution alike).
 */
export const RESOLUTION_ENDS_WAIT = 'waiting_on = NULL, paused_at = NULL';

export async function findTicket(sql: SqlConnection, ticketId: number): Promise<TicketRow | undefined> {
  const raw = await sql.get(`${SELECT_TICKET_ROW} WHERE t.id = ?`, ticketId);
  return raw ? TicketRow.parse(raw) : undefined;
}

/** The ticket, or TicketNotFound. */
export async function requireTicket(sql: SqlConnection, ticketId: number): Promise<TicketRow> {
  const ticket = await findTicket(sql, ticketId);
  if (!ticket) throw new TicketNotFound(ticketId);
  return ticket;
}

/** The open ticket of one finding (register, device or none, code): at most one (the unique index). */
export async function findOpen(sql: SqlConnection, agentId: string, deviceId: string | null, code: DiagnosisCode): Promise<TicketRow | undefined> {
  const raw = await sql.get(
    `${SELECT_TICKET_ROW} WHERE t.agent_id = ? AND IFNULL(t.device_id, '') = ? AND t.code = ? AND t.status IN ${OPEN_STATUSES}`,
    agentId, deviceId ?? '', code,
  );
  return raw ? TicketRow.parse(raw) : undefined;
}

/** The device's open tickets: at most one per code. */
export async function openTicketsOf(sql: SqlConnection, agentId: string, deviceId: string): Promise<TicketRow[]> {
  const rows = await sql.all(`${SELECT_TICKET_ROW} WHERE t.agent_id = ? AND t.device_id = ? AND t.status IN ${OPEN_STATUSES}`, agentId, deviceId);
  return parseRows(TicketRow, rows);
}

export async function openTicketIds(sql: SqlConnection, agentId: string): Promise<number[]> {
  const rows = await sql.all<{ id: number }[]>(`SELECT id FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES}`, agentId);
  return rows.map((row) => row.id);
}

/**
 * A timeline entry. The event's kind carries its fixed meaning, which the console shows in the
 * reader's language; `text` holds only what varies: the device's detail line or a person's words.
 */
export async function addEvent(sql: SqlConnection, ticketId: number, at: string, kind: TimelineKind, actor: string | null, text: string): Promise<void> {
  await sql.run('INSERT INTO ticket_events (ticket_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)', ticketId, at, kind, actor, text);
}

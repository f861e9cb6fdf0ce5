import type { MoveKind, TimelineKind } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';

// Tickets with a hand-written timeline, inserted as rows into a real console database (the KPI
// tests: the facts are a function of exactly these rows). Times are minutes after `base`.

export interface TimelineTicket {
  agentId: string;
  code?: string;
  group?: string;
  model?: string | null;
  priority?: number;
  openedMin: number;
  /** minutes after opening */
  reactWithinMin?: number;
  resolveWithinMin?: number;
  foundMin?: number | null;
  parentId?: number | null;
}

export interface TimelineStep {
  kind: TimelineKind;
  atMin: number;
  actor?: string | null;
  text?: string;
  /** also a ticket_moves row of this kind (reassign, escalate_vendor, take …) */
  move?: MoveKind;
  toAssignee?: string | null;
}

/** Each ticket its own device: the rows stay 'open' (the facts never read status) without meeting the one-open-per-finding index. */
let devices = 0;

export const at = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString();

/** Inserts the ticket with its 'opened' event; returns its id. */
export async function insertTimelineTicket(sql: SqlConnection, base: string, ticket: TimelineTicket): Promise<number> {
  const opened = at(base, ticket.openedMin);
  const result = await sql.run(
    `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by, device_model, found_at, parent_id)
     VALUES (?, ?, ?, 'open', 'high', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ticket.agentId, `printer-${(devices += 1)}`, ticket.code ?? 'printer.paper_end', ticket.priority ?? 2, ticket.group ?? 'printers', opened, opened,
    at(base, ticket.openedMin + (ticket.reactWithinMin ?? 30)), at(base, ticket.openedMin + (ticket.resolveWithinMin ?? 240)),
    ticket.model === undefined ? 'Epson TM-T20III' : ticket.model, ticket.foundMin == null ? null : at(base, ticket.foundMin), ticket.parentId ?? null,
  );
  const id = result.lastID;
  if (id === undefined) throw new Error('no ticket id');
  await addTimelineStep(sql, base, id, { kind: 'opened', atMin: ticket.openedMin });
  return id;
}

/** One timeline step: its event, and its move row when it is a move. */
export async function addTimelineStep(sql: SqlConnection, base: string, ticketId: number, step: TimelineStep): Promise<void> {
  const when = at(base, step.atMin);
  if (step.move) {
    await sql.run(
      'INSERT INTO ticket_moves (ticket_id, at, kind, actor, from_group, to_group, from_assignee, to_assignee, reason) VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?)',
      ticketId, when, step.move, step.actor ?? 'system', step.toAssignee ?? null, 'test',
    );
  }
  await sql.run('INSERT INTO ticket_events (ticket_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)', ticketId, when, step.kind, step.actor ?? null, step.text ?? '');
}

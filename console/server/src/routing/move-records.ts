import type { MoveKind, TimelineKind } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { addEvent } from '../tickets/ticket-store';

// What every move leaves behind: a ticket_moves row (the detail's `moves`, the counters' evidence)
// and a timeline event in the same transaction, so the two never disagree.

export interface MoveRecord {
  ticketId: number;
  at: string;
  kind: MoveKind;
  actor: string;
  fromGroup: string | null;
  toGroup: string | null;
  fromAssignee: string | null;
  toAssignee: string | null;
  reason: string;
}

/** The timeline kind each move shows as. */
const EVENT_OF: Record<MoveKind, TimelineKind> = {
  take: 'taken',
  assign: 'assigned',
  reassign: 'reassigned',
  escalate_third_line: 'escalated',
  escalate_vendor: 'escalated',
  wait: 'waiting',
  resume: 'resumed',
};

/** Writes the move and its timeline event; `text` is the event's text (what varies: who, where, why). */
export async function recordMove(sql: SqlConnection, move: MoveRecord, text: string): Promise<void> {
  await sql.run(
    `INSERT INTO ticket_moves (ticket_id, at, kind, actor, from_group, to_group, from_assignee, to_assignee, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    move.ticketId, move.at, move.kind, move.actor, move.fromGroup, move.toGroup, move.fromAssignee, move.toAssignee, move.reason,
  );
  await addEvent(sql, move.ticketId, move.at, EVENT_OF[move.kind], move.actor, text);
}

/**
 * SQL fragment for an UPDATE of tickets: the first engineer reaction (take, assign, note, resolve)
 * stops the reaction clock; later ones leave it. Bind the reaction time once.
 */
export const FIRST_REACTION_SQL = 'reacted_at = COALESCE(reacted_at, ?)';

/** "from → to: reason", with "—" for nobody; the reason only when given. */
export function moveText(from: string | null, to: string | null, reason: string): string {
  const path = `${from ?? '—'} → ${to ?? '—'}`;
  return reason ? `${path}: ${reason}` : path;
}

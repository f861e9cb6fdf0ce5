import { TicketMove, VendorTracking, type TicketDetail, type TicketSummary } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows, type TicketRow } from '../db/rows';

// The service-desk parts of a ticket's detail (issue 11): its moves, a store incident's symptoms or
// a symptom's incident, the vendor escalation and the SLA targets its due dates came from.

const MoveRow = z.object({
  at: z.string(),
  kind: TicketMove.shape.kind,
  actor: z.string(),
  from_group: z.string().nullable(),
  to_group: z.string().nullable(),
  from_assignee: z.string().nullable(),
  to_assignee: z.string().nullable(),
  reason: z.string(),
});

const vendorColumn = jsonColumn(VendorTracking).nullable();

type ServiceDeskParts = Pick<TicketDetail, 'moves' | 'symptomTickets' | 'incident' | 'vendor' | 'slaTargets'>;

export async function serviceDeskParts(
  sql: SqlConnection,
  row: TicketRow,
  summaries: (ticketIds: number[]) => Promise<TicketSummary[]>,
): Promise<ServiceDeskParts> {
  const moves = parseRows(MoveRow, await sql.all('SELECT at, kind, actor, from_group, to_group, from_assignee, to_assignee, reason FROM ticket_moves WHERE ticket_id = ? ORDER BY id', row.id));
  const symptomIds = row.scope === 'store'
    ? (await sql.all<{ id: number }[]>('SELECT id FROM tickets WHERE parent_id = ? ORDER BY id', row.id)).map((symptom) => symptom.id)
    : [];
  const [incident] = row.parent_id === null ? [] : await summaries([row.parent_id]);
  const targets = await sql.get<{ react_minutes: number; resolve_minutes: number }>(
    'SELECT react_minutes, resolve_minutes FROM sla_targets WHERE category = ? AND priority = ?', row.category, row.priority,
  );
  return {
    moves: moves.map((move) => TicketMove.parse({
      at: move.at, kind: move.kind, actor: move.actor, fromGroup: move.from_group, toGroup: move.to_group,
      fromAssignee: move.from_assignee, toAssignee: move.to_assignee, reason: move.reason,
    })),
    symptomTickets: await summaries(symptomIds),
    incident: incident ?? null,
    vendor: vendorColumn.parse(row.vendor_json),
    slaTargets: targets ? { reactMinutes: targets.react_minutes, resolveMinutes: targets.resolve_minutes } : null,
  };
}

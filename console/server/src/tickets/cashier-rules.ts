import { SYMPTOMS, type CashierFeedback, type CashierReport } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES, type TicketRow } from '../db/rows';
import type { ChangeSet } from './change-set';
import type { TicketPipeline } from './stages/pipeline';
import { addEvent, findOpen } from './ticket-store';

/**
 * A cashier pressed "report a problem"; the caller applied the fresh diagnosis first, so a fault it
 * shows has its ticket. The report merges into the register's most pressing open ticket, or opens
 * a `cashier.problem_reported` ticket (through the pipeline, routed by the symptom). Returns the ticket id.
 */
export async function applyCashierReport(
  sql: SqlConnection, pipeline: TicketPipeline, agentId: string, msgId: string, report: CashierReport['payload'], nowIso: string, changes: ChangeSet,
): Promise<number> {
  const target = await sql.get<{ id: number }>(
    `SELECT id FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES} AND scope = 'register'
     ORDER BY active DESC, priority ASC, opened_at ASC, id ASC LIMIT 1`,
    agentId,
  );
  const ticketId = target?.id ?? (await pipeline.present(sql, {
    agentId,
    deviceId: null,
    code: 'cashier.problem_reported',
    detail: `Cashier reported: ${SYMPTOMS[report.symptom].title.en}`,
    checklist: report.diagnosis.flatMap((device) => device.checklist).slice(0, 32),
    evidence: null,
    device: null,
    symptom: report.symptom,
    source: { kind: 'event' },
  }, undefined, changes));
  // A person reported it: nothing holds it back (the hold stage admits cashier reports at once).
  if (ticketId === null) throw new Error('a cashier report was held');
  await sql.run(
    'INSERT INTO cashier_notes (ticket_id, report_msg_id, at, symptom, note, locale) VALUES (?, ?, ?, ?, ?, ?)',
    ticketId, msgId, report.reportedAt, report.symptom, report.note, report.locale,
  );
  await sql.run('UPDATE tickets SET has_cashier_report = 1, updated_at = ? WHERE id = ?', nowIso, ticketId);
  await addEvent(sql, ticketId, nowIso, 'cashier_report', null, report.note);
  changes.ticketChanged(ticketId, agentId);
  return ticketId;
}

/**
 * The cashier answered "is it working?" for a ticket of this register (the caller checked that).
 *
 * - working, ticket resolved → `closed`: the requester confirmed (domain rule: close only with
 *   the requester's confirmation). On a ticket that is not resolved the answer is only recorded:
 *   an engineer is still on it, and only an engineer's resolution can be confirmed.
 * - not working, ticket resolved or closed → `open` again, resolved_at cleared. `touched` stays:
 *   an engineer's ticket stays the engineer's. `active` stays too, and that is what keeps the
 *   machine from resolving it straight back: recovery applies only to an active finding, and a
 *   ticket reopened after its finding recovered (active = 0) must first see the finding again
 *   and then a new recovery. The cashier just said the fix did not hold; a device report that
 *   merely still lacks the code proves nothing new.
 * - If another open ticket for the same finding appeared meanwhile (the one-open-per-finding
 *   rule), this one cannot reopen: the answer is recorded on it and the open one carries on.
 */
export async function applyCashierFeedback(
  sql: SqlConnection, ticket: TicketRow, msgId: string, feedback: CashierFeedback['payload'], nowIso: string, changes: ChangeSet,
): Promise<void> {
  await sql.run(
    `INSERT INTO cashier_answers (report_msg_id, agent_id, ticket_id, working, answered_at, msg_id, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (agent_id, report_msg_id) DO UPDATE SET ticket_id = excluded.ticket_id, working = excluded.working,
       answered_at = excluded.answered_at, msg_id = excluded.msg_id, received_at = excluded.received_at`,
    feedback.reportId, ticket.agent_id, ticket.id, Number(feedback.working), feedback.answeredAt, msgId, nowIso,
  );
  await addEvent(sql, ticket.id, nowIso, feedback.working ? 'cashier_confirmed' : 'cashier_not_fixed', null, '');
  let statusChanged = false;
  if (feedback.working && ticket.status === 'resolved') {
    await sql.run("UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?", nowIso, nowIso, ticket.id);
    statusChanged = true;
  } else if (!feedback.working && (ticket.status === 'resolved' || ticket.status === 'closed')) {
    const other = await findOpen(sql, ticket.agent_id, ticket.device_id, ticket.code);
    if (!other) {
      await sql.run(
        "UPDATE tickets SET status = 'open', resolved_at = NULL, closed_at = NULL, auto_resolved = 0, updated_at = ? WHERE id = ?",
        nowIso, ticket.id,
      );
      statusChanged = true;
    }
  }
  if (!statusChanged) await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', nowIso, ticket.id);
  changes.ticketChanged(ticket.id, ticket.agent_id, statusChanged);
}

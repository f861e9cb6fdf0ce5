// Where a test print's result lands: the ticket an engineer asked from, or the ticket of the
// cashier report it followed; the ticket's `printer.test_print` step and a 'test_print' entry.
import type { ChecklistAnswer, CommandResult, TestPrintDone, TestPrintSummary } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES } from '../db/rows';
import type { ChangeSet } from './change-set';
import type { TicketEngine } from './ticket-engine';

/** printed → passed; failed or not sent → failed; refused → could not check (nothing was tried). */
export function testPrintStep(summary: TestPrintSummary): ChecklistAnswer {
  const result = summary.outcome === 'printed' ? 'passed' : summary.outcome === 'refused' ? 'unknown' : 'failed';
  return { step: 'printer.test_print', result, observed: `${summary.outcome}: ${summary.reason}`.slice(0, 500) };
}

/** The timeline text: what varies (the outcome, who asked, why); the kind names the event. */
export function testPrintText(summary: TestPrintSummary): string {
  return `${summary.outcome} (${summary.deviceId}, requested by ${summary.requestedBy}): ${summary.reason}`;
}

/**
 * The answer to an engineer's test_print command, on the ticket it was asked from. A refusal is an
 * ok answer with outcome `refused`; a failed command (unknown device) is an unknown step too.
 */
export async function applyTestPrintCommandResult(
  sql: SqlConnection, engine: TicketEngine, agentId: string, ticketId: number, payload: CommandResult['payload'], changes: ChangeSet,
): Promise<void> {
  if (!(await engine.findTicket(sql, ticketId))) return;
  if (payload.ok && payload.testPrint) {
    await engine.applyTestPrint(sql, agentId, ticketId, testPrintStep(payload.testPrint), testPrintText(payload.testPrint), changes);
    return;
  }
  const text = payload.ok ? 'the agent answered without a test print result' : `the command failed: ${payload.code}: ${payload.message}`;
  await engine.applyTestPrint(sql, agentId, ticketId, { step: 'printer.test_print', result: 'unknown', observed: text.slice(0, 500) }, text, changes);
}

/**
 * A test print the cashier agreed to: the status re-read afterwards is applied like any report,
 * then the result goes on the ticket of the cashier report it followed, else on the device's open
 * tickets. Returns the tickets it landed on.
 */
export async function applyTestPrintDone(sql: SqlConnection, engine: TicketEngine, agentId: string, msgId: string, payload: TestPrintDone['payload'], changes: ChangeSet): Promise<number[]> {
  await engine.applyDeviceReports(sql, agentId, msgId, payload.devices, changes);
  const tickets = await ticketsFor(sql, agentId, payload.reportId, payload.summary.deviceId);
  for (const ticketId of tickets) await engine.applyTestPrint(sql, agentId, ticketId, testPrintStep(payload.summary), testPrintText(payload.summary), changes);
  return tickets;
}

async function ticketsFor(sql: SqlConnection, agentId: string, reportId: string | undefined, deviceId: string): Promise<number[]> {
  if (reportId) {
    const report = await sql.get<{ ticket_id: number }>(
      'SELECT n.ticket_id FROM cashier_notes n JOIN tickets t ON t.id = n.ticket_id WHERE n.report_msg_id = ? AND t.agent_id = ?', reportId, agentId,
    );
    if (report) return [report.ticket_id];
  }
  const open = await sql.all<{ id: number }[]>(
    `SELECT id FROM tickets WHERE agent_id = ? AND device_id = ? AND status IN ${OPEN_STATUSES} ORDER BY id`, agentId, deviceId,
  );
  return open.map((row) => row.id);
}

/** The reports' checklist with the ticket's last test print in place of (or after) their `printer.test_print` step. */
export function withTestPrintStep(checklist: ChecklistAnswer[], testPrint: ChecklistAnswer | null): ChecklistAnswer[] {
  if (!testPrint) return checklist;
  const at = checklist.findIndex((answer) => answer.step === 'printer.test_print');
  return at < 0 ? [...checklist, testPrint] : checklist.map((answer, i) => (i === at ? testPrint : answer));
}

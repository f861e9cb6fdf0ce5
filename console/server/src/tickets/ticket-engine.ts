import {
  CATALOGUE,
  SLA_BY_SEVERITY,
  SYMPTOMS,
  type ChecklistAnswer,
  type DeviceReport,
  type DiagnosisCode,
  type Evidence,
  type RoutingGroup,
  type TicketRef,
  type TimelineKind,
  type CashierFeedback,
  type CashierReport,
  type DeviceKind,
  type DriverId,
  type Severity,
} from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES, parseRows, SELECT_TICKET_ROW, TicketRow } from '../db/rows';
import { HttpError } from '../http/http-error';
import { FiscalTracker } from '../fiscal/fiscal-tracker';
import { fiscalReadingsOf, isFiscalReport } from '../fiscal/fiscal-writes';
import { applyHostReports as applyHostStage, DRIFT_CODE, recomputeDrift as recomputeDriftStage, type DerivedFinding, type DerivedFindingRules, type HostReportBatch } from '../host/drift-stage';
import type { ChangeSet } from './change-set';
import { deviceKey, readDeviceStates, writeDeviceReports } from './device-writes';
import { findingsOf, writeFindingUpdates } from './standing-findings';

/**
 * A finding that comes back this soon after its ticket resolved itself reopens that ticket
 * instead of opening a new one, so a flickering sensor (paper near end) makes one ticket, not ten.
 */
export const REOPEN_WINDOW_MS = 10 * 60 * 1000;

/**
 * Whether this report proves `code` has cleared (the caller checked it is not among the findings).
 * With `checked` the probe says itself which codes it could rule out: a clone that answers DLE EOT 1
 * and 4 but not 2 and 3 reports 'unknown' yet vouches for paper. Without it (older agents) a code
 * clears only if the device was fully examined: not when part of the status went unanswered
 * ('unknown'), nor when a finding blinds the device (it did not answer at all).
 */
export function vouchesFor(report: Pick<DeviceReport, 'health' | 'checked'>, code: DiagnosisCode, findingCodes: readonly DiagnosisCode[]): boolean {
  if (report.checked) return report.checked.includes(code);
  return report.health !== 'unknown' && !findingCodes.some((finding) => CATALOGUE[finding].blindsDevice);
}

interface NewTicket {
  agentId: string;
  deviceId: string | null;
  code: DiagnosisCode;
  detail: string;
  checklist: ChecklistAnswer[];
  evidence: Evidence | null;
  device: { kind: DeviceKind; driver: DriverId; model: string | null } | null;
  /** Overrides the catalogue's group (a cashier report is routed by its symptom). */
  group?: RoutingGroup;
  /** Overrides the catalogue's severity (Finding.severity: the probe knew the context); SLA and priority follow it. */
  severity?: Severity;
}

export interface Actor {
  username: string;
}

/**
 * Turns machine findings, cashier reports and engineers' actions into ticket state. Every method
 * runs inside the caller's write transaction and records what it changed in `changes`.
 */
export class TicketEngine implements DerivedFindingRules {
  constructor(
    private readonly now: () => Date,
    /** Fiscal facts, forecasts and fiscal deadlines; the ingest fast path uses it too. */
    readonly fiscal: FiscalTracker = new FiscalTracker(now),
  ) {}

  /**
   * Stores each device report and applies the ticket rules: every finding has one open ticket per
   * (register, device, code); a code missing from a device's report has recovered.
   */
  async applyDeviceReports(sql: SqlConnection, agentId: string, msgId: string, reports: DeviceReport[], changes: ChangeSet): Promise<void> {
    const nowIso = this.now().toISOString();
    const stored = await readDeviceStates(sql, [agentId]);
    for (const report of reports) {
      // One ticket update per code: the first finding of a code carries its detail.
      const findings = findingsOf(report);
      const codes = [...findings.keys()];
      await writeDeviceReports(sql, [{ agentId, msgId, receivedAt: nowIso, report, codes, previous: stored.get(deviceKey(agentId, report.deviceId)) }]);
      changes.registers.add(agentId);

      // The device's open tickets, read once: at most one per code (the unique index). Applying a
      // finding touches only its own code's ticket, so the rows still hold for the recovery below.
      const openByCode = new Map((await this.openTicketsOf(sql, agentId, report.deviceId)).map((ticket) => [ticket.code, ticket]));
      for (const [code, detail] of findings) await this.applyFinding(sql, agentId, report, code, detail, openByCode.get(code), changes);
      for (const ticket of openByCode.values()) {
        // The drift ticket is the console's own finding: no device report speaks for it.
        if (ticket.code === DRIFT_CODE) continue;
        if (ticket.active && !findings.has(ticket.code) && vouchesFor(report, ticket.code, codes)) await this.recover(sql, ticket, changes);
      }
    }
    // After the findings: a fiscal ticket opened just now is due before the blocking date too.
    await this.fiscal.applyReadings(sql, fiscalReadingsOf(agentId, nowIso, reports), changes);
    if (reports.some(isFiscalReport)) await this.fiscal.applyDeadlines(sql, [agentId], changes);
    await this.applyHostReports(sql, [{ agentId, reports }], changes);
  }

  /**
   * Stores the host sections of these reports and keeps each register's drift from its reference
   * and its drift ticket in step (host/drift-stage.ts). The ingest fast path calls it for its batch.
   */
  applyHostReports(sql: SqlConnection, batches: readonly HostReportBatch[], changes: ChangeSet): Promise<void> {
    return applyHostStage(sql, this, batches, this.now().toISOString(), changes);
  }

  /** Compares these registers with their references again (a reference was created, edited or deleted). */
  recomputeDrift(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<void> {
    return recomputeDriftStage(sql, this, agentIds, this.now().toISOString(), changes);
  }

  /**
   * A finding the console derives itself (drift from the reference), under the device rules: one
   * open ticket per (register, deviceId, code), reopened when it returns within REOPEN_WINDOW_MS
   * of resolving itself. A present finding that `changed` (or comes back active) gets its new detail
   * and a `drift_changed` entry; an absent one recovers the ticket.
   */
  async applyDerivedFinding(sql: SqlConnection, agentId: string, finding: DerivedFinding, changes: ChangeSet): Promise<void> {
    const open = await this.findOpen(sql, agentId, finding.deviceId, finding.code);
    const { present } = finding;
    if (!present) {
      if (open?.active) await this.recover(sql, open, changes);
      return;
    }
    const checklist = JSON.stringify(present.checklist);
    if (open) {
      if (!present.changed && open.active && open.detail === present.detail) return;
      await sql.run('UPDATE tickets SET detail = ?, checklist_json = ?, active = 1, occurrences = occurrences + 1, updated_at = ? WHERE id = ?',
        present.detail, checklist, this.now().toISOString(), open.id);
      await this.addEvent(sql, open.id, 'drift_changed', null, present.detail);
      changes.ticketChanged(open.id, agentId);
      return;
    }
    if (await this.reopenRecent(sql, agentId, finding.deviceId, finding.code, [present.detail, checklist, null, null], changes)) return;
    await this.openTicket(sql, { agentId, deviceId: finding.deviceId, code: finding.code, detail: present.detail, checklist: present.checklist, evidence: null, device: null }, changes);
  }

  /** `open`: the device's open ticket for this code, if any. */
  private async applyFinding(
    sql: SqlConnection, agentId: string, report: DeviceReport, code: DiagnosisCode, detail: string, open: TicketRow | undefined, changes: ChangeSet,
  ) {
    const nowIso = this.now().toISOString();
    if (open) {
      const changed = !open.active || open.detail !== detail;
      await writeFindingUpdates(sql, [{ ticketId: open.id, agentId, report, detail, changed }], nowIso, changes);
      return;
    }
    const latest = [detail, JSON.stringify(report.checklist), JSON.stringify(report.evidence), report.model ?? null] as const;
    if (await this.reopenRecent(sql, agentId, report.deviceId, code, latest, changes)) return;
    await this.openTicket(sql, {
      agentId,
      deviceId: report.deviceId,
      code,
      detail,
      checklist: report.checklist,
      evidence: report.evidence,
      device: { kind: report.kind, driver: report.driver, model: report.model ?? null },
      severity: report.findings.find((finding) => finding.code === code)?.severity,
    }, changes);
  }

  /**
   * Reopens the ticket of this finding that resolved itself within REOPEN_WINDOW_MS, with the
   * latest detail, checklist, evidence and model; false when there is none.
   */
  private async reopenRecent(
    sql: SqlConnection, agentId: string, deviceId: string, code: DiagnosisCode, latest: readonly [string, string, string | null, string | null], changes: ChangeSet,
  ): Promise<boolean> {
    const nowIso = this.now().toISOString();
    const reopenAfter = new Date(this.now().getTime() - REOPEN_WINDOW_MS).toISOString();
    const recent = await sql.get<{ id: number }>(
      `SELECT id FROM tickets WHERE agent_id = ? AND device_id = ? AND code = ? AND status = 'resolved'
         AND auto_resolved = 1 AND resolved_at >= ? ORDER BY resolved_at DESC LIMIT 1`,
      agentId, deviceId, code, reopenAfter,
    );
    if (!recent) return false;
    await sql.run(
      `UPDATE tickets SET status = 'open', resolved_at = NULL, auto_resolved = 0, active = 1, occurrences = occurrences + 1,
         updated_at = ?, detail = ?, checklist_json = ?, evidence_json = ?, device_model = ? WHERE id = ?`,
      nowIso, ...latest, recent.id,
    );
    await this.addEvent(sql, recent.id, 'reopened', null, latest[0]);
    changes.ticketChanged(recent.id, agentId, true);
    return true;
  }

  /**
   * A cashier pressed "report a problem". The fresh diagnosis is applied first, so a fault it
   * shows has its ticket; the report then merges into the register's most pressing open ticket,
   * or opens a `cashier.problem_reported` ticket routed by the symptom. Returns the ticket id.
   */
  async applyCashierReport(sql: SqlConnection, agentId: string, msgId: string, report: CashierReport['payload'], changes: ChangeSet): Promise<number> {
    await this.applyDeviceReports(sql, agentId, msgId, report.diagnosis, changes);
    const symptomTitle = SYMPTOMS[report.symptom].title.en;
    const target = await sql.get<{ id: number }>(
      `SELECT id FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES}
       ORDER BY active DESC, priority ASC, opened_at ASC, id ASC LIMIT 1`,
      agentId,
    );
    const ticketId = target?.id ?? (await this.openTicket(sql, {
      agentId,
      deviceId: null,
      code: 'cashier.problem_reported',
      detail: `Cashier reported: ${symptomTitle}`,
      checklist: report.diagnosis.flatMap((device) => device.checklist).slice(0, 32),
      evidence: null,
      device: null,
      group: SYMPTOMS[report.symptom].group,
    }, changes));
    await sql.run(
      'INSERT INTO cashier_notes (ticket_id, report_msg_id, at, symptom, note, locale) VALUES (?, ?, ?, ?, ?, ?)',
      ticketId, msgId, report.reportedAt, report.symptom, report.note, report.locale,
    );
    await sql.run('UPDATE tickets SET has_cashier_report = 1, updated_at = ? WHERE id = ?', this.now().toISOString(), ticketId);
    await this.addEvent(sql, ticketId, 'cashier_report', null, report.note);
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
  async applyCashierFeedback(sql: SqlConnection, ticket: TicketRow, msgId: string, feedback: CashierFeedback['payload'], changes: ChangeSet): Promise<void> {
    const nowIso = this.now().toISOString();
    await sql.run(
      `INSERT INTO cashier_answers (report_msg_id, agent_id, ticket_id, working, answered_at, msg_id, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, report_msg_id) DO UPDATE SET ticket_id = excluded.ticket_id, working = excluded.working,
         answered_at = excluded.answered_at, msg_id = excluded.msg_id, received_at = excluded.received_at`,
      feedback.reportId, ticket.agent_id, ticket.id, Number(feedback.working), feedback.answeredAt, msgId, nowIso,
    );
    await this.addEvent(sql, ticket.id, feedback.working ? 'cashier_confirmed' : 'cashier_not_fixed', null, '');
    let statusChanged = false;
    if (feedback.working && ticket.status === 'resolved') {
      await sql.run("UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?", nowIso, nowIso, ticket.id);
      statusChanged = true;
    } else if (!feedback.working && (ticket.status === 'resolved' || ticket.status === 'closed')) {
      const other = await this.findOpen(sql, ticket.agent_id, ticket.device_id, ticket.code);
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

  /** The ticket with its register, or undefined: for checks that answer an agent rather than throw. */
  async findTicket(sql: SqlConnection, ticketId: number): Promise<TicketRow | undefined> {
    const raw = await sql.get(`${SELECT_TICKET_ROW} WHERE t.id = ?`, ticketId);
    return raw ? TicketRow.parse(raw) : undefined;
  }

  async openTicketIds(sql: SqlConnection, agentId: string): Promise<number[]> {
    const rows = await sql.all<{ id: number }[]>(`SELECT id FROM tickets WHERE agent_id = ? AND status IN ${OPEN_STATUSES}`, agentId);
    return rows.map((row) => row.id);
  }

  /** Writes a 'command' timeline entry (a probe requested, or its result) on the given tickets of the register. */
  async noteCommand(sql: SqlConnection, agentId: string, ticketIds: number[], actor: string | null, text: string, changes: ChangeSet): Promise<void> {
    for (const id of ticketIds) await this.note(sql, agentId, id, 'command', actor, text, changes);
  }

  /** A timeline entry on one ticket of the register, announced on the feed. */
  async note(sql: SqlConnection, agentId: string, ticketId: number, kind: TimelineKind, actor: string | null, text: string, changes: ChangeSet): Promise<void> {
    await this.addEvent(sql, ticketId, kind, actor, text);
    await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', this.now().toISOString(), ticketId);
    changes.ticketChanged(ticketId, agentId);
  }

  /**
   * A test print's result on the ticket: a 'test_print' timeline entry and the ticket's
   * `printer.test_print` checklist step (kept apart from the reports' checklist, see migration 007).
   */
  async applyTestPrint(sql: SqlConnection, agentId: string, ticketId: number, step: ChecklistAnswer, text: string, changes: ChangeSet): Promise<void> {
    await sql.run('UPDATE tickets SET test_print_json = ? WHERE id = ?', JSON.stringify(step), ticketId);
    await this.note(sql, agentId, ticketId, 'test_print', null, text, changes);
  }

  /** Opens the register's `agent.offline` ticket; the caller (the offline sweep) picked registers without one. */
  async openOfflineTicket(sql: SqlConnection, agentId: string, silentSince: string, changes: ChangeSet): Promise<void> {
    const observed = `no connection since ${silentSince}`;
    await this.openTicket(sql, {
      agentId,
      deviceId: null,
      code: 'agent.offline',
      detail: `The register has not been connected since ${silentSince}.`,
      checklist: [{ step: 'agent.connected', result: 'failed', observed }],
      evidence: null,
      device: null,
    }, changes);
  }

  /** The agent is connected again: its offline ticket has recovered. */
  async agentReconnected(sql: SqlConnection, agentId: string, changes: ChangeSet): Promise<void> {
    const open = await this.findOpen(sql, agentId, null, 'agent.offline');
    if (open?.active) await this.recover(sql, open, changes);
  }

  async take(sql: SqlConnection, ticketId: number, actor: Actor, changes: ChangeSet): Promise<void> {
    const ticket = await this.requireTicket(sql, ticketId);
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw new HttpError(409, 'conflict', `ticket ${ticketId} is ${ticket.status}`);
    if (ticket.assignee === actor.username && ticket.status === 'in_progress') return;
    await sql.run(
      "UPDATE tickets SET status = 'in_progress', assignee = ?, touched = 1, updated_at = ? WHERE id = ?",
      actor.username, this.now().toISOString(), ticketId,
    );
    await this.addEvent(sql, ticketId, 'taken', actor.username, ticket.assignee ? `← ${ticket.assignee}` : '');
    changes.ticketChanged(ticketId, ticket.agent_id, ticket.status !== 'in_progress');
  }

  async addNote(sql: SqlConnection, ticketId: number, actor: Actor, text: string, changes: ChangeSet): Promise<void> {
    const ticket = await this.requireTicket(sql, ticketId);
    await sql.run('UPDATE tickets SET touched = 1, updated_at = ? WHERE id = ?', this.now().toISOString(), ticketId);
    await this.addEvent(sql, ticketId, 'note', actor.username, text);
    changes.ticketChanged(ticketId, ticket.agent_id);
  }

  async resolve(sql: SqlConnection, ticketId: number, actor: Actor, note: string, changes: ChangeSet): Promise<void> {
    const ticket = await this.requireTicket(sql, ticketId);
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw new HttpError(409, 'conflict', `ticket ${ticketId} is already ${ticket.status}`);
    const nowIso = this.now().toISOString();
    await sql.run(
      "UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, touched = 1, auto_resolved = 0, assignee = COALESCE(assignee, ?) WHERE id = ?",
      nowIso, nowIso, actor.username, ticketId,
    );
    await this.addEvent(sql, ticketId, 'resolved', actor.username, note);
    changes.ticketChanged(ticketId, ticket.agent_id, true);
  }

  async ticketRef(sql: SqlConnection, ticketId: number): Promise<TicketRef> {
    const ticket = await this.requireTicket(sql, ticketId);
    return { ticketId, status: ticket.status, reactBy: ticket.react_by, reactMinutes: SLA_BY_SEVERITY[ticket.severity].reactMinutes };
  }

  private async openTicket(sql: SqlConnection, ticket: NewTicket, changes: ChangeSet): Promise<number> {
    const entry = CATALOGUE[ticket.code];
    const severity = ticket.severity ?? entry.severity;
    const sla = SLA_BY_SEVERITY[severity];
    const openedAt = this.now();
    const minutesLater = (minutes: number) => new Date(openedAt.getTime() + minutes * 60_000).toISOString();
    const result = await sql.run(
      `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at,
         react_by, resolve_by, detail, checklist_json, evidence_json, device_kind, device_driver, device_model)
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ticket.agentId, ticket.deviceId, ticket.code, severity, sla.priority, ticket.group ?? entry.group,
      openedAt.toISOString(), openedAt.toISOString(), minutesLater(sla.reactMinutes), minutesLater(sla.resolveMinutes),
      ticket.detail, JSON.stringify(ticket.checklist), ticket.evidence ? JSON.stringify(ticket.evidence) : null,
      ticket.device?.kind ?? null, ticket.device?.driver ?? null, ticket.device?.model ?? null,
    );
    const ticketId = result.lastID;
    if (ticketId === undefined) throw new Error('ticket insert returned no id');
    await this.addEvent(sql, ticketId, 'opened', null, ticket.detail);
    changes.ticketChanged(ticketId, ticket.agentId, true);
    return ticketId;
  }

  /** Untouched tickets whose code allows it resolve themselves; a ticket an engineer handles only gets a note. */
  private async recover(sql: SqlConnection, ticket: TicketRow, changes: ChangeSet): Promise<void> {
    const nowIso = this.now().toISOString();
    await this.addEvent(sql, ticket.id, 'recovered', null, '');
    if (!ticket.touched && CATALOGUE[ticket.code].autoResolve) {
      await sql.run(
        "UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, active = 0, auto_resolved = 1 WHERE id = ?",
        nowIso, nowIso, ticket.id,
      );
      await this.addEvent(sql, ticket.id, 'auto_resolved', null, '');
      changes.ticketChanged(ticket.id, ticket.agent_id, true);
    } else {
      await sql.run('UPDATE tickets SET active = 0, updated_at = ? WHERE id = ?', nowIso, ticket.id);
      changes.ticketChanged(ticket.id, ticket.agent_id);
    }
  }

  /**
   * The event's kind carries its fixed meaning, which the console shows in the reader's language;
   * `text` holds only what varies: the device's detail line or a person's words.
   */
  private async addEvent(sql: SqlConnection, ticketId: number, kind: TimelineKind, actor: string | null, text: string): Promise<void> {
    await sql.run('INSERT INTO ticket_events (ticket_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)', ticketId, this.now().toISOString(), kind, actor, text);
  }

  private async findOpen(sql: SqlConnection, agentId: string, deviceId: string | null, code: DiagnosisCode): Promise<TicketRow | undefined> {
    const raw = await sql.get(
      `${SELECT_TICKET_ROW} WHERE t.agent_id = ? AND IFNULL(t.device_id, '') = ? AND t.code = ? AND t.status IN ${OPEN_STATUSES}`,
      agentId, deviceId ?? '', code,
    );
    return raw ? TicketRow.parse(raw) : undefined;
  }

  private async openTicketsOf(sql: SqlConnection, agentId: string, deviceId: string): Promise<TicketRow[]> {
    const rows = await sql.all(`${SELECT_TICKET_ROW} WHERE t.agent_id = ? AND t.device_id = ? AND t.status IN ${OPEN_STATUSES}`, agentId, deviceId);
    return parseRows(TicketRow, rows);
  }

  private async requireTicket(sql: SqlConnection, ticketId: number): Promise<TicketRow> {
    const ticket = await this.findTicket(sql, ticketId);
    if (!ticket) throw new HttpError(404, 'not_found', `ticket ${ticketId} not found`);
    return ticket;
  }
}

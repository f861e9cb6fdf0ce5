import {
  CATALOGUE,
  type CashierFeedback,
  type CashierReport,
  type ChecklistAnswer,
  type DeviceReport,
  type DiagnosisCode,
  type TicketRef,
  type TimelineKind,
} from '@tillscope/shared';
import { CashierSettingsStore, type CashierSettingsSource } from '../cashier/cashier-settings';
import { lateReportCheck } from '../cashier/late-reports';
import { cashierTicketRef } from '../cashier/ticket-ref';
import type { SqlConnection } from '../db/console-database';
import type { TicketRow } from '../db/rows';
import { FiscalTracker } from '../fiscal/fiscal-tracker';
import { fiscalReadingsOf, isFiscalReport } from '../fiscal/fiscal-writes';
import { applyHostReports as applyHostStage, DRIFT_CODE, recomputeDrift as recomputeDriftStage, type DerivedFinding, type DerivedFindingRules, type HostReportBatch } from '../host/drift-stage';
import { applyCashierFeedback, applyCashierReport } from './cashier-rules';
import type { ChangeSet } from './change-set';
import { deviceKey, readDeviceStates, writeDeviceReports } from './device-writes';
import { addTicketNote, resolveTicket, takeTicket, type Actor } from './engineer-actions';
import { findingsOf } from './standing-findings';
import { createTicketPipeline, type TicketPipeline, type TicketPipelineDeps } from './stages/pipeline';
import { addEvent, findOpen, findTicket, openTicketIds, openTicketsOf, requireTicket } from './ticket-store';

export type { Actor } from './engineer-actions';
export { REOPEN_WINDOW_MS } from './stages/open-update';

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

/**
 * The entry points of the ticket rules: turns machine findings, cashier reports and engineers'
 * actions into ticket state. The rules themselves are the stages of `pipeline` (stages/), the
 * cashier's (cashier-rules.ts) and the engineer's (engineer-actions.ts). Every method runs inside
 * the caller's write transaction and records what it changed in `changes`.
 */
export class TicketEngine implements DerivedFindingRules {
  readonly pipeline: TicketPipeline;

  constructor(
    private readonly now: () => Date,
    /** Fiscal facts, forecasts and fiscal deadlines; the ingest fast path uses it too. */
    readonly fiscal: FiscalTracker = new FiscalTracker(now),
    /** Stages replacing today's rules (hold, correlate, route, deadlines, notify) and the noise settings. */
    stages: Omit<TicketPipelineDeps, 'now' | 'fiscal'> = {},
    /** When an unanswered resolution closes by itself (told to the cashier in TicketRef.autoCloseAt). */
    private readonly cashierSettings: CashierSettingsSource = new CashierSettingsStore(),
  ) {
    this.pipeline = createTicketPipeline({ ...stages, now, fiscal });
  }

  /**
   * Stores each device report and runs its findings through the pipeline: every finding has one
   * open ticket per (register, device, code); a code missing from a device's report has recovered.
   */
  async applyDeviceReports(sql: SqlConnection, agentId: string, msgId: string, reports: DeviceReport[], changes: ChangeSet): Promise<void> {
    const nowIso = this.nowIso();
    const stored = await readDeviceStates(sql, [agentId]);
    // Probed before a cashier report that overtook it in the agent's outbox: history only (late-reports.ts).
    const isLate = await lateReportCheck(sql, agentId, this.now());
    const onTime = reports.filter((report) => !isLate(report.probedAt));
    for (const report of reports) {
      // One ticket update per code: the first finding of a code carries its detail.
      const findings = findingsOf(report);
      const codes = [...findings.keys()];
      await writeDeviceReports(sql, [{ agentId, msgId, receivedAt: nowIso, report, codes, previous: stored.get(deviceKey(agentId, report.deviceId)) }]);
      changes.registers.add(agentId);
      if (!onTime.includes(report)) continue;

      // The device's open tickets, read once: at most one per code (the unique index). Applying a
      // finding touches only its own code's ticket, so the rows still hold for the recovery below.
      const openByCode = new Map((await openTicketsOf(sql, agentId, report.deviceId)).map((ticket) => [ticket.code, ticket]));
      for (const [code, detail] of findings) {
        await this.pipeline.present(sql, {
          agentId, deviceId: report.deviceId, code, detail,
          checklist: report.checklist, evidence: report.evidence,
          device: { kind: report.kind, driver: report.driver, model: report.model ?? null },
          severity: report.findings.find((finding) => finding.code === code)?.severity,
          source: { kind: 'report', report },
        }, openByCode.get(code), changes);
      }
      const isGone = (code: DiagnosisCode) => !findings.has(code) && vouchesFor(report, code, codes);
      for (const ticket of openByCode.values()) {
        // The drift ticket is the console's own finding: no device report speaks for it.
        if (ticket.code === DRIFT_CODE) continue;
        if (ticket.active && isGone(ticket.code)) await this.pipeline.absent(sql, ticket, changes);
      }
      await this.pipeline.stages.hold.cleared(sql, agentId, report.deviceId, isGone);
    }
    // After the findings: a fiscal ticket opened just now is due before the blocking date too.
    await this.fiscal.applyReadings(sql, fiscalReadingsOf(agentId, nowIso, onTime), changes);
    if (onTime.some(isFiscalReport)) await this.pipeline.stages.deadlines.capByFiscal(sql, [agentId], changes);
    await this.applyHostReports(sql, [{ agentId, reports: onTime }], changes);
  }

  /**
   * Stores the host sections of these reports and keeps each register's drift from its reference
   * and its drift ticket in step (host/drift-stage.ts). The ingest fast path calls it for its batch.
   */
  applyHostReports(sql: SqlConnection, batches: readonly HostReportBatch[], changes: ChangeSet): Promise<void> {
    return applyHostStage(sql, this, batches, this.nowIso(), changes);
  }

  /** Compares these registers with their references again (a reference was created, edited or deleted). */
  recomputeDrift(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<void> {
    return recomputeDriftStage(sql, this, agentIds, this.nowIso(), changes);
  }

  /**
   * A finding the console derives itself (drift from the reference), under the device rules: one
   * open ticket per (register, deviceId, code), reopened when it returns soon after resolving
   * itself. A present finding that `changed` (or comes back active) gets its new detail and a
   * `drift_changed` entry; an absent one recovers the ticket.
   */
  async applyDerivedFinding(sql: SqlConnection, agentId: string, finding: DerivedFinding, changes: ChangeSet): Promise<void> {
    const open = await findOpen(sql, agentId, finding.deviceId, finding.code);
    const { present } = finding;
    if (!present) {
      if (open?.active) await this.pipeline.absent(sql, open, changes);
      return;
    }
    await this.pipeline.present(sql, {
      agentId, deviceId: finding.deviceId, code: finding.code, detail: present.detail, checklist: present.checklist,
      evidence: null, device: null, source: { kind: 'derived', changed: present.changed },
    }, open, changes);
  }

  /** Applies the report's fresh diagnosis, then the report itself (cashier-rules.ts). Returns the ticket id. */
  async applyCashierReport(sql: SqlConnection, agentId: string, msgId: string, report: CashierReport['payload'], changes: ChangeSet): Promise<number> {
    await this.applyDeviceReports(sql, agentId, msgId, report.diagnosis, changes);
    return applyCashierReport(sql, this.pipeline, agentId, msgId, report, this.nowIso(), changes);
  }

  /** The cashier answered "is it working?" (cashier-rules.ts). */
  applyCashierFeedback(sql: SqlConnection, ticket: TicketRow, msgId: string, feedback: CashierFeedback['payload'], changes: ChangeSet): Promise<void> {
    return applyCashierFeedback(sql, ticket, msgId, feedback, this.nowIso(), changes);
  }

  /** The ticket with its register, or undefined: for checks that answer an agent rather than throw. */
  findTicket(sql: SqlConnection, ticketId: number): Promise<TicketRow | undefined> {
    return findTicket(sql, ticketId);
  }

  openTicketIds(sql: SqlConnection, agentId: string): Promise<number[]> {
    return openTicketIds(sql, agentId);
  }

  /** Writes a 'command' timeline entry (a probe requested, or its result) on the given tickets of the register. */
  async noteCommand(sql: SqlConnection, agentId: string, ticketIds: number[], actor: string | null, text: string, changes: ChangeSet): Promise<void> {
    for (const id of ticketIds) await this.note(sql, agentId, id, 'command', actor, text, changes);
  }

  /** A timeline entry on one ticket of the register, announced on the feed. */
  async note(sql: SqlConnection, agentId: string, ticketId: number, kind: TimelineKind, actor: string | null, text: string, changes: ChangeSet): Promise<void> {
    const nowIso = this.nowIso();
    await addEvent(sql, ticketId, nowIso, kind, actor, text);
    await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', nowIso, ticketId);
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

  /**
   * The register has been silent since `silentSince`: its `agent.offline` finding goes through the
   * pipeline (the offline sweep picked registers without one). Returns the ticket, or null when
   * held (a maintenance window).
   */
  async openOfflineTicket(sql: SqlConnection, agentId: string, silentSince: string, changes: ChangeSet): Promise<number | null> {
    const observed = `no connection since ${silentSince}`;
    return this.pipeline.present(sql, {
      agentId,
      deviceId: null,
      code: 'agent.offline',
      detail: `The register has not been connected since ${silentSince}.`,
      checklist: [{ step: 'agent.connected', result: 'failed', observed }],
      evidence: null,
      device: null,
      foundAt: silentSince,
      source: { kind: 'event' },
    }, undefined, changes);
  }

  /** The agent is connected again: its offline ticket has recovered. */
  async agentReconnected(sql: SqlConnection, agentId: string, changes: ChangeSet): Promise<void> {
    const open = await findOpen(sql, agentId, null, 'agent.offline');
    if (open?.active) await this.pipeline.absent(sql, open, changes);
  }

  take(sql: SqlConnection, ticketId: number, actor: Actor, changes: ChangeSet): Promise<void> {
    return takeTicket(sql, ticketId, actor, this.nowIso(), changes);
  }

  addNote(sql: SqlConnection, ticketId: number, actor: Actor, text: string, changes: ChangeSet): Promise<void> {
    return addTicketNote(sql, ticketId, actor, text, this.nowIso(), changes);
  }

  async resolve(sql: SqlConnection, ticketId: number, actor: Actor, note: string, changes: ChangeSet): Promise<void> {
    await resolveTicket(sql, ticketId, actor, note, this.nowIso(), changes);
    await this.pipeline.stages.correlate.afterResolve?.(sql, ticketId, changes);
  }

  async ticketRef(sql: SqlConnection, ticketId: number): Promise<TicketRef> {
    const ticket = await requireTicket(sql, ticketId);
    const { autoCloseHours } = await this.cashierSettings.current(sql);
    return cashierTicketRef(ticket, await this.pipeline.stages.deadlines.reactMinutes(sql, ticket), autoCloseHours);
  }

  private nowIso(): string {
    return this.now().toISOString();
  }
}

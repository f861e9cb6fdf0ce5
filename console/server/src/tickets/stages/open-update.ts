import { CATALOGUE, type GroupId, type Severity } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import type { NoiseSettingsSource } from '../../noise/noise-settings';
import type { TicketRow } from '../../db/rows';
import type { ChangeSet } from '../change-set';
import { writeFindingUpdates } from '../standing-findings';
import { addEvent, RESOLUTION_ENDS_WAIT } from '../ticket-store';
import type { DueDates } from './deadlines';
import type { TicketFinding } from './finding';

/**
 * Without noise settings: a finding that comes back this soon after its ticket resolved itself
 * reopens that ticket instead of opening a new one, so a flickering sensor makes one ticket, not
 * ten. With them: back within `reopenDays` of any resolution (by itself or by an engineer).
 */
export const REOPEN_WINDOW_MS = 10 * 60 * 1000;
const DAY_MS = 86_400_000;

/** What the stages before decided for a new ticket. */
export interface NewTicketPlan extends DueDates {
  group: GroupId;
  severity: Severity;
  openedAt: Date;
  /** the ticket this one is a symptom of (correlate stage), or null */
  parentId: number | null;
  /** the hold saw it come and go faster than its hold (hold stage) */
  flapping: boolean;
}

/**
 * The open-or-update stage: one open ticket per (register, device, code). A finding with an open
 * ticket updates it; one without reopens the ticket it resolved itself out of within
 * REOPEN_WINDOW_MS, or opens a new one; a finding gone recovers its ticket. Every method runs in
 * the caller's write transaction and returns what changed: the pipeline tells the notify stage.
 */
export class OpenUpdateStage {
  constructor(
    private readonly now: () => Date,
    private readonly noise?: NoiseSettingsSource,
  ) {}

  /**
   * The finding again, on its open ticket. A device report counts and notes a new detail
   * (standing-findings.ts, which records its own changes: the ingest fast path shares it); a
   * derived finding that changed (or comes back active) gets its new detail and `drift_changed`.
   * Returns whether the pipeline should announce a change (false when already recorded or none).
   */
  async update(sql: SqlConnection, finding: TicketFinding, open: TicketRow, changes: ChangeSet): Promise<boolean> {
    const { source } = finding;
    if (source.kind === 'report') {
      const changed = !open.active || open.detail !== finding.detail;
      await writeFindingUpdates(sql, [{ ticketId: open.id, agentId: finding.agentId, report: source.report, detail: finding.detail, changed }], this.nowIso(), changes);
      return false;
    }
    if (source.kind === 'event') return false;
    if (!source.changed && open.active && open.detail === finding.detail) return false;
    await sql.run('UPDATE tickets SET detail = ?, checklist_json = ?, active = 1, occurrences = occurrences + 1, updated_at = ? WHERE id = ?',
      finding.detail, JSON.stringify(finding.checklist), this.nowIso(), open.id);
    await addEvent(sql, open.id, this.nowIso(), 'drift_changed', null, finding.detail);
    return true;
  }

  /**
   * Reopens the ticket of this finding that resolved within the reopen window (see REOPEN_WINDOW_MS),
   * with the latest detail, checklist, evidence and model; `flapping` marks it. Null when there is none.
   */
  async reopenRecent(sql: SqlConnection, finding: TicketFinding, flapping = false): Promise<number | null> {
    const nowIso = this.nowIso();
    const settings = await this.noise?.current(sql);
    if (settings?.reopenDays === 0) return null;
    const windowMs = settings ? settings.reopenDays * DAY_MS : REOPEN_WINDOW_MS;
    const reopenAfter = new Date(this.now().getTime() - windowMs).toISOString();
    const recent = await sql.get<{ id: number }>(
      `SELECT id FROM tickets WHERE agent_id = ? AND device_id = ? AND code = ? AND status = 'resolved'
         AND (auto_resolved = 1 OR ?) AND resolved_at >= ? ORDER BY resolved_at DESC LIMIT 1`,
      finding.agentId, finding.deviceId, finding.code, settings ? 1 : 0, reopenAfter,
    );
    if (!recent) return null;
    await sql.run(
      `UPDATE tickets SET status = 'open', resolved_at = NULL, auto_resolved = 0, active = 1, occurrences = occurrences + 1, flapping = MAX(flapping, ?),
         updated_at = ?, detail = ?, checklist_json = ?, evidence_json = ?, device_model = ? WHERE id = ?`,
      Number(flapping), nowIso, finding.detail, JSON.stringify(finding.checklist), finding.evidence ? JSON.stringify(finding.evidence) : null, finding.device?.model ?? null, recent.id,
    );
    await addEvent(sql, recent.id, nowIso, 'reopened', null, finding.detail);
    return recent.id;
  }

  /** Inserts the new ticket as the stages before planned it, with its 'opened' entry; returns its id. */
  async open(sql: SqlConnection, finding: TicketFinding, plan: NewTicketPlan): Promise<number> {
    const openedAt = plan.openedAt.toISOString();
    const result = await sql.run(
      `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at,
         react_by, resolve_by, detail, checklist_json, evidence_json, device_kind, device_driver, device_model, scope, parent_id, flapping, found_at)
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      finding.agentId, finding.deviceId, finding.code, plan.severity, plan.priority, plan.group,
      openedAt, openedAt, plan.reactBy, plan.resolveBy,
      finding.detail, JSON.stringify(finding.checklist), finding.evidence ? JSON.stringify(finding.evidence) : null,
      finding.device?.kind ?? null, finding.device?.driver ?? null, finding.device?.model ?? null,
      CATALOGUE[finding.code].scope ?? 'register', plan.parentId, Number(plan.flapping),
      finding.foundAt ?? (finding.source.kind === 'event' ? null : openedAt),
    );
    const ticketId = result.lastID;
    if (ticketId === undefined) throw new Error('ticket insert returned no id');
    await addEvent(sql, ticketId, this.nowIso(), 'opened', null, finding.detail);
    if (plan.parentId !== null) await addEvent(sql, ticketId, this.nowIso(), 'attached_to_incident', null, `#${plan.parentId}`);
    return ticketId;
  }

  /**
   * The finding has gone. Untouched tickets whose code allows it resolve themselves, except a
   * flapping one while noise settings ask for a calm period (the hold sweep resolves it once calm:
   * resolveItself); a ticket an engineer handles (or one that `waits` for its store incident) only
   * gets a note and turns inactive. Returns whether the status changed.
   */
  async recover(sql: SqlConnection, ticket: TicketRow, waits = false): Promise<boolean> {
    const nowIso = this.nowIso();
    await addEvent(sql, ticket.id, nowIso, 'recovered', null, '');
    const waitsForCalm = ticket.flapping && ((await this.noise?.current(sql))?.calmSec ?? 0) > 0;
    if (!ticket.touched && !waits && !waitsForCalm && CATALOGUE[ticket.code].autoResolve) {
      await this.resolveItself(sql, ticket.id);
      return true;
    }
    await sql.run('UPDATE tickets SET active = 0, updated_at = ? WHERE id = ?', nowIso, ticket.id);
    return false;
  }

  /** The ticket resolves itself (its finding has gone and may not come back to it any more). */
  async resolveItself(sql: SqlConnection, ticketId: number): Promise<void> {
    const nowIso = this.nowIso();
    await sql.run(
      `UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, active = 0, auto_resolved = 1, ${RESOLUTION_ENDS_WAIT} WHERE id = ?`,
      nowIso, nowIso, ticketId,
    );
    await addEvent(sql, ticketId, nowIso, 'auto_resolved', null, '');
  }

  private nowIso(): string {
    return this.now().toISOString();
  }
}

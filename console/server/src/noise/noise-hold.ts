import { ChecklistAnswer, DeviceKind, DiagnosisCode, DriverId, Evidence, Severity } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import type { HoldStage, HoldVerdict } from '../tickets/stages/hold';
import type { TicketFinding } from '../tickets/stages/finding';
import { holdSecOf, type NoiseSettingsSource } from './noise-settings';
import { onCleared, onPresent, type PendingState } from './pending-state';

/** What a held finding's ticket will show, as pending_findings.report_json keeps it. */
export const HeldFinding = z.object({
  agentId: z.string(),
  deviceId: z.string(),
  code: DiagnosisCode,
  detail: z.string(),
  checklist: z.array(ChecklistAnswer),
  evidence: Evidence.nullable(),
  device: z.object({ kind: DeviceKind, driver: DriverId, model: z.string().nullable() }).nullable(),
  severity: Severity.optional(),
});
export type HeldFinding = z.infer<typeof HeldFinding>;

const PendingRow = z.object({
  code: DiagnosisCode,
  first_seen_at: z.string(),
  present: z.number().int(),
  cleared_at: z.string().nullable(),
  returns: z.number().int(),
  window_started_at: z.string(),
});
type PendingRow = z.infer<typeof PendingRow>;

const stateOf = (row: PendingRow): PendingState => ({
  firstSeenAt: Date.parse(row.first_seen_at),
  present: row.present === 1,
  clearedAt: row.cleared_at === null ? null : Date.parse(row.cleared_at),
  returns: row.returns,
  windowStartedAt: Date.parse(row.window_started_at),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The hold with noise control: a device finding without an open ticket waits in pending_findings
 * until it has stood its hold (holdSecOf); one that keeps coming and going opens one ticket marked
 * flapping (pending-state.ts). The console's own findings (drift) and events (a silent register, a
 * cashier's report) are not held: the offline threshold is the silence's own hold.
 */
export class NoiseHold implements HoldStage {
  constructor(
    private readonly settings: NoiseSettingsSource,
    private readonly now: () => Date,
  ) {}

  async admit(sql: SqlConnection, finding: TicketFinding): Promise<HoldVerdict> {
    if (finding.source.kind !== 'report' || finding.deviceId === null) return 'open';
    const settings = await this.settings.current(sql);
    const holdSec = holdSecOf(settings, finding.code);
    const nowMs = this.now().getTime();
    const row = await sql.get<unknown>(
      'SELECT code, first_seen_at, present, cleared_at, returns, window_started_at FROM pending_findings WHERE agent_id = ? AND device_id = ? AND code = ?',
      finding.agentId, finding.deviceId, finding.code,
    );
    const pending = row === undefined ? undefined : PendingRow.parse(row);
    const decision = onPresent(pending === undefined ? undefined : stateOf(pending), nowMs, holdSec, settings);
    if (decision.state) await this.keep(sql, finding, finding.deviceId, decision.state, nowMs);
    else if (pending !== undefined) await sql.run('DELETE FROM pending_findings WHERE agent_id = ? AND device_id = ? AND code = ?', finding.agentId, finding.deviceId, finding.code);
    // Let through after its hold (or flapping): its ticket was found when the hold first saw it.
    if (decision.verdict !== 'held' && pending !== undefined) finding.foundAt = pending.present ? pending.first_seen_at : pending.window_started_at;
    return decision.verdict;
  }

  async cleared(sql: SqlConnection, agentId: string, deviceId: string, isGone: (code: DiagnosisCode) => boolean): Promise<void> {
    const rows = await sql.all<unknown[]>(
      'SELECT code, first_seen_at, present, cleared_at, returns, window_started_at FROM pending_findings WHERE agent_id = ? AND device_id = ? AND present = 1',
      agentId, deviceId,
    );
    const nowMs = this.now().getTime();
    for (const row of rows.map((raw) => PendingRow.parse(raw))) {
      if (!isGone(row.code)) continue;
      const state = onCleared(stateOf(row), nowMs);
      await sql.run('UPDATE pending_findings SET present = 0, cleared_at = ? WHERE agent_id = ? AND device_id = ? AND code = ?', iso(state.clearedAt), agentId, deviceId, row.code);
    }
  }

  private async keep(sql: SqlConnection, finding: TicketFinding, deviceId: string, state: PendingState, nowMs: number): Promise<void> {
    const held: HeldFinding = {
      agentId: finding.agentId, deviceId, code: finding.code, detail: finding.detail, checklist: finding.checklist,
      evidence: finding.evidence, device: finding.device, ...(finding.severity ? { severity: finding.severity } : {}),
    };
    await sql.run(
      `INSERT INTO pending_findings (agent_id, device_id, code, first_seen_at, last_seen_at, present, cleared_at, returns, window_started_at, detail, report_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, device_id, code) DO UPDATE SET first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
         present = excluded.present, cleared_at = excluded.cleared_at, returns = excluded.returns, window_started_at = excluded.window_started_at,
         detail = excluded.detail, report_json = excluded.report_json`,
      finding.agentId, deviceId, finding.code, iso(state.firstSeenAt), iso(nowMs), Number(state.present), iso(state.clearedAt),
      state.returns, iso(state.windowStartedAt), finding.detail, JSON.stringify(held),
    );
  }
}

import type { DiagnosisCode } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import type { ChangeSet } from '../tickets/change-set';
import type { HoldStage } from '../tickets/stages/hold';

// Is a register under maintenance at a given instant: a window of its store (agent_id NULL) or of
// the register itself, not cancelled, with starts_at <= at < ends_at. Read through
// maintenance_by_store (store_id, ends_at): the store's windows not yet ended at that instant.

const ACTIVE_WINDOWS = `SELECT w.id FROM agents a JOIN maintenance_windows w ON w.store_id = a.store_id
  WHERE a.id = ? AND w.ends_at > ? AND w.starts_at <= ? AND w.cancelled_at IS NULL AND (w.agent_id IS NULL OR w.agent_id = a.id)`;

/** The windows covering the register at `atIso` (store-wide or its own), oldest first. */
export async function maintenanceWindowsAt(sql: SqlConnection, agentId: string, atIso: string): Promise<number[]> {
  const rows = await sql.all<{ id: number }[]>(`${ACTIVE_WINDOWS} ORDER BY w.id`, agentId, atIso, atIso);
  return rows.map((row) => row.id);
}

export async function isUnderMaintenance(sql: SqlConnection, agentId: string, atIso: string): Promise<boolean> {
  return (await sql.get(`${ACTIVE_WINDOWS} LIMIT 1`, agentId, atIso, atIso)) !== undefined;
}

/** One condition of one register: a device's code, or (deviceId null) the register's own (offline). */
export interface MaintenanceCondition {
  agentId: string;
  deviceId: string | null;
  code: DiagnosisCode;
}

/**
 * Whether a window covers the register now; if so the condition is recorded as held back by each
 * covering window, and a window's `suppressed` grows the first time it holds back that condition
 * (a report or an offline sweep seeing it again is the same condition, not a new one).
 */
export async function suppressUnderMaintenance(sql: SqlConnection, condition: MaintenanceCondition, atIso: string): Promise<boolean> {
  const windows = await maintenanceWindowsAt(sql, condition.agentId, atIso);
  for (const windowId of windows) {
    const { changes } = await sql.run(
      `INSERT INTO maintenance_suppressions (window_id, agent_id, device_id, code, first_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      windowId, condition.agentId, condition.deviceId ?? '', condition.code, atIso,
    );
    if (changes === 1) await sql.run('UPDATE maintenance_windows SET suppressed = suppressed + 1 WHERE id = ?', windowId);
  }
  return windows.length > 0;
}

/**
 * The hold stage with maintenance windows in front: a finding of a register under maintenance is
 * held (no ticket opens, nor an offline ticket: the offline sweep goes through the hold too) and
 * counted on its window; its report was already stored as device history by the caller. Other
 * findings go on to `inner`. A finding whose ticket is already open never reaches the hold, so a
 * ticket opened before the window keeps counting repeats and recovers as usual.
 */
export function maintenanceHold(inner: HoldStage, now: () => Date): HoldStage {
  return {
    async admit(sql: SqlConnection, finding, changes: ChangeSet) {
      if (await suppressUnderMaintenance(sql, finding, now().toISOString())) return 'held';
      return inner.admit(sql, finding, changes);
    },
    cleared: (sql, agentId, deviceId, isGone) => inner.cleared(sql, agentId, deviceId, isGone),
  };
}

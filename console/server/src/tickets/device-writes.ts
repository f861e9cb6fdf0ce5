import type { DeviceReport } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { allInChunks, runMultiRow } from '../db/multi-row';

// The devices row holds a device's latest state. device_reports is its history: a report is kept
// when the state (health, finding codes) changed, and otherwise at most once per
// HISTORY_SNAPSHOT_MS per device (migration 004 explains the volumes). One definition for the
// ticket engine (one report at a time) and the ingest fast path (hundreds per statement).

/** While nothing changes, one report per device per hour is kept as a snapshot. */
export const HISTORY_SNAPSHOT_MS = 60 * 60 * 1000;

const UPSERT_DEVICE_HEAD = 'INSERT INTO devices (agent_id, device_id, kind, driver, transport, target, model, health, codes_json, probed_at, history_at)';
const UPSERT_DEVICE_TAIL = `ON CONFLICT (agent_id, device_id) DO UPDATE SET kind = excluded.kind, driver = excluded.driver,
  model = COALESCE(excluded.model, devices.model), health = excluded.health,
  codes_json = excluded.codes_json, probed_at = excluded.probed_at,
  history_at = COALESCE(excluded.history_at, devices.history_at)`;
const INSERT_REPORT_HEAD = 'INSERT INTO device_reports (agent_id, device_id, msg_id, received_at, probed_at, health, report_json)';

/** The stored state a new report is compared with. */
export interface StoredDeviceState {
  agent_id: string;
  device_id: string;
  health: string;
  codes_json: string;
  history_at: string | null;
}

export interface DeviceReportWrite {
  agentId: string;
  msgId: string;
  receivedAt: string;
  report: DeviceReport;
  /** The report's distinct finding codes, as stored in devices.codes_json. */
  codes: readonly string[];
  /** The device's row before this report; undefined for a device seen for the first time. */
  previous: StoredDeviceState | undefined;
}

export const deviceKey = (agentId: string, deviceId: string) => `${agentId}\u0000${deviceId}`;

/** The stored state of every device of these registers, keyed by deviceKey(). */
export async function readDeviceStates(sql: SqlConnection, agentIds: readonly string[]): Promise<Map<string, StoredDeviceState>> {
  const rows = await allInChunks<StoredDeviceState>(
    sql, agentIds, (ids) => `SELECT agent_id, device_id, health, codes_json, history_at FROM devices WHERE agent_id IN (${ids})`,
  );
  return new Map(rows.map((row) => [deviceKey(row.agent_id, row.device_id), row]));
}

/** Whether the device's health or finding codes differ from what is stored (a new device has changed). */
export function stateChanged(write: Pick<DeviceReportWrite, 'report' | 'codes' | 'previous'>): boolean {
  const { previous, report, codes } = write;
  return !previous || previous.health !== report.health || previous.codes_json !== JSON.stringify(codes);
}

/** For a report that changed nothing: whether its hourly history snapshot is due. */
export function historyDue(write: Pick<DeviceReportWrite, 'receivedAt' | 'previous'>): boolean {
  const last = write.previous?.history_at;
  return !last || Date.parse(write.receivedAt) - Date.parse(last) >= HISTORY_SNAPSHOT_MS;
}

/**
 * Upserts each device's latest state and appends the reports the history keeps, in order (the last
 * report of a device wins). Several reports of one device in one call are judged against the
 * state stored before the call, which at worst keeps one snapshot too many.
 */
export async function writeDeviceReports(sql: SqlConnection, writes: readonly DeviceReportWrite[]): Promise<void> {
  const kept = writes.map((write) => stateChanged(write) || historyDue(write));
  await runMultiRow(sql, UPSERT_DEVICE_HEAD, 11, writes.map(({ agentId, report, codes, receivedAt }, index) => [
    agentId, report.deviceId, report.kind, report.driver, report.evidence.transport, report.evidence.target,
    report.model ?? null, report.health, JSON.stringify(codes), report.probedAt, kept[index] ? receivedAt : null,
  ]), UPSERT_DEVICE_TAIL);
  await runMultiRow(sql, INSERT_REPORT_HEAD, 7, writes.filter((_, index) => kept[index]).map(({ agentId, msgId, receivedAt, report }) => [
    agentId, report.deviceId, msgId, receivedAt, report.probedAt, report.health, JSON.stringify(report),
  ]));
}

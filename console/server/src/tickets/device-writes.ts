import type { DeviceReport } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { runMultiRow } from '../db/multi-row';

// The devices row holds a device's latest state; device_reports keeps every report for history.
// One definition for the ticket engine (one report at a time) and the ingest fast path (hundreds).

const UPSERT_DEVICE_HEAD = 'INSERT INTO devices (agent_id, device_id, kind, driver, transport, target, model, health, codes_json, probed_at)';
const UPSERT_DEVICE_TAIL = `ON CONFLICT (agent_id, device_id) DO UPDATE SET kind = excluded.kind, driver = excluded.driver,
  model = COALESCE(excluded.model, devices.model), health = excluded.health,
  codes_json = excluded.codes_json, probed_at = excluded.probed_at`;
const INSERT_REPORT_HEAD = 'INSERT INTO device_reports (agent_id, device_id, msg_id, received_at, probed_at, health, report_json)';

export interface DeviceReportWrite {
  agentId: string;
  msgId: string;
  receivedAt: string;
  report: DeviceReport;
  /** The report's distinct finding codes, as stored in devices.codes_json. */
  codes: readonly string[];
}

/** Upserts each device's latest state and appends each report, in order (the last report of a device wins). */
export async function writeDeviceReports(sql: SqlConnection, writes: readonly DeviceReportWrite[]): Promise<void> {
  await runMultiRow(sql, UPSERT_DEVICE_HEAD, 10, writes.map(({ agentId, report, codes }) => [
    agentId, report.deviceId, report.kind, report.driver, report.evidence.transport, report.evidence.target,
    report.model ?? null, report.health, JSON.stringify(codes), report.probedAt,
  ]), UPSERT_DEVICE_TAIL);
  await runMultiRow(sql, INSERT_REPORT_HEAD, 7, writes.map(({ agentId, msgId, receivedAt, report }) => [
    agentId, report.deviceId, msgId, receivedAt, report.probedAt, report.health, JSON.stringify(report),
  ]));
}

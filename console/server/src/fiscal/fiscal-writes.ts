import { DeviceIdentity, type BlockingReason, type FiscalFacts } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { allInChunks, runMultiRow } from '../db/multi-row';
import { deviceKey } from '../tickets/device-writes';
import { type FiscalSettings } from './fiscal-settings';
import { factsDiffer, mergeFiscalReading } from './fiscal-state';
import { FISCAL_STATE_COLUMNS, FISCAL_WRITE_COLUMNS, FiscalStateRow, rowValues, stateFromRow } from './fiscal-rows';
import { earliestBlocking, forecastDevice, replacementOf, type DeviceBlocking } from './forecast';

/** What one device report brought that this module keeps: its fiscal facts and its identity. */
export interface FiscalReading {
  agentId: string;
  deviceId: string;
  receivedAt: string;
  fiscal?: FiscalFacts;
  identity?: DeviceIdentity;
}

export interface FiscalWriteOutcome {
  /** Registers whose summary changed: fiscal facts a person reads, a forecast, or an identity. */
  changedRegisters: Set<string>;
  /** Registers whose blocking date, reason or device changed (their tickets show the date). */
  blockingChanged: Set<string>;
}

const UPSERT_HEAD = `INSERT INTO fiscal_states (${FISCAL_WRITE_COLUMNS.join(', ')})`;
const UPSERT_TAIL = `ON CONFLICT (agent_id, device_id) DO UPDATE SET ${FISCAL_WRITE_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`;

/** The agents side of readStored's LEFT JOIN; the fiscal_states side is parsed when there is one. */
const AgentForecastRow = z.object({
  agent_id: z.string(),
  device_id: z.string().nullable(),
  a_blocking_at: z.string().nullable(),
  a_blocking_reason: z.string().nullable(),
  a_blocking_device: z.string().nullable(),
});

interface Stored {
  /** device key → stored row */
  rows: Map<string, FiscalStateRow>;
  /** agent → its stored register forecast ("at|reason|device", or '' for none) */
  registerForecast: Map<string, string>;
}

/**
 * Folds each reading's fiscal facts into the stored state, recomputes the device's forecast and the
 * register's (the earliest over its fiscal devices), and keeps identities, inside the caller's
 * transaction. Readings of one device apply in order. A state that did not change is rewritten
 * only every `refreshMinutes` (read times move on), so a register's unchanged facts cost one read.
 */
export async function writeFiscalReadings(sql: SqlConnection, readings: readonly FiscalReading[], settings: FiscalSettings): Promise<FiscalWriteOutcome> {
  const outcome: FiscalWriteOutcome = { changedRegisters: new Set(), blockingChanged: new Set() };
  const fiscal = readings.filter((reading) => reading.fiscal);
  if (fiscal.length > 0) await writeStates(sql, fiscal, settings, outcome);
  const identities = readings.filter((reading) => reading.identity);
  if (identities.length > 0) await writeIdentities(sql, identities, outcome);
  return outcome;
}

async function writeStates(sql: SqlConnection, readings: readonly FiscalReading[], settings: FiscalSettings, outcome: FiscalWriteOutcome): Promise<void> {
  const stored = await readStored(sql, [...new Set(readings.map((reading) => reading.agentId))]);
  const written = new Map<string, unknown[]>();
  const current = new Map(stored.rows);
  const refreshMs = settings.refreshMinutes * 60_000;
  for (const reading of readings) {
    const key = deviceKey(reading.agentId, reading.deviceId);
    const before = current.get(key);
    const beforeState = before ? stateFromRow(before) : undefined;
    const state = mergeFiscalReading(beforeState, reading.fiscal!, reading.receivedAt);
    const forecast = forecastDevice(state, settings, new Date(reading.receivedAt));
    const forecastMoved = !before || before.blocking_at !== forecast.blockingAt || before.blocking_reason !== forecast.reason;
    const visible = forecastMoved || factsDiffer(beforeState!, state, { documentNumber: false });
    const due = visible || factsDiffer(beforeState!, state, { documentNumber: true })
      || Date.parse(reading.receivedAt) - Date.parse(before!.written_at) >= refreshMs;
    if (visible) outcome.changedRegisters.add(reading.agentId);
    if (!due) continue;
    const values = rowValues({ agentId: reading.agentId, deviceId: reading.deviceId, writtenAt: reading.receivedAt }, state, forecast, replacementOf(forecast));
    written.set(key, values);
    current.set(key, FiscalStateRow.parse(Object.fromEntries(FISCAL_STATE_COLUMNS.map((column, index) => [column, values[index]]))));
  }
  if (written.size === 0) return;
  await runMultiRow(sql, UPSERT_HEAD, FISCAL_WRITE_COLUMNS.length, [...written.values()], UPSERT_TAIL);
  await writeRegisterForecasts(sql, current, stored.registerForecast, new Set([...written.values()].map((values) => values[0] as string)), outcome);
}

/** Registers whose fiscal rows were written: their earliest blocking date, written to agents when it moved. */
async function writeRegisterForecasts(
  sql: SqlConnection, rows: Map<string, FiscalStateRow>, stored: Map<string, string>, agents: Set<string>, outcome: FiscalWriteOutcome,
): Promise<void> {
  const devicesOf = new Map<string, DeviceBlocking[]>();
  for (const row of rows.values()) {
    if (!agents.has(row.agent_id)) continue;
    const list = devicesOf.get(row.agent_id) ?? [];
    list.push({ deviceId: row.device_id, blockingAt: row.blocking_at, reason: row.blocking_reason });
    devicesOf.set(row.agent_id, list);
  }
  const updates: [string, string | null, BlockingReason | null, string | null][] = [];
  for (const [agentId, devices] of devicesOf) {
    const earliest = earliestBlocking(devices);
    if (forecastKey(earliest?.blockingAt ?? null, earliest?.reason ?? null, earliest?.deviceId ?? null) === stored.get(agentId)) continue;
    updates.push([agentId, earliest?.blockingAt ?? null, earliest?.reason ?? null, earliest?.deviceId ?? null]);
    outcome.blockingChanged.add(agentId);
    outcome.changedRegisters.add(agentId);
  }
  await runMultiRow(sql, 'WITH forecast (id, at, reason, device) AS (', 4, updates,
    `) UPDATE agents SET fiscal_blocking_at = forecast.at, fiscal_blocking_reason = forecast.reason, fiscal_blocking_device = forecast.device
      FROM forecast WHERE agents.id = forecast.id`);
}

const forecastKey = (at: string | null, reason: string | null, device: string | null) => (at === null ? '' : `${at}|${reason ?? ''}|${device ?? ''}`);

async function readStored(sql: SqlConnection, agentIds: string[]): Promise<Stored> {
  const columns = FISCAL_STATE_COLUMNS.filter((column) => column !== 'agent_id').map((column) => `f.${column}`).join(', ');
  const raw = await allInChunks<unknown>(sql, agentIds, (ids) => `SELECT a.id AS agent_id, a.fiscal_blocking_at AS a_blocking_at,
      a.fiscal_blocking_reason AS a_blocking_reason, a.fiscal_blocking_device AS a_blocking_device, ${columns}
    FROM agents a LEFT JOIN fiscal_states f ON f.agent_id = a.id WHERE a.id IN (${ids})`);
  const stored: Stored = { rows: new Map(), registerForecast: new Map() };
  for (const item of raw) {
    const row = AgentForecastRow.parse(item);
    stored.registerForecast.set(row.agent_id, forecastKey(row.a_blocking_at, row.a_blocking_reason, row.a_blocking_device));
    if (row.device_id !== null) stored.rows.set(deviceKey(row.agent_id, row.device_id), FiscalStateRow.parse(item));
  }
  return stored;
}

async function writeIdentities(sql: SqlConnection, readings: readonly FiscalReading[], outcome: FiscalWriteOutcome): Promise<void> {
  const agentIds = [...new Set(readings.map((reading) => reading.agentId))];
  const rows = await allInChunks<{ agent_id: string; device_id: string; identity_json: string | null }>(
    sql, agentIds, (ids) => `SELECT agent_id, device_id, identity_json FROM devices WHERE agent_id IN (${ids})`,
  );
  const stored = new Map(rows.map((row) => [deviceKey(row.agent_id, row.device_id), row.identity_json]));
  const latest = new Map<string, [string, string, string]>();
  for (const reading of readings) {
    const json = JSON.stringify(DeviceIdentity.parse(reading.identity));
    const key = deviceKey(reading.agentId, reading.deviceId);
    if (stored.get(key) === json) latest.delete(key);
    else latest.set(key, [reading.agentId, reading.deviceId, json]);
  }
  for (const [agentId] of latest.values()) outcome.changedRegisters.add(agentId);
  await runMultiRow(sql, 'WITH identity (agent_id, device_id, json) AS (', 3, [...latest.values()],
    `) UPDATE devices SET identity_json = identity.json FROM identity
      WHERE devices.agent_id = identity.agent_id AND devices.device_id = identity.device_id`);
}

/** The readings in one agent's device reports: those that carry fiscal facts or an identity. */
export function fiscalReadingsOf(agentId: string, receivedAt: string, reports: readonly { deviceId: string; fiscal?: FiscalFacts; identity?: DeviceIdentity }[]): FiscalReading[] {
  return reports
    .filter((report) => report.fiscal || report.identity)
    .map((report) => ({ agentId, deviceId: report.deviceId, receivedAt, fiscal: report.fiscal, identity: report.identity }));
}

import { DeviceIdentity, type BlockingReason, type DeviceReport, type FiscalFacts } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { allInChunks, runMultiRow } from '../db/multi-row';
import { deviceKey } from '../tickets/device-writes';
import { type FiscalSettings } from './fiscal-settings';
import { factsDiffer, mergeFiscalReading, type FiscalFactsState } from './fiscal-state';
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

/** The agents and devices side of readStored's LEFT JOINs; the fiscal_states side is parsed when there is one. */
const AgentForecastRow = z.object({
  agent_id: z.string(),
  device_id: z.string().nullable(),
  d_identity_json: z.string().nullable(),
  f_written_at: z.string().nullable(),
  a_blocking_at: z.string().nullable(),
  a_blocking_reason: z.string().nullable(),
  a_blocking_device: z.string().nullable(),
});

interface Stored {
  /** device key → stored state */
  devices: Map<string, DeviceState>;
  /** device key → stored identity JSON text (devices.identity_json) */
  identities: Map<string, string | null>;
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
  if (readings.length === 0) return outcome;
  // One read for both: every device of these registers, with its identity and its fiscal state.
  const stored = await readStored(sql, [...new Set(readings.map((reading) => reading.agentId))]);
  const fiscal = readings.filter((reading) => reading.fiscal);
  if (fiscal.length > 0) await writeStates(sql, fiscal, stored, settings, outcome);
  const identities = readings.filter((reading) => reading.identity);
  if (identities.length > 0) await writeIdentities(sql, identities, stored.identities, outcome);
  return outcome;
}

/** A device's fiscal state while a call folds readings: stored, then as each reading leaves it. */
interface DeviceState {
  agentId: string;
  deviceId: string;
  writtenAt: string;
  state: FiscalFactsState;
  blockingAt: string | null;
  reason: BlockingReason | null;
}

async function writeStates(sql: SqlConnection, readings: readonly FiscalReading[], stored: Stored, settings: FiscalSettings, outcome: FiscalWriteOutcome): Promise<void> {
  const written = new Map<string, unknown[]>();
  const current = stored.devices;
  const refreshMs = settings.refreshMinutes * 60_000;
  for (const reading of readings) {
    const key = deviceKey(reading.agentId, reading.deviceId);
    const before = current.get(key);
    const state = mergeFiscalReading(before?.state, reading.fiscal!, reading.receivedAt);
    const forecast = forecastDevice(state, settings, new Date(reading.receivedAt));
    const forecastMoved = !before || before.blockingAt !== forecast.blockingAt || before.reason !== forecast.reason;
    const changed = forecastMoved || factsDiffer(before.state, state, { documentNumber: true });
    // Published only for what a person reads: not the document number, which moves with every sale.
    const visible = forecastMoved || (changed && factsDiffer(before.state, state, { documentNumber: false }));
    const due = changed || Date.parse(reading.receivedAt) - Date.parse(before.writtenAt) >= refreshMs;
    if (visible) outcome.changedRegisters.add(reading.agentId);
    if (!due) continue;
    written.set(key, rowValues({ agentId: reading.agentId, deviceId: reading.deviceId, writtenAt: reading.receivedAt }, state, forecast, replacementOf(forecast)));
    current.set(key, { agentId: reading.agentId, deviceId: reading.deviceId, writtenAt: reading.receivedAt, state, blockingAt: forecast.blockingAt, reason: forecast.reason });
  }
  if (written.size === 0) return;
  await runMultiRow(sql, UPSERT_HEAD, FISCAL_WRITE_COLUMNS.length, [...written.values()], UPSERT_TAIL);
  await writeRegisterForecasts(sql, current, stored.registerForecast, new Set([...written.values()].map((values) => values[0] as string)), outcome);
}

/** Registers whose fiscal rows were written: their earliest blocking date, written to agents when it moved. */
async function writeRegisterForecasts(
  sql: SqlConnection, devices: Map<string, DeviceState>, stored: Map<string, string>, agents: Set<string>, outcome: FiscalWriteOutcome,
): Promise<void> {
  const devicesOf = new Map<string, DeviceBlocking[]>();
  for (const device of devices.values()) {
    if (!agents.has(device.agentId)) continue;
    const list = devicesOf.get(device.agentId) ?? [];
    list.push({ deviceId: device.deviceId, blockingAt: device.blockingAt, reason: device.reason });
    devicesOf.set(device.agentId, list);
  }
  const updates: [string, string | null, BlockingReason | null, string | null][] = [];
  for (const [agentId, list] of devicesOf) {
    const earliest = earliestBlocking(list);
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

/** Every device of these registers (a fiscal state exists only for a device that reported, so it has a devices row). */
async function readStored(sql: SqlConnection, agentIds: string[]): Promise<Stored> {
  const columns = FISCAL_STATE_COLUMNS.filter((column) => column !== 'agent_id' && column !== 'device_id')
    .map((column) => `f.${column}${column === 'written_at' ? ' AS f_written_at' : ''}`).join(', ');
  const raw = await allInChunks<Record<string, unknown>>(sql, agentIds, (ids) => `SELECT a.id AS agent_id, a.fiscal_blocking_at AS a_blocking_at,
      a.fiscal_blocking_reason AS a_blocking_reason, a.fiscal_blocking_device AS a_blocking_device, d.device_id, d.identity_json AS d_identity_json, ${columns}
    FROM agents a LEFT JOIN devices d ON d.agent_id = a.id LEFT JOIN fiscal_states f ON f.agent_id = d.agent_id AND f.device_id = d.device_id
    WHERE a.id IN (${ids})`);
  const stored: Stored = { devices: new Map(), identities: new Map(), registerForecast: new Map() };
  for (const item of raw) {
    const agent = AgentForecastRow.parse(item);
    stored.registerForecast.set(agent.agent_id, forecastKey(agent.a_blocking_at, agent.a_blocking_reason, agent.a_blocking_device));
    if (agent.device_id === null) continue;
    stored.identities.set(deviceKey(agent.agent_id, agent.device_id), agent.d_identity_json);
    if (agent.f_written_at === null) continue;
    const row = FiscalStateRow.parse({ ...item, written_at: agent.f_written_at });
    stored.devices.set(deviceKey(row.agent_id, row.device_id), {
      agentId: row.agent_id, deviceId: row.device_id, writtenAt: row.written_at, state: stateFromRow(row), blockingAt: row.blocking_at, reason: row.blocking_reason,
    });
  }
  return stored;
}

async function writeIdentities(sql: SqlConnection, readings: readonly FiscalReading[], stored: Map<string, string | null>, outcome: FiscalWriteOutcome): Promise<void> {
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

/** A report of a fiscal register (by its kind, or by the facts it carries): its register's fiscal tickets' deadlines are re-evaluated after it. */
export function isFiscalReport(report: Pick<DeviceReport, 'kind' | 'fiscal'>): boolean {
  return report.fiscal !== undefined || report.kind === 'fiscal';
}

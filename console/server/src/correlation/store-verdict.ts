import type { DiagnosisCode, NoiseSettings } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES } from '../db/rows';

// The store correlation's decision, read only: did most of a store's registers go silent (or
// fail alike) within the window? Every read is bounded by ONE store: agents through the unique
// (store_id, register_id) index and the partial index agents_silent_by_store (migration 013),
// tickets through tickets_by_store (store_id, status, code). Nothing here walks the fleet.

export type CorrelationSettings = NoiseSettings['correlation'];

/** How many of `alive` registers make a store incident: the share, rounded up, and never fewer than minRegisters. */
export function registersNeeded(alive: number, settings: CorrelationSettings): number {
  // The epsilon keeps 0.6 × 50 = 30.000000000000004 at 30.
  return Math.max(settings.minRegisters, Math.ceil(settings.share * alive - 1e-9));
}

export interface StoreVerdict {
  storeId: string;
  /** The registers that went silent (or report the code) together, this one included. */
  agentIds: string[];
  /** The store's registers that could have: all, less those silent since before the window (or never connected). */
  alive: number;
  needed: number;
  incident: boolean;
  /** When the first of them went silent (silence only; otherwise the window's start). */
  since: string;
}

const shifted = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** The store's registers, less those silent since before `since` or never connected. */
async function aliveRegisters(sql: SqlConnection, storeId: string, since: string): Promise<number> {
  const counts = await sql.get<{ total: number; gone: number }>(
    `SELECT (SELECT COUNT(*) FROM agents WHERE store_id = ?1) AS total,
       (SELECT COUNT(*) FROM agents WHERE store_id = ?1 AND connected = 0 AND (disconnected_at IS NULL OR disconnected_at < ?2)) AS gone`,
    storeId, since,
  );
  return (counts?.total ?? 0) - (counts?.gone ?? 0);
}

function verdictOf(storeId: string, agentIds: string[], alive: number, since: string, settings: CorrelationSettings): StoreVerdict {
  const needed = registersNeeded(alive, settings);
  return { storeId, agentIds, alive, needed, incident: agentIds.length >= needed, since };
}

/**
 * Silence: the store's registers silent now whose silence began within `windowSec` of this
 * register's (before or after), out of the store's registers that were not silent already.
 * Undefined when the register is not silent (it reconnected meanwhile) or unknown.
 */
export async function silenceVerdict(sql: SqlConnection, agentId: string, settings: CorrelationSettings): Promise<StoreVerdict | undefined> {
  const register = await sql.get<{ store_id: string; disconnected_at: string | null; connected: number }>(
    'SELECT store_id, disconnected_at, connected FROM agents WHERE id = ?', agentId,
  );
  if (!register || register.connected || register.disconnected_at === null) return undefined;
  const from = shifted(register.disconnected_at, -settings.windowSec);
  const silent = await sql.all<{ id: string; disconnected_at: string }[]>(
    'SELECT id, disconnected_at FROM agents WHERE store_id = ? AND connected = 0 AND disconnected_at BETWEEN ? AND ? ORDER BY disconnected_at, id',
    register.store_id, from, shifted(register.disconnected_at, settings.windowSec),
  );
  const alive = await aliveRegisters(sql, register.store_id, from);
  return verdictOf(register.store_id, silent.map((row) => row.id), alive, silent[0]?.disconnected_at ?? register.disconnected_at, settings);
}

/**
 * Alike failures: the store's registers with an open ticket of `code` opened (or reopened) within
 * the last `windowSec`, plus this register (about to open one), out of the store's registers not silent
 * since before the window.
 */
export async function alikeVerdict(
  sql: SqlConnection, agentId: string, code: DiagnosisCode, nowIso: string, settings: CorrelationSettings,
): Promise<StoreVerdict | undefined> {
  const register = await sql.get<{ store_id: string }>('SELECT store_id FROM agents WHERE id = ?', agentId);
  if (!register) return undefined;
  const since = shifted(nowIso, -settings.windowSec);
  // Opened within the window, or reopened within it (the condition back soon after it resolved).
  const alike = await sql.all<{ agent_id: string }[]>(
    `SELECT DISTINCT agent_id FROM tickets t WHERE store_id = ?1 AND status IN ${OPEN_STATUSES} AND code = ?2
       AND (opened_at >= ?3 OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'reopened' AND e.at >= ?3))`,
    register.store_id, code, since,
  );
  const agentIds = [...new Set([agentId, ...alike.map((row) => row.agent_id)])];
  return verdictOf(register.store_id, agentIds, await aliveRegisters(sql, register.store_id, since), since, settings);
}

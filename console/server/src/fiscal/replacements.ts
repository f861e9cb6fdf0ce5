import { BlockingReason, DeviceIdentity, type FnReplacement, type ReplacementBucket, type ReplacementList, type StoreReplacements } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows } from '../db/rows';
import { DAY_MS } from './fiscal-settings';

// "ФН к замене / Fiscal drives to replace": every fiscal drive whose own end (its validity, or its
// archive full at the current rate: fiscal_states.fn_replace_by) falls within 90 days, or has
// passed, grouped per store so that visits can be batched. An OFD lock or an expired shift is not a
// reason to replace a drive; the row still shows the device's blocking date beside it.

export const REPLACEMENT_HORIZON_DAYS = 90;

const Row = z.object({
  agent_id: z.string(),
  store_id: z.string(),
  register_id: z.string(),
  device_id: z.string(),
  model: z.string().nullable(),
  identity_json: jsonColumn(DeviceIdentity).nullable(),
  fn_serial: z.string().nullable(),
  fn_replace_by: z.string(),
  fn_replace_reason: z.enum(['fn_validity', 'archive_full']),
  fn_valid_until: z.string().nullable(),
  blocking_at: z.string().nullable(),
  blocking_reason: BlockingReason.nullable(),
});

/**
 * The query without its parameters' values: `[horizon]` or `[horizon, storeId]`. The fleet's drives
 * due within the horizon are an index range of fiscal_states_by_replace; they are sorted in memory
 * (a few thousand at most at 25,000 registers: the drives that end within 90 days).
 */
export function replacementsSql(storeId: string | undefined): string {
  return `SELECT f.agent_id, a.store_id, a.register_id, f.device_id, d.model, d.identity_json, f.fn_serial, f.fn_replace_by,
      f.fn_replace_reason, f.fn_valid_until, f.blocking_at, f.blocking_reason
    FROM fiscal_states f JOIN agents a ON a.id = f.agent_id LEFT JOIN devices d ON d.agent_id = f.agent_id AND d.device_id = f.device_id
    WHERE f.fn_replace_by <= ?${storeId ? ' AND a.store_id = ?' : ''}
    ORDER BY a.store_id, f.fn_replace_by, a.register_id, f.device_id`;
}

export function bucketOf(replaceBy: string, nowMs: number): ReplacementBucket {
  const days = (Date.parse(replaceBy) - nowMs) / DAY_MS;
  return days <= 30 ? 'd30' : days <= 60 ? 'd60' : 'd90';
}

export async function replacementList(sql: SqlConnection, now: Date, storeId?: string): Promise<ReplacementList> {
  const nowMs = now.getTime();
  const horizon = new Date(nowMs + REPLACEMENT_HORIZON_DAYS * DAY_MS).toISOString();
  const rows = parseRows(Row, await sql.all(replacementsSql(storeId), horizon, ...(storeId ? [storeId] : [])));
  const stores: StoreReplacements[] = [];
  for (const row of rows) {
    let store = stores[stores.length - 1];
    if (store?.storeId !== row.store_id) {
      store = { storeId: row.store_id, counts: { d30: 0, d60: 0, d90: 0 }, drives: [] };
      stores.push(store);
    }
    const drive: FnReplacement = {
      agentId: row.agent_id,
      storeId: row.store_id,
      registerId: row.register_id,
      deviceId: row.device_id,
      model: row.identity_json?.model ?? row.model,
      registerSerial: row.identity_json?.serial ?? null,
      fnSerial: row.fn_serial ?? row.identity_json?.fnSerial ?? null,
      replaceBy: row.fn_replace_by,
      replaceReason: row.fn_replace_reason,
      bucket: bucketOf(row.fn_replace_by, nowMs),
      validUntil: row.fn_valid_until,
      blockingAt: row.blocking_at,
      blockingReason: row.blocking_reason,
    };
    store.counts[drive.bucket] += 1;
    store.drives.push(drive);
  }
  return { generatedAt: now.toISOString(), horizonDays: REPLACEMENT_HORIZON_DAYS, stores, total: rows.length };
}

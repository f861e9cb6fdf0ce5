import { BlockingReason, DeviceIdentity, ReplaceReason, type FnReplacement, type ReplacementBucket, type ReplacementList, type StoreReplacements } from '@tillscope/shared';
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
  fn_replace_reason: ReplaceReason,
  fn_valid_until: z.string().nullable(),
  blocking_at: z.string().nullable(),
  blocking_reason: BlockingReason.nullable(),
});

const DRIVE_COLUMNS = `f.agent_id, a.store_id, a.register_id, f.device_id, d.model, d.identity_json, f.fn_serial, f.fn_replace_by,
  f.fn_replace_reason, f.fn_valid_until, f.blocking_at, f.blocking_reason`;
const DRIVE_JOINS = 'JOIN fiscal_states f ON f.agent_id = a.id LEFT JOIN devices d ON d.agent_id = f.agent_id AND d.device_id = f.device_id';
const DRIVE_ORDER = 'ORDER BY a.store_id, f.fn_replace_by, a.register_id, f.device_id';

/**
 * Every drive due within the horizon (the first parameter), of the fleet or of one store (the
 * second): for the CSV file. An index range of fiscal_states_by_replace, sorted in memory (a few
 * thousand at 25,000 registers: the drives that end within 90 days).
 */
export function replacementsSql(storeId: string | undefined): string {
  return `SELECT ${DRIVE_COLUMNS} FROM agents a ${DRIVE_JOINS}
    WHERE f.fn_replace_by <= ?${storeId ? ' AND a.store_id = ?' : ''} ${DRIVE_ORDER}`;
}

/**
 * One page's stores: the next `limit` store ids after the cursor with a drive due within the horizon.
 * Parameters: horizon, [after], [storeId], limit. Only store ids cross into JavaScript; the drives of
 * those stores are read next, through the store index (replacementPageSql).
 */
export function replacementStoresSql({ after, storeId }: { after?: string; storeId?: string }): string {
  return `SELECT DISTINCT a.store_id AS store_id FROM fiscal_states f JOIN agents a ON a.id = f.agent_id
    WHERE f.fn_replace_by <= ?${after ? ' AND a.store_id > ?' : ''}${storeId ? ' AND a.store_id = ?' : ''}
    ORDER BY a.store_id LIMIT ?`;
}

/** The drives of `storeCount` stores (their ids, then the horizon), in the list's order. */
export function replacementPageSql(storeCount: number): string {
  return `SELECT ${DRIVE_COLUMNS} FROM agents a ${DRIVE_JOINS}
    WHERE a.store_id IN (${Array.from({ length: storeCount }, () => '?').join(', ')}) AND f.fn_replace_by <= ? ${DRIVE_ORDER}`;
}

export function bucketOf(replaceBy: string, nowMs: number): ReplacementBucket {
  const days = (Date.parse(replaceBy) - nowMs) / DAY_MS;
  return days <= 30 ? 'd30' : days <= 60 ? 'd60' : 'd90';
}

export interface ReplacementPage {
  storeId?: string;
  after?: string;
  limit: number;
}

/** One page of stores (ReplacementListQuery): a first page also counts every drive due. */
export async function replacementList(sql: SqlConnection, now: Date, { storeId, after, limit }: ReplacementPage): Promise<ReplacementList> {
  const horizon = horizonOf(now);
  const storeRows = await sql.all<{ store_id: string }[]>(
    replacementStoresSql({ after, storeId }), horizon, ...(after ? [after] : []), ...(storeId ? [storeId] : []), limit + 1,
  );
  const more = storeRows.length > limit;
  const stores = storeRows.slice(0, limit).map((row) => row.store_id);
  const rows = stores.length ? parseRows(Row, await sql.all(replacementPageSql(stores.length), ...stores, horizon)) : [];
  // A first page that is also the last has every drive already; otherwise the index range is counted.
  let total: number | null = null;
  if (!after) total = more ? ((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM fiscal_states WHERE fn_replace_by <= ?', horizon))?.n ?? 0) : rows.length;
  return { ...grouped(rows, now), total, nextCursor: more ? (stores[stores.length - 1] ?? null) : null };
}

/** Every store's drives at once (the CSV file). */
export async function allReplacements(sql: SqlConnection, now: Date, storeId?: string): Promise<ReplacementList> {
  const rows = parseRows(Row, await sql.all(replacementsSql(storeId), horizonOf(now), ...(storeId ? [storeId] : [])));
  return { ...grouped(rows, now), total: rows.length, nextCursor: null };
}

function horizonOf(now: Date): string {
  return new Date(now.getTime() + REPLACEMENT_HORIZON_DAYS * DAY_MS).toISOString();
}

function grouped(rows: z.infer<typeof Row>[], now: Date): Pick<ReplacementList, 'generatedAt' | 'horizonDays' | 'stores'> {
  const nowMs = now.getTime();
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
  return { generatedAt: now.toISOString(), horizonDays: REPLACEMENT_HORIZON_DAYS, stores };
}

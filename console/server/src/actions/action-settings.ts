import { ActionSettings, CommandVerb, StoreActionBlocks, type StoreActionBlockList } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';

/** The console_settings key of the remote-action settings. */
export const ACTION_SETTINGS_KEY = 'actions';

/** How long a queued action waits for its register (admin setting, one document in console_settings). */
export async function readActionSettings(sql: SqlConnection): Promise<ActionSettings> {
  const row = await sql.get<{ value_json: string }>('SELECT value_json FROM console_settings WHERE key = ?', ACTION_SETTINGS_KEY);
  // A document that no longer parses (hand-edited) falls back to the defaults; the admin sees them and saves again.
  const stored = row ? ActionSettings.safeParse(JSON.parse(row.value_json)) : undefined;
  return stored?.success ? stored.data : ActionSettings.parse({});
}

/** Inside the caller's write transaction. */
export async function saveActionSettings(sql: SqlConnection, settings: ActionSettings, actor: string, nowIso: string): Promise<void> {
  await sql.run(
    `INSERT INTO console_settings (key, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ACTION_SETTINGS_KEY, JSON.stringify(settings), actor, nowIso,
  );
}

/** True when an admin turned `verb` off in `storeId`. */
export async function isVerbBlocked(sql: SqlConnection, storeId: string, verb: CommandVerb): Promise<boolean> {
  return (await sql.get('SELECT 1 AS found FROM store_action_blocks WHERE store_id = ? AND verb = ?', storeId, verb)) !== undefined;
}

export async function blockedVerbs(sql: SqlConnection, storeId: string): Promise<Set<CommandVerb>> {
  const rows = await sql.all<{ verb: string }[]>('SELECT verb FROM store_action_blocks WHERE store_id = ?', storeId);
  return new Set(rows.flatMap((row) => { const verb = CommandVerb.safeParse(row.verb); return verb.success ? [verb.data] : []; }));
}

/** Every store that has a register or a block, with the verbs off there (stores in id order, verbs in allow-list order). */
export async function storeBlockList(sql: SqlConnection): Promise<StoreActionBlockList> {
  const rows = await sql.all<{ store_id: string; verb: string | null; updated_by: string | null; updated_at: string | null }[]>(
    `SELECT s.store_id, b.verb, b.updated_by, b.updated_at
     FROM (SELECT DISTINCT store_id FROM agents UNION SELECT store_id FROM store_action_blocks) s
     LEFT JOIN store_action_blocks b ON b.store_id = s.store_id
     ORDER BY s.store_id`,
  );
  const stores = new Map<string, StoreActionBlocks>();
  for (const row of rows) {
    const entry = stores.get(row.store_id) ?? { storeId: row.store_id, disabled: [], updatedBy: null, updatedAt: null };
    const verb = CommandVerb.safeParse(row.verb);
    if (verb.success) entry.disabled.push(verb.data);
    if (row.updated_at && (!entry.updatedAt || row.updated_at > entry.updatedAt)) {
      entry.updatedAt = row.updated_at;
      entry.updatedBy = row.updated_by;
    }
    stores.set(row.store_id, entry);
  }
  const order = (verb: CommandVerb) => CommandVerb.options.indexOf(verb);
  return { stores: [...stores.values()].map((store) => StoreActionBlocks.parse({ ...store, disabled: store.disabled.sort((a, b) => order(a) - order(b)) })) };
}

/** Replaces the verbs off in one store (inside the caller's write transaction). */
export async function saveStoreBlocks(sql: SqlConnection, storeId: string, disabled: readonly CommandVerb[], actor: string, nowIso: string): Promise<void> {
  await sql.run('DELETE FROM store_action_blocks WHERE store_id = ?', storeId);
  for (const verb of new Set(disabled)) {
    await sql.run('INSERT INTO store_action_blocks (store_id, verb, updated_by, updated_at) VALUES (?, ?, ?, ?)', storeId, verb, actor, nowIso);
  }
}

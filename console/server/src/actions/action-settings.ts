import { ActionSettings, CommandVerb, StoreActionBlocks, type StoreActionBlockList } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { readConsoleSetting, writeConsoleSetting } from '../db/console-settings';

/** The console_settings key of the remote-action settings. */
export const ACTION_SETTINGS_KEY = 'actions';

/** How long a queued action waits for its register (admin setting, one document in console_settings). */
export async function readActionSettings(sql: SqlConnection): Promise<ActionSettings> {
  return (await readConsoleSetting(sql, ACTION_SETTINGS_KEY, ActionSettings))?.value ?? ActionSettings.parse({});
}

/** Inside the caller's write transaction. */
export async function saveActionSettings(sql: SqlConnection, settings: ActionSettings, actor: string, nowIso: string): Promise<void> {
  await writeConsoleSetting(sql, ACTION_SETTINGS_KEY, settings, actor, nowIso);
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

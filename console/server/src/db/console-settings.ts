import type { ZodType } from 'zod';
import type { SqlConnection } from './console-database';

/** Writes one admin-edited settings document to console_settings (inside the caller's write transaction). */
export async function writeConsoleSetting(sql: SqlConnection, key: string, value: unknown, actor: string, nowIso: string): Promise<void> {
  await sql.run(
    `INSERT INTO console_settings (key, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    key, JSON.stringify(value), actor, nowIso,
  );
}

/** One stored settings document, parsed. */
export interface StoredConsoleSetting<T> {
  value: T;
  updatedBy: string | null;
  updatedAt: string;
}

/**
 * Reads one settings document. `undefined` when none was saved, and also when the stored one no
 * longer parses (a hand-edited file, a schema that moved on): the caller's defaults apply, the admin
 * sees them and saves again.
 */
export async function readConsoleSetting<T>(sql: SqlConnection, key: string, schema: ZodType<T>): Promise<StoredConsoleSetting<T> | undefined> {
  const row = await sql.get<{ value_json: string; updated_by: string | null; updated_at: string }>(
    'SELECT value_json, updated_by, updated_at FROM console_settings WHERE key = ?', key,
  );
  if (!row) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.value_json);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data, updatedBy: row.updated_by, updatedAt: row.updated_at } : undefined;
}

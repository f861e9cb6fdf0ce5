import type { SqlConnection } from './console-database';

/** Writes one admin-edited settings document to console_settings (inside the caller's write transaction). */
export async function writeConsoleSetting(sql: SqlConnection, key: string, value: unknown, actor: string, nowIso: string): Promise<void> {
  await sql.run(
    `INSERT INTO console_settings (key, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    key, JSON.stringify(value), actor, nowIso,
  );
}

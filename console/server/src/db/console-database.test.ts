import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, openConsoleDatabase } from './console-database';
import { MIGRATIONS } from './migrations/index';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-db-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('console database', () => {
  it('lists every migration file, in date order', async () => {
    const files = (await readdir(path.join(import.meta.dirname, 'migrations')))
      .filter((file) => /^\d{4}-\d{2}-\d{2}-\d{3}-.+\.ts$/.test(file) && !file.endsWith('.test.ts'))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(MIGRATIONS.map((migration) => migration.id)).toEqual(files);
  });

  it('applies migrations on a fresh file, sets the pragmas, and re-opens without reapplying', async () => {
    const first = await openConsoleDatabase(dataDir);
    expect(await first.sql.all('SELECT id FROM schema_migrations ORDER BY id')).toEqual(MIGRATIONS.map(({ id }) => ({ id })));
    expect(await first.sql.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await first.sql.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await first.sql.get('PRAGMA busy_timeout')).toEqual({ timeout: 5000 });
    expect(await first.sql.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
    await first.close();

    const second = await openConsoleDatabase(dataDir);
    expect(await applyMigrations(second.sql, MIGRATIONS)).toEqual([]);
    expect(await second.sql.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'tickets'")).toHaveLength(1);
    await second.close();
  });

  it('runs queued write transactions one at a time and rolls back a failed one', async () => {
    const db = await openConsoleDatabase(dataDir);
    await db.sql.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
    await db.write((sql) => sql.run('INSERT INTO counter (n) VALUES (0)'));
    const increments = Array.from({ length: 20 }, () =>
      db.write(async (sql) => {
        const row = await sql.get<{ n: number }>('SELECT n FROM counter');
        await new Promise((resolve) => setImmediate(resolve)); // give another handler a chance to interleave
        await sql.run('UPDATE counter SET n = ?', row!.n + 1);
      }),
    );
    const failing = db.write(async (sql) => {
      await sql.run('UPDATE counter SET n = 1000');
      throw new Error('boom');
    });
    await Promise.all(increments);
    await expect(failing).rejects.toThrow('boom');
    expect(await db.sql.get('SELECT n FROM counter')).toEqual({ n: 20 });
    await db.close();
  });

  it('enforces one open ticket per register, device and code', async () => {
    const db = await openConsoleDatabase(dataDir);
    await db.sql.run("INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at) VALUES ('a', 's', 'r', 'h', 't')");
    const insert = (status: string) =>
      db.sql.run(
        `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by)
         VALUES ('a', 'p', 'printer.paper_end', ?, 'major', 2, 'printers', 't', 't', 't', 't')`,
        status,
      );
    await insert('resolved');
    await insert('open');
    await expect(insert('in_progress')).rejects.toThrow(/UNIQUE/);
    await db.close();
  });

  it('migration 010 seeds the built-in groups and 24 SLA targets, and fills a new ticket\'s store and category', async () => {
    const db = await openConsoleDatabase(dataDir);
    const { sql } = db;
    expect((await sql.all<{ id: string }[]>('SELECT id FROM support_groups ORDER BY id')).map((g) => g.id)).toContain('third_line');
    expect((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sla_targets'))?.n).toBe(24);
    await sql.run("INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at) VALUES ('a1', 'msk-001', 'pos-1', 'x', '2026-11-30T00:00:00.000Z')");
    await sql.run(`INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by)
      VALUES ('a1', 'printer-1', 'host.disk_nearly_full', 'open', 'minor', 3, 'pos_software', 't', 't', 't', 't')`);
    expect(await sql.get('SELECT store_id, category, scope FROM tickets')).toEqual({ store_id: 'msk-001', category: 'hardware', scope: 'register' });
    await db.close();
  });
});

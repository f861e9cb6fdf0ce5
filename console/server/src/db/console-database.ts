import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { open, type Database, type ISqlite } from 'sqlite';
import sqlite3 from 'sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index';

/**
 * The sqlite connection, with rows typed `unknown` unless a caller names a row type: a row read
 * back from the file is parsed (zod) before use, like any other input, instead of leaking `any`.
 */
export type SqlConnection = Omit<Database<sqlite3.Database, sqlite3.Statement>, 'get' | 'all'> & {
  get<T = unknown>(sql: ISqlite.SqlType, ...params: unknown[]): Promise<T | undefined>;
  all<T = unknown[]>(sql: ISqlite.SqlType, ...params: unknown[]): Promise<T>;
};

/**
 * The console's SQLite file. sqlite3 runs every statement on one connection, so two async
 * handlers that each ran BEGIN…COMMIT would interleave inside one transaction. Every write
 * therefore goes through `write()`, which queues whole transactions one after another.
 * Reads go straight to `sql` (they may see another handler's uncommitted work; none of our
 * reads make decisions that a rollback would invalidate).
 */
export interface ConsoleDatabase {
  readonly sql: SqlConnection;
  /** Runs `work` inside BEGIN IMMEDIATE … COMMIT, after every earlier write finished. Rolls back on throw. */
  write<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T>;
  /** Waits for queued writes, then closes the file. */
  close(): Promise<void>;
}

export const DATABASE_FILE_NAME = 'console.db';

export async function openConsoleDatabase(dataDir: string): Promise<ConsoleDatabase> {
  await mkdir(dataDir, { recursive: true });
  const sql = await open({ filename: path.join(dataDir, DATABASE_FILE_NAME), driver: sqlite3.Database });
  await sql.exec('PRAGMA journal_mode = WAL');
  await sql.exec('PRAGMA foreign_keys = ON');
  await sql.exec('PRAGMA busy_timeout = 5000');
  // FULL: a commit is on disk before the agent's ack goes out, so an acked report survives a power
  // loss too (WAL + NORMAL only survives a process crash). Agent messages are group-committed
  // (agents/ingest-batcher.ts), so the fsync is paid once per batch, not once per message.
  await sql.exec('PRAGMA synchronous = FULL');
  // 64 MiB of page cache instead of SQLite's 2 MiB: list queries over 200k tickets re-read the same
  // index pages (measured 20–40 % faster at 10,000-row reads); well inside the server's 1 GB budget.
  await sql.exec('PRAGMA cache_size = -65536');
  await applyMigrations(sql, MIGRATIONS);

  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  function write<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('database is closed'));
    const run = async (): Promise<T> => {
      await sql.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(sql);
        await sql.exec('COMMIT');
        return result;
      } catch (error) {
        await sql.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    const result = tail.then(run, run);
    // The queue continues whatever the outcome; the caller still sees the rejection.
    tail = result.catch(() => undefined);
    return result;
  }

  return {
    sql,
    write,
    async close() {
      closed = true;
      await tail;
      await sql.close();
    },
  };
}

/** Applies, in id order, each migration not yet in schema_migrations, each in its own transaction. */
export async function applyMigrations(sql: SqlConnection, migrations: readonly Migration[]): Promise<string[]> {
  await sql.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((await sql.all<{ id: string }[]>('SELECT id FROM schema_migrations')).map((row) => row.id));
  const newlyApplied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (applied.has(migration.id)) continue;
    await sql.exec('BEGIN IMMEDIATE');
    try {
      await sql.exec(migration.sql);
      // Wall-clock time on purpose: this records when the file changed, not domain time.
      await sql.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', migration.id, new Date().toISOString());
      await sql.exec('COMMIT');
    } catch (error) {
      await sql.exec('ROLLBACK').catch(() => undefined);
      throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
    }
    newlyApplied.push(migration.id);
  }
  return newlyApplied;
}

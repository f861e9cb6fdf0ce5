import { open } from 'sqlite';
import sqlite3 from 'sqlite3';

/**
 * The few SQLite calls the outbox makes. The real one is the `sqlite` promise wrapper over
 * `sqlite3`; tests wrap it to make chosen statements fail (disk full) without filling a disk.
 */
export interface OutboxDb {
  exec(sql: string): Promise<void>;
  run(sql: string, ...params: unknown[]): Promise<{ changes: number }>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  close(): Promise<void>;
}

export async function openSqliteDb(file: string): Promise<OutboxDb> {
  const db = await open({ filename: file, driver: sqlite3.Database });
  return {
    exec: (sql) => db.exec(sql),
    run: async (sql, ...params) => ({ changes: (await db.run(sql, ...params)).changes ?? 0 }),
    all: <T>(sql: string, ...params: unknown[]) => db.all<T[]>(sql, ...params),
    get: <T>(sql: string, ...params: unknown[]) => db.get<T>(sql, ...params),
    close: () => db.close(),
  };
}

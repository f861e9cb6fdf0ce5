import { TicketRef } from '@tillscope/shared';
import { open } from 'sqlite';
import sqlite3 from 'sqlite3';
import type { CashierReportState } from './outbox-contract';
import type { ReportState } from './memory-hold';

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

export interface CashierRow {
  id: string;
  created_at: string;
  state: CashierReportState['state'];
  ticket: string | null;
  working: number | null;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_type_seq ON outbox(type, seq);
CREATE TABLE IF NOT EXISTS cashier_reports (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL,
  ticket TEXT,
  working INTEGER
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export const UPSERT_REPORT = `INSERT INTO cashier_reports (id, created_at, state, ticket, working) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET state = excluded.state, ticket = excluded.ticket, working = excluded.working`;

export function reportParams(state: ReportState): unknown[] {
  return [state.id, state.createdAt, state.state, state.ticket ? JSON.stringify(state.ticket) : null, state.working == null ? null : Number(state.working)];
}

export function toState(row: CashierRow): ReportState {
  const ticket = row.ticket ? TicketRef.safeParse(JSON.parse(row.ticket)) : null;
  return {
    id: row.id,
    state: row.state,
    ticket: ticket?.success ? ticket.data : null,
    createdAt: row.created_at,
    working: row.working == null ? null : row.working === 1,
  };
}

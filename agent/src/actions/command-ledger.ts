// Which console commands this register has already taken, kept in the outbox's database file
// (agent.db, table command_runs) so that a command resent after a reconnection or an agent restart
// is never run twice. Each row also fixes, before the command runs, the message id its
// command_result will carry: a result written twice (a retry, or the "interrupted" answer after a
// crash that came just after the real one was queued) is the same message, which the outbox stores
// once (ON CONFLICT DO NOTHING) and the console applies once (it deduplicates message ids).
import { randomUUID } from 'node:crypto';
import { openSqliteDb, type OutboxDb } from '../outbox/outbox-db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS command_runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  command_id TEXT NOT NULL UNIQUE,
  verb TEXT NOT NULL,
  result_id TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
`;

/** How `take` found a command id. */
export type Taken =
  /** first time: run it; its result goes out as message `resultId` */
  | { kind: 'new'; resultId: string }
  /** running now in this process (a resend): its result will follow; `startedAt` once it started */
  | { kind: 'running'; startedAt: string | undefined }
  /** answered already (its result is queued or delivered), or taken by an earlier run of the agent */
  | { kind: 'done' }
  /** the database refused the write: running it could not be proved at most once */
  | { kind: 'not_saved'; message: string };

/** A command an earlier run of the agent took and never finished (it stopped or lost power meanwhile). */
export interface Interrupted {
  commandId: string;
  verb: string;
  resultId: string;
}

/**
 * Contract: `take` is the only door to running a command; it commits the id to disk (synchronous
 * FULL) before saying `new`, so after a power cut the id is known. `finish` after the result is in
 * the outbox. Rows are kept for the last `keep` commands (default 5,000: years of actions on one
 * register), finished ones pruned oldest first. Methods never reject except `take`'s `not_saved`
 * answer and `open` (an unusable database file).
 */
export interface CommandLedger {
  take(commandId: string, verb: string, now: Date): Promise<Taken>;
  started(commandId: string, at: Date): Promise<void>;
  finish(commandId: string, at: Date): Promise<void>;
  /** Rows of an earlier run of the agent never finished, oldest first. Call once, right after open. */
  interrupted(): Promise<Interrupted[]>;
  close(): Promise<void>;
}

export interface CommandLedgerOptions {
  /** `<dataDir>/agent.db`, the outbox's file */
  file: string;
  openDb?: (file: string) => Promise<OutboxDb>;
  keep?: number;
  newId?: () => string;
  /** Told about writes that failed after the command was taken (finish, started, prune). */
  onWriteError?: (what: string, error: unknown) => void;
}

export async function openCommandLedger(options: CommandLedgerOptions): Promise<CommandLedger> {
  const db = await (options.openDb ?? openSqliteDb)(options.file);
  // Its own connection to the outbox's file: WAL lets both write. Only `take` commits with FULL (a
  // taken id must survive a power cut); a lost `started` or `finish` costs nothing: the command is
  // then answered "interrupted" with the same result id, which the console already has or applies once.
  await db.exec('PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;');
  await db.exec(SCHEMA);
  const keep = options.keep ?? 5_000;
  const newId = options.newId ?? randomUUID;
  const onWriteError = options.onWriteError ?? (() => undefined);
  /** Taken by this process and not finished: commandId → started at (undefined until it starts). */
  const running = new Map<string, string | undefined>();

  async function quietly(what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      onWriteError(what, error);
    }
  }

  /** One take at a time: its FULL commit must not mix with another's statements. */
  let takes: Promise<unknown> = Promise.resolve();

  async function takeNow(commandId: string, verb: string, now: Date): Promise<Taken> {
    if (running.has(commandId)) return { kind: 'running', startedAt: running.get(commandId) };
    const resultId = newId();
    try {
      await db.exec('PRAGMA synchronous=FULL');
      const { changes } = await db.run(
        'INSERT INTO command_runs (command_id, verb, result_id, taken_at) VALUES (?, ?, ?, ?) ON CONFLICT(command_id) DO NOTHING',
        commandId, verb.slice(0, 64), resultId, now.toISOString(),
      );
      if (changes === 0) return { kind: 'done' };
    } catch (error) {
      return { kind: 'not_saved', message: error instanceof Error ? error.message : String(error) };
    } finally {
      await db.exec('PRAGMA synchronous=NORMAL').catch(() => undefined);
    }
    running.set(commandId, undefined);
    return { kind: 'new', resultId };
  }

  return {
    take(commandId, verb, now) {
      const taken = takes.then(() => takeNow(commandId, verb, now));
      takes = taken.catch(() => undefined);
      return taken;
    },

    async started(commandId, at) {
      if (running.has(commandId)) running.set(commandId, at.toISOString());
      await quietly(`the start of command ${commandId}`, () => db.run('UPDATE command_runs SET started_at = ? WHERE command_id = ?', at.toISOString(), commandId));
    },

    async finish(commandId, at) {
      running.delete(commandId);
      await quietly(`the end of command ${commandId}`, () => db.run('UPDATE command_runs SET finished_at = ? WHERE command_id = ?', at.toISOString(), commandId));
      await quietly('pruning old command ids', () =>
        db.run('DELETE FROM command_runs WHERE finished_at IS NOT NULL AND seq <= (SELECT MAX(seq) FROM command_runs) - ?', keep),
      );
    },

    async interrupted() {
      const rows = await db.all<{ command_id: string; verb: string; result_id: string }>(
        'SELECT command_id, verb, result_id FROM command_runs WHERE finished_at IS NULL ORDER BY seq',
      );
      return rows.filter((row) => !running.has(row.command_id)).map((row) => ({ commandId: row.command_id, verb: row.verb, resultId: row.result_id }));
    },

    close: () => db.close(),
  };
}

import { errorText, type ModuleLogger } from '../logger';
import { isDiskFull, type DiskReserve } from './disk-reserve';
import type { MemoryHold, QueuedMessage, ReportState } from './memory-hold';
import type { OutboxStats, Stored } from './outbox-contract';
import { reportParams, UPSERT_REPORT, type OutboxDb } from './outbox-db';
import type { QueuedReport } from './urgency';

/** What the outbox table holds, as counted at open and kept up to date by every write and delete. */
interface OutboxTotals {
  rows: number;
  bytes: number;
  healthRows: number;
  /** health rows dropped to keep the bounds, since the database was created (the meta table) */
  dropped: number;
}

export interface OutboxStorageOptions {
  /** the database file, named in log lines */
  file: string;
  log: ModuleLogger;
  reserve: DiskReserve;
  maxHealthRows: number;
  maxBytes: number;
}

/**
 * The outbox table and the way to it when the disk is short of space: writes that may hit a full
 * disk, the disk reserve, the memory hold and what the periodic retry does with it.
 *
 * Contract (the storage half of `Outbox`'s, see outbox-contract.ts):
 * - `storeHealth` never uses the reserve: after a disk-full, until `restoreReserve` succeeds, the
 *   latest snapshot waits in the hold. `storePromise` (reports, answers) and `critically` release
 *   the reserve on a full disk and try once more. Both resolve with where the message is and
 *   never reject for storage trouble.
 * - The counters (`stats`) follow the outbox table exactly: every insert and delete goes through here.
 * - Health rows beyond the bounds are dropped oldest first and counted; nothing else is dropped.
 * - Not serialised: the caller (the Outbox facade) runs one call at a time.
 */
export class OutboxStorage {
  /** A write failed for lack of space: health stays in memory until the reserve is back. */
  private diskFull = false;
  /** The disk-full error is logged; cleared, with a line saying so, once a health write lands again. */
  private fullLogged = false;
  private healthFailureLogged = false;

  private constructor(
    private readonly db: OutboxDb,
    private readonly hold: MemoryHold,
    private readonly options: OutboxStorageOptions,
    private readonly totals: OutboxTotals,
  ) {}

  /** Counts what the table holds and puts the reserve in place; without it health starts in memory. */
  static async open(db: OutboxDb, hold: MemoryHold, options: OutboxStorageOptions): Promise<OutboxStorage> {
    const counted = (await db.get<{ rows: number; bytes: number | null; health: number }>(
      `SELECT COUNT(*) AS rows, SUM(bytes) AS bytes, SUM(type = 'health') AS health FROM outbox`,
    )) ?? { rows: 0, bytes: 0, health: 0 };
    const dropped = (await db.get<{ value: number }>(`SELECT value FROM meta WHERE key = 'dropped'`))?.value ?? 0;
    const storage = new OutboxStorage(db, hold, options, { rows: counted.rows, bytes: counted.bytes ?? 0, healthRows: counted.health ?? 0, dropped });
    // A reserve that cannot be put in place means little room: health starts in memory, as after a disk-full.
    if (!(await options.reserve.restore())) {
      storage.diskFull = true;
      options.log.warn(`starting without the disk reserve in place: health snapshots are kept in memory until there is room`);
    }
    return storage;
  }

  /** Something is held in memory, or the reserve is not back: the retry has work to do. */
  needsRetry(): boolean {
    return !this.hold.empty() || this.diskFull;
  }

  stats(): OutboxStats {
    const { rows, bytes, dropped } = this.totals;
    return { rows, bytes, dropped: dropped + this.hold.dropped, inMemory: this.hold.count(), diskFull: this.diskFull };
  }

  /** Runs `body` in BEGIN IMMEDIATE..COMMIT; rolls back and rethrows when it fails. */
  async transaction(body: () => Promise<void>): Promise<void> {
    await this.db.exec('BEGIN IMMEDIATE');
    try {
      await body();
      await this.db.exec('COMMIT');
    } catch (error) {
      await this.db.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * A write that keeps a promise (a cashier report or answer, ack or ticket bookkeeping): on a full
   * disk the reserve is released and the write tried once more in the space it gave back.
   */
  async critically(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      this.enterDiskFull(error);
      if ((await this.options.reserve.release()) === 0) throw error;
      this.options.log.warn(`writing ${what} again in the space the disk reserve gave back`);
      await write();
    }
  }

  async storeHealth(message: QueuedMessage): Promise<Stored> {
    if (this.diskFull) {
      this.hold.hold(message);
      return 'in_memory';
    }
    try {
      await this.insertRows(message);
      this.healthFailureLogged = false;
    } catch (error) {
      if (isDiskFull(error)) this.enterDiskFull(error);
      else if (!this.healthFailureLogged) {
        this.options.log.error(`cannot write a health snapshot to ${this.options.file} (${errorText(error)}); keeping the latest in memory`);
      }
      this.healthFailureLogged = true;
      this.hold.hold(message);
      return 'in_memory';
    }
    try {
      await this.enforceBounds();
    } catch (error) {
      this.options.log.warn(`could not trim the outbox: ${errorText(error)}`);
    }
    return 'on_disk';
  }

  /** A cashier report or answer: written with the reserve's help, else held (its report state with it). */
  async storePromise(message: QueuedMessage): Promise<Stored> {
    try {
      await this.critically(`${message.type} ${message.id}`, () => this.insertRows(message));
      return 'on_disk';
    } catch (error) {
      this.hold.hold(message);
      if (message.type === 'cashier_report' && !this.hold.reports.has(message.id)) {
        this.hold.reports.set(message.id, { id: message.id, state: 'queued', ticket: null, createdAt: message.createdAt, working: null });
      }
      this.options.log.error(
        `could not write ${message.type} ${message.id} to ${this.options.file} (${errorText(error)}): it is held in memory only, ` +
          `sent if connected and written as soon as the disk takes it; it is lost if the agent stops before that`,
      );
      return 'in_memory';
    }
  }

  /** The stored row of `id`, if any (what an ack must delete). */
  storedRow(id: string): Promise<{ type: string; bytes: number } | undefined> {
    return this.db.get<{ type: string; bytes: number }>(`SELECT type, bytes FROM outbox WHERE id = ?`, id);
  }

  /** Stored messages by type, and when the oldest was queued (for the diagnostics bundle). */
  async breakdown(): Promise<{ oldestAt: string | null; byType: Record<string, number> }> {
    const rows = await this.db.all<{ type: string; n: number; oldest: string }>(`SELECT type, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox GROUP BY type`);
    const oldest = rows.map((row) => row.oldest).sort()[0];
    return { oldestAt: oldest ?? null, byType: Object.fromEntries(rows.map((row) => [row.type, row.n])) };
  }

  /**
   * Up to `limit` stored messages other than cashier reports, oldest first, those in `skip` left
   * out (in SQL: it runs on every ack). Cashier reports are listed apart (`storedReports`): they go first.
   */
  stored(limit: number, skip: ReadonlySet<string>): Promise<QueuedMessage[]> {
    return this.db.all<QueuedMessage>(
      `SELECT id, type, body, created_at AS createdAt FROM outbox
       WHERE type != 'cashier_report' AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
      JSON.stringify([...skip]),
      limit,
    );
  }

  /** Every stored cashier report not in `skip`, oldest first, with its symptom (few: the page takes 10 a minute at most). */
  storedReports(skip: ReadonlySet<string>): Promise<QueuedReport[]> {
    return this.db.all<QueuedReport>(
      `SELECT id, type, body, created_at AS createdAt, json_extract(body, '$.payload.symptom') AS symptom FROM outbox
       WHERE type = 'cashier_report' AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY seq`,
      JSON.stringify([...skip]),
    );
  }

  /**
   * Deletes the acked row and writes the report's new state (`state`, if any) in one transaction.
   * Resolves false when the disk refused: the ack is then held and retried, never rejected.
   */
  async deleteAcked(id: string, row: { type: string; bytes: number }, state: ReportState | undefined): Promise<boolean> {
    try {
      await this.critically(`the ack of ${id}`, () => this.transaction(async () => {
        await this.db.run(`DELETE FROM outbox WHERE id = ?`, id);
        if (state) await this.db.run(UPSERT_REPORT, ...reportParams(state));
      }));
    } catch (error) {
      this.hold.acks.add(id);
      this.options.log.warn(`could not record the ack of ${id} (${errorText(error)}); held in memory and retried`);
      return false;
    }
    this.forgetRow(row);
    this.hold.reports.delete(id);
    return true;
  }

  /** Writes held cashier reports and answers oldest first, stopping at the first the disk refuses. */
  async writeHeldMessages(): Promise<void> {
    const { hold } = this;
    while (hold.messages.length > 0) {
      try {
        await this.critically(`${hold.messages[0]!.type} ${hold.messages[0]!.id}`, () => this.insertRows(hold.messages[0]!));
      } catch {
        break;
      }
      const written = hold.messages.shift()!;
      this.options.log.info(`${written.type} ${written.id}, held in memory, is now written to disk`);
    }
    await this.forgetAcked().catch((error: unknown) => this.options.log.warn(`could not record acks: ${errorText(error)}`));
  }

  /** Re-creates the reserve if it can; once it is back, health is written again, the held snapshot first. */
  async restoreReserve(): Promise<void> {
    if (!(await this.options.reserve.restore())) return;
    this.diskFull = false;
    const health = this.hold.health;
    this.hold.health = null;
    if (health) await this.storeHealth(health);
    if (!this.diskFull && this.fullLogged) {
      this.fullLogged = false;
      this.options.log.info('the disk has room again and the disk reserve is in place: health snapshots are written again');
    }
  }

  private enterDiskFull(error: unknown): void {
    this.diskFull = true;
    if (this.fullLogged) return;
    this.fullLogged = true;
    this.options.log.error(
      `the disk holding ${this.options.file} is full (${errorText(error)}); health snapshots are kept in memory ` +
        `(the latest only) until the disk reserve can be re-created; cashier reports, answers and acks may use the reserve`,
    );
  }

  private async insertRows(message: QueuedMessage): Promise<void> {
    const size = Buffer.byteLength(message.body);
    // A cashier's report or answer is a promise to the cashier: full sync.
    const fullSync = message.type !== 'health';
    if (fullSync) await this.db.exec('PRAGMA synchronous=FULL');
    let inserted = 0;
    const state = this.hold.reports.get(message.id) ?? { id: message.id, state: 'queued', ticket: null, createdAt: message.createdAt, working: null };
    try {
      await this.transaction(async () => {
        // A repeated id (a retry after a failure that did in fact commit) is already stored.
        ({ changes: inserted } = await this.db.run(
          `INSERT INTO outbox (id, type, body, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
          message.id,
          message.type,
          message.body,
          size,
          message.createdAt,
        ));
        if (message.type === 'cashier_report') await this.db.run(UPSERT_REPORT, ...reportParams(state));
      });
    } finally {
      if (fullSync) await this.db.exec('PRAGMA synchronous=NORMAL').catch(() => undefined);
    }
    if (inserted > 0) {
      this.totals.rows += 1;
      this.totals.bytes += size;
      if (message.type === 'health') this.totals.healthRows += 1;
    }
    this.hold.reports.delete(message.id);
  }

  private forgetRow(row: { type: string; bytes: number }): void {
    this.totals.rows -= 1;
    this.totals.bytes -= row.bytes;
    if (row.type === 'health') this.totals.healthRows -= 1;
  }

  /** Drops the oldest health rows until both bounds hold again. */
  private async enforceBounds(): Promise<void> {
    const { totals } = this;
    const { maxHealthRows, maxBytes } = this.options;
    if (totals.healthRows <= maxHealthRows && totals.bytes <= maxBytes) return;
    const oldest = await this.db.all<{ seq: number; bytes: number }>(
      `SELECT seq, bytes FROM outbox WHERE type = 'health' ORDER BY seq LIMIT ?`,
      Math.max(totals.healthRows - maxHealthRows, 0) + 500,
    );
    let count = 0;
    let freed = 0;
    let lastSeq = -1;
    for (const row of oldest) {
      if (totals.healthRows - count <= maxHealthRows && totals.bytes - freed <= maxBytes) break;
      count += 1;
      freed += row.bytes;
      lastSeq = row.seq;
    }
    if (count === 0) return;
    await this.transaction(async () => {
      await this.db.run(`DELETE FROM outbox WHERE type = 'health' AND seq <= ?`, lastSeq);
      await this.db.run(
        `INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value`,
        count,
      );
    });
    totals.rows -= count;
    totals.bytes -= freed;
    totals.healthRows -= count;
    totals.dropped += count;
    this.options.log.warn(`outbox over its bounds: dropped the ${count} oldest health snapshot(s) (${totals.dropped} dropped in total)`);
  }

  /** Deletes rows acked while the disk refused the deletion. */
  private async forgetAcked(): Promise<void> {
    if (this.hold.acks.size === 0) return;
    const ids = JSON.stringify([...this.hold.acks]);
    const gone = await this.db.all<{ id: string; type: string; bytes: number }>(
      `SELECT id, type, bytes FROM outbox WHERE id IN (SELECT value FROM json_each(?))`,
      ids,
    );
    await this.critically('acks', () => this.transaction(async () => {
      await this.db.run(`DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))`, ids);
    }));
    for (const row of gone) this.forgetRow(row);
    this.hold.acks.clear();
  }
}

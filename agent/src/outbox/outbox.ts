import { CashierFeedback, CashierReport, Health } from '@tillscope/shared';
import { errorText, moduleLogger, silentLogger } from '../logger';
import { isDiskFull, noDiskReserve } from './disk-reserve';
import { acked, createMemoryHold, mergeOldestFirst, ticketUpdated, type QueuedMessage, type ReportState } from './memory-hold';
import type { Outbox, OutboxOptions, Stored } from './outbox-contract';
import { openSqliteDb, reportParams, SCHEMA, toState, UPSERT_REPORT, type CashierRow } from './outbox-db';

export type {
  AckPayload,
  CashierReportState,
  Outbox,
  OutboxMessage,
  OutboxOptions,
  OutboxStats,
  PendingMessage,
  Stored,
} from './outbox-contract';

export async function openOutbox(options: OutboxOptions): Promise<Outbox> {
  const log = moduleLogger(options.logger ?? silentLogger, 'outbox');
  const now = options.now ?? (() => new Date());
  const maxHealthRows = options.maxHealthRows ?? 2_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const reserve = options.reserve ?? noDiskReserve;
  const db = await (options.openDb ?? openSqliteDb)(options.file);

  // WAL + NORMAL: a commit survives an agent crash; only an OS crash or power cut can lose the last
  // few health commits, which the next snapshot replaces anyway. Cashier reports are written with
  // synchronous=FULL (see insertRows): registers are switched off at the wall, and a cashier who
  // was told "saved" must not lose the report. They are rare, so the extra fsync costs nothing.
  await db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;');
  await db.exec(SCHEMA);
  const keepDays = options.keepReportsDays ?? 30;
  await db
    .run(`DELETE FROM cashier_reports WHERE state != 'queued' AND created_at < ?`, new Date(now().getTime() - keepDays * 86_400_000).toISOString())
    .catch((error: unknown) => log.warn(`could not forget old cashier reports: ${errorText(error)}`));

  const totals = (await db.get<{ rows: number; bytes: number | null; health: number }>(
    `SELECT COUNT(*) AS rows, SUM(bytes) AS bytes, SUM(type = 'health') AS health FROM outbox`,
  )) ?? { rows: 0, bytes: 0, health: 0 };
  let rows = totals.rows;
  let bytes = totals.bytes ?? 0;
  let healthRows = totals.health ?? 0;
  let dropped = (await db.get<{ value: number }>(`SELECT value FROM meta WHERE key = 'dropped'`))?.value ?? 0;

  const hold = createMemoryHold();
  /** A write failed for lack of space: health stays in memory until the reserve is back. */
  let diskFull = false;
  /** The disk-full error is logged; cleared, with a line saying so, once a health write lands again. */
  let fullLogged = false;
  let healthFailureLogged = false;
  let closed = false;
  // A reserve that cannot be put in place means little room: health starts in memory, as after a disk-full.
  if (!(await reserve.restore())) {
    diskFull = true;
    log.warn(`starting without the disk reserve in place: health snapshots are kept in memory until there is room`);
  }

  // One connection, one queue: keeps BEGIN..COMMIT blocks from interleaving and keeps order.
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const result = chain.then(() => {
      if (closed) throw new Error('outbox is closed');
      return task();
    });
    chain = result.catch(() => undefined);
    return result;
  }

  async function transaction(body: () => Promise<void>): Promise<void> {
    await db.exec('BEGIN IMMEDIATE');
    try {
      await body();
      await db.exec('COMMIT');
    } catch (error) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  function enterDiskFull(error: unknown): void {
    diskFull = true;
    if (fullLogged) return;
    fullLogged = true;
    log.error(
      `the disk holding ${options.file} is full (${errorText(error)}); health snapshots are kept in memory ` +
        `(the latest only) until the disk reserve can be re-created; cashier reports, answers and acks may use the reserve`,
    );
  }

  /**
   * A write that keeps a promise (a cashier report or answer, ack or ticket bookkeeping): on a full
   * disk the reserve is released and the write tried once more in the space it gave back.
   */
  async function critically(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      enterDiskFull(error);
      if ((await reserve.release()) === 0) throw error;
      log.warn(`writing ${what} again in the space the disk reserve gave back`);
      await write();
    }
  }

  async function insertRows(message: QueuedMessage): Promise<void> {
    const size = Buffer.byteLength(message.body);
    // A cashier's report or answer is a promise to the cashier: full sync.
    const fullSync = message.type !== 'health';
    if (fullSync) await db.exec('PRAGMA synchronous=FULL');
    let inserted = 0;
    const state = hold.reports.get(message.id) ?? { id: message.id, state: 'queued', ticket: null, createdAt: message.createdAt, working: null };
    try {
      await transaction(async () => {
        // A repeated id (a retry after a failure that did in fact commit) is already stored.
        ({ changes: inserted } = await db.run(
          `INSERT INTO outbox (id, type, body, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
          message.id,
          message.type,
          message.body,
          size,
          message.createdAt,
        ));
        if (message.type === 'cashier_report') await db.run(UPSERT_REPORT, ...reportParams(state));
      });
    } finally {
      if (fullSync) await db.exec('PRAGMA synchronous=NORMAL').catch(() => undefined);
    }
    if (inserted > 0) {
      rows += 1;
      bytes += size;
      if (message.type === 'health') healthRows += 1;
    }
    hold.reports.delete(message.id);
  }

  /** Drops the oldest health rows until both bounds hold again. */
  async function enforceBounds(): Promise<void> {
    if (healthRows <= maxHealthRows && bytes <= maxBytes) return;
    const oldest = await db.all<{ seq: number; bytes: number }>(
      `SELECT seq, bytes FROM outbox WHERE type = 'health' ORDER BY seq LIMIT ?`,
      Math.max(healthRows - maxHealthRows, 0) + 500,
    );
    let count = 0;
    let freed = 0;
    let lastSeq = -1;
    for (const row of oldest) {
      if (healthRows - count <= maxHealthRows && bytes - freed <= maxBytes) break;
      count += 1;
      freed += row.bytes;
      lastSeq = row.seq;
    }
    if (count === 0) return;
    await transaction(async () => {
      await db.run(`DELETE FROM outbox WHERE type = 'health' AND seq <= ?`, lastSeq);
      await db.run(
        `INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value`,
        count,
      );
    });
    rows -= count;
    bytes -= freed;
    healthRows -= count;
    dropped += count;
    log.warn(`outbox over its bounds: dropped the ${count} oldest health snapshot(s) (${dropped} dropped in total)`);
  }

  async function storeHealth(message: QueuedMessage): Promise<Stored> {
    if (diskFull) {
      hold.hold(message);
      return 'in_memory';
    }
    try {
      await insertRows(message);
      healthFailureLogged = false;
    } catch (error) {
      if (isDiskFull(error)) enterDiskFull(error);
      else if (!healthFailureLogged) log.error(`cannot write a health snapshot to ${options.file} (${errorText(error)}); keeping the latest in memory`);
      healthFailureLogged = true;
      hold.hold(message);
      return 'in_memory';
    }
    try {
      await enforceBounds();
    } catch (error) {
      log.warn(`could not trim the outbox: ${errorText(error)}`);
    }
    return 'on_disk';
  }

  async function storePromise(message: QueuedMessage): Promise<Stored> {
    try {
      await critically(`${message.type} ${message.id}`, () => insertRows(message));
      return 'on_disk';
    } catch (error) {
      hold.hold(message);
      if (message.type === 'cashier_report' && !hold.reports.has(message.id)) {
        hold.reports.set(message.id, { id: message.id, state: 'queued', ticket: null, createdAt: message.createdAt, working: null });
      }
      log.error(
        `could not write ${message.type} ${message.id} to ${options.file} (${errorText(error)}): it is held in memory only, ` +
          `sent if connected and written as soon as the disk takes it; it is lost if the agent stops before that`,
      );
      return 'in_memory';
    }
  }

  async function loadReport(id: string): Promise<ReportState | null> {
    const held = hold.reports.get(id);
    if (held) return held;
    const row = await db.get<CashierRow>(`SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE id = ?`, id);
    return row ? toState(row) : null;
  }

  /**
   * Writes report states held in memory; a report whose message itself is held goes with it. What
   * cannot be written stays held (cashierReport shows it) and is retried.
   */
  async function persistStates(ids: string[], what: string): Promise<void> {
    const states = ids.filter((id) => !hold.holds(id)).flatMap((id) => hold.reports.get(id) ?? []);
    if (states.length === 0) return;
    try {
      await critically(what, () => transaction(async () => {
        for (const state of states) await db.run(UPSERT_REPORT, ...reportParams(state));
      }));
      for (const state of states) hold.reports.delete(state.id);
    } catch (error) {
      log.warn(`could not write ${what} (${errorText(error)}); held in memory and retried`);
    }
  }

  /** Deletes rows acked while the disk refused the deletion. */
  async function forgetAcked(): Promise<void> {
    if (hold.acks.size === 0) return;
    const ids = JSON.stringify([...hold.acks]);
    const gone = await db.all<{ id: string; type: string; bytes: number }>(`SELECT id, type, bytes FROM outbox WHERE id IN (SELECT value FROM json_each(?))`, ids);
    await critically('acks', () => transaction(async () => {
      await db.run(`DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))`, ids);
    }));
    for (const row of gone) {
      rows -= 1;
      bytes -= row.bytes;
      if (row.type === 'health') healthRows -= 1;
    }
    hold.acks.clear();
  }

  async function retryHeld(): Promise<void> {
    while (hold.messages.length > 0) {
      try {
        await critically(`${hold.messages[0]!.type} ${hold.messages[0]!.id}`, () => insertRows(hold.messages[0]!));
      } catch {
        break;
      }
      const written = hold.messages.shift()!;
      log.info(`${written.type} ${written.id}, held in memory, is now written to disk`);
    }
    await forgetAcked().catch((error: unknown) => log.warn(`could not record acks: ${errorText(error)}`));
    await persistStates([...hold.reports.keys()], 'cashier report states');
    if (!(await reserve.restore())) return;
    diskFull = false;
    const health = hold.health;
    hold.health = null;
    if (health) await storeHealth(health);
    if (!diskFull && fullLogged) {
      fullLogged = false;
      log.info('the disk has room again and the disk reserve is in place: health snapshots are written again');
    }
  }

  const needsRetry = () => !hold.empty() || diskFull;
  const timer = setInterval(() => {
    if (needsRetry()) serial(retryHeld).catch((error: unknown) => log.warn(`retrying held writes: ${errorText(error)}`));
  }, options.retryEveryMs ?? 5_000);
  timer.unref();

  return {
    async enqueue(message) {
      const valid =
        message.type === 'health' ? Health.parse(message) : message.type === 'cashier_report' ? CashierReport.parse(message) : CashierFeedback.parse(message);
      const queued: QueuedMessage = { id: valid.id, type: valid.type, body: JSON.stringify(valid), createdAt: now().toISOString() };
      return serial(async () => {
        if (needsRetry()) await retryHeld();
        return queued.type === 'health' ? storeHealth(queued) : storePromise(queued);
      });
    },

    pending(limit, exclude = new Set()) {
      return serial(async () => {
        const skip = new Set([...exclude, ...hold.acks]);
        // The exclusion happens in SQL: the link asks on every ack with up to maxInFlight ids in flight.
        const stored = await db.all<QueuedMessage>(
          `SELECT id, type, body, created_at AS createdAt FROM outbox WHERE id NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
          JSON.stringify([...skip]),
          limit,
        );
        return mergeOldestFirst(stored, hold.sendable(skip), limit);
      });
    },

    ack(ack) {
      return serial(async () => {
        hold.take(ack.ackOf); // held in memory only: never sent again
        const row = await db.get<{ type: string; bytes: number }>(`SELECT type, bytes FROM outbox WHERE id = ?`, ack.ackOf);
        const report = await loadReport(ack.ackOf);
        if (report) hold.reports.set(ack.ackOf, acked(report, ack));
        if (row) {
          try {
            await critically(`the ack of ${ack.ackOf}`, () => transaction(async () => {
              await db.run(`DELETE FROM outbox WHERE id = ?`, ack.ackOf);
              const state = hold.reports.get(ack.ackOf);
              if (state) await db.run(UPSERT_REPORT, ...reportParams(state));
            }));
          } catch (error) {
            hold.acks.add(ack.ackOf);
            log.warn(`could not record the ack of ${ack.ackOf} (${errorText(error)}); held in memory and retried`);
            return;
          }
          rows -= 1;
          bytes -= row.bytes;
          if (row.type === 'health') healthRows -= 1;
          hold.reports.delete(ack.ackOf);
        }
        await persistStates([ack.ackOf], `the ack of ${ack.ackOf}`);
      });
    },

    updateTicket(reportId, ticket) {
      return serial(async () => {
        // Without a reportId the server means every report that opened (or merged into) this ticket.
        const matches = reportId
          ? [await loadReport(reportId)].flatMap((s) => s ?? [])
          : [
              ...[...hold.reports.values()].filter((s) => s.ticket?.ticketId === ticket.ticketId),
              ...(await db.all<CashierRow>(
                `SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE json_extract(ticket, '$.ticketId') = ?`,
                ticket.ticketId,
              )).filter((row) => !hold.reports.has(row.id)).map(toState),
            ];
        for (const state of matches) hold.reports.set(state.id, ticketUpdated(state, ticket));
        await persistStates(matches.map((s) => s.id), `ticket ${ticket.ticketId}`);
        return matches.length > 0;
      });
    },

    cashierReport(id) {
      return serial(async () => {
        const row = await db.get<CashierRow>(`SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE id = ?`, id);
        const state = hold.reports.get(id) ?? (row ? toState(row) : null);
        if (!state) return null;
        return { ...state, saved: row !== undefined };
      });
    },

    recordAnswer(id, working) {
      return serial(async () => {
        const report = await loadReport(id);
        if (!report) return false;
        hold.reports.set(id, { ...report, working });
        await persistStates([id], `the answer for ${id}`);
        return true;
      });
    },

    retryStorage() {
      return serial(retryHeld);
    },

    stats() {
      return serial(async () => ({ rows, bytes, dropped: dropped + hold.dropped, inMemory: hold.count(), diskFull }));
    },

    async close() {
      clearInterval(timer);
      await serial(async () => {
        if (needsRetry()) await retryHeld().catch(() => undefined);
        if (hold.messages.length > 0) {
          log.error(`closing with ${hold.messages.length} cashier report(s) or answer(s) that could not be written to disk; they are lost (the cashier was told they were not saved)`);
        }
        await db.close();
      });
      closed = true;
    },
  };
}

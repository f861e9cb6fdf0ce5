import { CashierFeedback, CashierReport, CommandResult, Health, TestPrintDone } from '@tillscope/shared';
import { errorText, moduleLogger, silentLogger } from '../logger';
import { CashierReports } from './cashier-reports';
import { noDiskReserve } from './disk-reserve';
import { createMemoryHold, mergeOldestFirst, type QueuedMessage } from './memory-hold';
import type { Outbox, OutboxMessage, OutboxOptions } from './outbox-contract';
import { openSqliteDb, SCHEMA, type OutboxDb } from './outbox-db';
import { OutboxStorage } from './outbox-storage';
import { mostUrgentFirst, symptomOf } from './urgency';

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

/**
 * One connection, one queue: keeps BEGIN..COMMIT blocks from interleaving and keeps order. A task
 * queued after `isClosed()` turns true rejects with "outbox is closed"; a failed task does not
 * stop the ones after it.
 */
function serialQueue(isClosed: () => boolean): <T>(task: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = chain.then(() => {
      if (isClosed()) throw new Error('outbox is closed');
      return task();
    });
    chain = result.catch(() => undefined);
    return result;
  };
}

async function prepareDb(db: OutboxDb): Promise<void> {
  // WAL + NORMAL: a commit survives an agent crash; only an OS crash or power cut can lose the last
  // few health commits, which the next snapshot replaces anyway. Cashier reports are written with
  // synchronous=FULL (see OutboxStorage.insertRows): registers are switched off at the wall, and a
  // cashier who was told "saved" must not lose the report. They are rare, so the extra fsync costs nothing.
  await db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;');
  await db.exec(SCHEMA);
}

/** Parses a message against its wire schema (a bug if it fails) and stamps when it was queued. */
function toQueued(message: OutboxMessage, now: () => Date): QueuedMessage {
  const schemas = { health: Health, cashier_report: CashierReport, cashier_feedback: CashierFeedback, test_print_done: TestPrintDone, command_result: CommandResult } as const;
  const valid = schemas[message.type].parse(message) as OutboxMessage;
  return { id: valid.id, type: valid.type, body: JSON.stringify(valid), createdAt: now().toISOString() };
}

/**
 * Opens the outbox (see `Outbox` in outbox-contract.ts for the contract). A thin facade: it
 * serialises every call and wires the storage path (OutboxStorage) to the cashier report states
 * (CashierReports) over one database and one memory hold.
 */
export async function openOutbox(options: OutboxOptions): Promise<Outbox> {
  const log = moduleLogger(options.logger ?? silentLogger, 'outbox');
  const now = options.now ?? (() => new Date());
  const db = await (options.openDb ?? openSqliteDb)(options.file);
  await prepareDb(db);
  await CashierReports.forgetOld(db, now(), options.keepReportsDays ?? 30, log);
  const hold = createMemoryHold();
  const storage = await OutboxStorage.open(db, hold, {
    file: options.file,
    log,
    reserve: options.reserve ?? noDiskReserve,
    maxHealthRows: options.maxHealthRows ?? 2_000,
    maxBytes: options.maxBytes ?? 20 * 1024 * 1024,
  });
  const reports = new CashierReports(db, hold, storage, log);
  let closed = false;
  const serial = serialQueue(() => closed);

  /** The retry, in the contract's order: reports and answers, acks, report states, then the reserve and health. */
  async function retryHeld(): Promise<void> {
    await storage.writeHeldMessages();
    await reports.persistHeld();
    await storage.restoreReserve();
  }

  const timer = setInterval(() => {
    if (storage.needsRetry()) serial(retryHeld).catch((error: unknown) => log.warn(`retrying held writes: ${errorText(error)}`));
  }, options.retryEveryMs ?? 5_000);
  timer.unref();

  return {
    async enqueue(message) {
      const queued = toQueued(message, now);
      return serial(async () => {
        if (storage.needsRetry()) await retryHeld();
        return queued.type === 'health' ? storage.storeHealth(queued) : storage.storePromise(queued);
      });
    },

    pending(limit, exclude = new Set()) {
      return serial(async () => {
        const skip = new Set([...exclude, ...hold.acks]);
        const held = hold.sendable(skip);
        const heldReports = held.filter((m) => m.type === 'cashier_report').map((m) => ({ ...m, symptom: symptomOf(m) }));
        const reports = mostUrgentFirst([...(await storage.storedReports(skip)), ...heldReports]).slice(0, limit);
        const rest = mergeOldestFirst(await storage.stored(limit, skip), held.filter((m) => m.type !== 'cashier_report'), limit - reports.length);
        return [...reports.map(({ id, type, body }) => ({ id, type, body })), ...rest];
      });
    },

    ack(ack) {
      return serial(async () => {
        hold.take(ack.ackOf); // held in memory only: never sent again
        const row = await storage.storedRow(ack.ackOf);
        await reports.markAcked(ack);
        if (row && !(await storage.deleteAcked(ack.ackOf, row, reports.held(ack.ackOf)))) return;
        await reports.persist([ack.ackOf], `the ack of ${ack.ackOf}`);
      });
    },

    updateTicket: (reportId, ticket) => serial(() => reports.updateTicket(reportId, ticket)),
    cashierReport: (id) => serial(() => reports.view(id)),
    recordAnswer: (id, working) => serial(() => reports.recordAnswer(id, working)),
    retryStorage: () => serial(retryHeld),
    stats: () => serial(async () => storage.stats()),
    state: () =>
      serial(async () => {
        const { rows, bytes } = storage.stats();
        return { rows, bytes, ...(await storage.breakdown()) };
      }),

    async close() {
      clearInterval(timer);
      await serial(async () => {
        if (storage.needsRetry()) await retryHeld().catch(() => undefined);
        if (hold.messages.length > 0) {
          log.error(`closing with ${hold.messages.length} cashier report(s) or answer(s) that could not be written to disk; they are lost (the cashier was told they were not saved)`);
        }
        await db.close();
      });
      closed = true;
    },
  };
}

import {
  AckPayload,
  CashierFeedback,
  CashierReport,
  Health,
  TicketRef,
  type AgentMessageType,
} from '@tillscope/shared';
import type { z } from 'zod';
import { errorText, moduleLogger, silentLogger, type Logger } from '../logger';
import { openSqliteDb, type OutboxDb } from './outbox-db';

export type OutboxMessage = Health | CashierReport | CashierFeedback;
type AckPayload = z.infer<typeof AckPayload>;

/** One message waiting for its ack: `body` is the exact JSON frame, resent byte for byte (same id). */
export interface PendingMessage {
  id: string;
  type: Extract<AgentMessageType, 'health' | 'cashier_report' | 'cashier_feedback'>;
  body: string;
}

/**
 * A cashier report as the cashier page follows it. `queued` until the server acks it,
 * `delivered` after (with the ticket once the server names one), `rejected` if the server acked
 * with ok:false (it will never succeed; the page says so rather than waiting forever).
 */
export interface CashierReportState {
  id: string;
  state: 'queued' | 'delivered' | 'rejected';
  ticket: TicketRef | null;
  createdAt: string;
  /**
   * the cashier's latest answer to "is it working?" for the ticket's current resolution (the
   * answer itself travels as a cashier_feedback message); null again once the ticket, reopened,
   * is resolved anew, so the page asks again
   */
  working: boolean | null;
}

export interface OutboxStats {
  rows: number;
  bytes: number;
  /** health snapshots dropped to keep the outbox bounded, since the database was created */
  dropped: number;
  /** messages held in memory because the database refused a write */
  inMemory: number;
}

/**
 * The agent's store-and-forward queue (at-least-once delivery).
 *
 * Contract:
 * - `enqueue` resolves once the message is durable (or, if the database refuses the write, e.g.
 *   disk full, once it is held in memory and will be written later); it never rejects for storage
 *   trouble, only for a message that fails its schema (a bug: such a frame would get us closed with 1007).
 * - `pending` lists messages oldest first, each with the id it will keep across resends and restarts.
 * - A message leaves only through `ack` (ok or not). Health snapshots beyond the bounds are
 *   dropped oldest first and counted; cashier reports and answers are never dropped.
 * - Calls are serialised internally, so callers may fire them concurrently.
 */
export interface Outbox {
  enqueue(message: OutboxMessage): Promise<void>;
  pending(limit: number, exclude?: ReadonlySet<string>): Promise<PendingMessage[]>;
  ack(ack: AckPayload): Promise<void>;
  /** Applies a ticket_update; resolves false when no cashier report matches. */
  updateTicket(reportId: string | undefined, ticket: TicketRef): Promise<boolean>;
  cashierReport(id: string): Promise<CashierReportState | null>;
  recordAnswer(id: string, working: boolean): Promise<boolean>;
  stats(): Promise<OutboxStats>;
  close(): Promise<void>;
}

export interface OutboxOptions {
  /** `<dataDir>/agent.db` */
  file: string;
  logger?: Logger;
  openDb?: (file: string) => Promise<OutboxDb>;
  now?: () => Date;
  /** Health rows kept at most (default 2,000: over five hours of changes at one every 10 s). */
  maxHealthRows?: number;
  /** Bytes of queued frames kept at most (default 20 MB); only health rows are dropped to meet it. */
  maxBytes?: number;
  /** Messages held in memory while the database refuses writes (default 500; cashier reports always kept). */
  maxInMemory?: number;
  /** Delivered cashier reports kept for the page (default 30 days). */
  keepReportsDays?: number;
}

interface CashierRow {
  id: string;
  created_at: string;
  state: CashierReportState['state'];
  ticket: string | null;
  working: number | null;
}

const SCHEMA = `
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

function isDone(status: TicketRef['status']): boolean {
  return status === 'resolved' || status === 'closed';
}

export async function openOutbox(options: OutboxOptions): Promise<Outbox> {
  const log = moduleLogger(options.logger ?? silentLogger, 'outbox');
  const now = options.now ?? (() => new Date());
  const maxHealthRows = options.maxHealthRows ?? 2_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const maxInMemory = options.maxInMemory ?? 500;
  const db = await (options.openDb ?? openSqliteDb)(options.file);

  // WAL + NORMAL: a commit survives an agent crash; only an OS crash or power cut can lose the last
  // few health commits, which the next snapshot replaces anyway. Cashier reports are written with
  // synchronous=FULL (see insertRows): registers are switched off at the wall, and a cashier who
  // was told "saved" must not lose the report. They are rare, so the extra fsync costs nothing.
  await db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;');
  await db.exec(SCHEMA);
  const keepDays = options.keepReportsDays ?? 30;
  await db.run(
    `DELETE FROM cashier_reports WHERE state != 'queued' AND created_at < ?`,
    new Date(now().getTime() - keepDays * 86_400_000).toISOString(),
  );

  const totals = (await db.get<{ rows: number; bytes: number | null; health: number }>(
    `SELECT COUNT(*) AS rows, SUM(bytes) AS bytes, SUM(type = 'health') AS health FROM outbox`,
  )) ?? { rows: 0, bytes: 0, health: 0 };
  let rows = totals.rows;
  let bytes = totals.bytes ?? 0;
  let healthRows = totals.health ?? 0;
  let dropped = (await db.get<{ value: number }>(`SELECT value FROM meta WHERE key = 'dropped'`))?.value ?? 0;

  /** Written nowhere yet: the database refused them. Oldest first, like the table. */
  const memory: (PendingMessage & { createdAt: string })[] = [];
  const memoryReports = new Map<string, CashierReportState>();
  let storageFailing = false;
  let closed = false;

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

  async function insertRows(message: PendingMessage & { createdAt: string }): Promise<void> {
    const size = Buffer.byteLength(message.body);
    const isReport = message.type === 'cashier_report';
    // A cashier's answer is as much a promise to the cashier as the report: same full sync.
    const fullSync = message.type !== 'health';
    if (fullSync) await db.exec('PRAGMA synchronous=FULL');
    let inserted = 0;
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
        if (isReport) {
          const state = memoryReports.get(message.id);
          await db.run(
            `INSERT INTO cashier_reports (id, created_at, state, ticket, working) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
            message.id,
            message.createdAt,
            state?.state ?? 'queued',
            state?.ticket ? JSON.stringify(state.ticket) : null,
            state?.working == null ? null : Number(state.working),
          );
        }
      });
    } finally {
      if (fullSync) await db.exec('PRAGMA synchronous=NORMAL').catch(() => undefined);
    }
    if (inserted > 0) {
      rows += 1;
      bytes += size;
      if (message.type === 'health') healthRows += 1;
    }
    memoryReports.delete(message.id);
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

  /** Moves messages held in memory into the database, in order; stops at the first failure. */
  async function drainMemory(): Promise<void> {
    while (memory.length > 0) {
      const next = memory[0]!;
      try {
        await insertRows(next);
      } catch {
        return;
      }
      memory.shift();
    }
    if (storageFailing) {
      storageFailing = false;
      log.info('the outbox database accepts writes again; messages held in memory are now stored');
    }
  }

  function holdInMemory(message: PendingMessage & { createdAt: string }, error: unknown): void {
    if (!storageFailing) {
      storageFailing = true;
      const full = /SQLITE_FULL|ENOSPC/.test(errorText(error));
      log.error(
        `cannot write to the outbox database ${options.file} (${errorText(error)})${full ? ': the disk is full' : ''}; ` +
          `keeping messages in memory (at most ${maxInMemory} health snapshots) and retrying on the next write`,
      );
    }
    memory.push(message);
    if (message.type === 'cashier_report') {
      memoryReports.set(message.id, { id: message.id, state: 'queued', ticket: null, createdAt: message.createdAt, working: null });
    }
    while (memory.length > maxInMemory) {
      const index = memory.findIndex((m) => m.type === 'health');
      if (index < 0) break; // only cashier reports and answers left: they are small and rare, keep them all
      memory.splice(index, 1);
      dropped += 1;
    }
  }

  function toState(row: CashierRow): CashierReportState {
    const ticket = row.ticket ? TicketRef.safeParse(JSON.parse(row.ticket)) : null;
    return {
      id: row.id,
      state: row.state,
      ticket: ticket?.success ? ticket.data : null,
      createdAt: row.created_at,
      working: row.working == null ? null : row.working === 1,
    };
  }

  return {
    async enqueue(message) {
      const valid =
        message.type === 'health' ? Health.parse(message) : message.type === 'cashier_report' ? CashierReport.parse(message) : CashierFeedback.parse(message);
      const pending = {
        id: valid.id,
        type: valid.type,
        body: JSON.stringify(valid),
        createdAt: now().toISOString(),
      };
      return serial(async () => {
        await drainMemory();
        if (memory.length > 0) {
          holdInMemory(pending, new Error('earlier messages are still waiting for the database'));
          return;
        }
        try {
          await insertRows(pending);
        } catch (error) {
          holdInMemory(pending, error);
          return;
        }
        try {
          await enforceBounds();
        } catch (error) {
          log.warn(`could not trim the outbox: ${errorText(error)}`);
        }
      });
    },

    pending(limit, exclude = new Set()) {
      return serial(async () => {
        await drainMemory();
        // The exclusion happens in SQL: the link asks on every ack with up to maxInFlight ids in flight.
        const result = await db.all<PendingMessage>(
          `SELECT id, type, body FROM outbox WHERE id NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
          JSON.stringify([...exclude]),
          limit,
        );
        for (const m of memory) if (!exclude.has(m.id)) result.push({ id: m.id, type: m.type, body: m.body });
        return result.slice(0, limit);
      });
    },

    ack(ack) {
      return serial(async () => {
        const index = memory.findIndex((m) => m.id === ack.ackOf);
        if (index >= 0) memory.splice(index, 1);
        const memoryReport = memoryReports.get(ack.ackOf);
        const state = ack.ok ? 'delivered' : 'rejected';
        const ticket = ack.ok && ack.ticket ? ack.ticket : null;
        if (memoryReport) {
          memoryReport.state = state;
          memoryReport.ticket = ticket ?? memoryReport.ticket;
        }
        const row = await db.get<{ type: string; bytes: number }>(`SELECT type, bytes FROM outbox WHERE id = ?`, ack.ackOf);
        await transaction(async () => {
          await db.run(`DELETE FROM outbox WHERE id = ?`, ack.ackOf);
          await db.run(
            `UPDATE cashier_reports SET state = ?, ticket = COALESCE(?, ticket) WHERE id = ?`,
            state,
            ticket ? JSON.stringify(ticket) : null,
            ack.ackOf,
          );
        });
        if (row) {
          rows -= 1;
          bytes -= row.bytes;
          if (row.type === 'health') healthRows -= 1;
        }
      });
    },

    updateTicket(reportId, ticket) {
      return serial(async () => {
        const json = JSON.stringify(ticket);
        // An answer belongs to one resolution. A ticket that the cashier's "no" reopened and an
        // engineer resolved again needs a fresh answer, so a move from open to resolved clears it.
        const resolvedAnew = ticket.status === 'resolved';
        for (const report of memoryReports.values()) {
          if (report.id === reportId || report.ticket?.ticketId === ticket.ticketId) {
            if (resolvedAnew && report.ticket && !isDone(report.ticket.status)) report.working = null;
            report.ticket = ticket;
          }
        }
        const set = `ticket = ?1, working = CASE WHEN ?2 AND json_extract(ticket, '$.status') IN ('open', 'in_progress') THEN NULL ELSE working END`;
        // Without a reportId the server means every report that opened (or merged into) this ticket.
        const result = reportId
          ? await db.run(`UPDATE cashier_reports SET ${set} WHERE id = ?3`, json, Number(resolvedAnew), reportId)
          : await db.run(`UPDATE cashier_reports SET ${set} WHERE json_extract(ticket, '$.ticketId') = ?3`, json, Number(resolvedAnew), ticket.ticketId);
        return result.changes > 0;
      });
    },

    cashierReport(id) {
      return serial(async () => {
        const inMemory = memoryReports.get(id);
        if (inMemory) return { ...inMemory };
        const row = await db.get<CashierRow>(`SELECT id, created_at, state, ticket, working FROM cashier_reports WHERE id = ?`, id);
        return row ? toState(row) : null;
      });
    },

    recordAnswer(id, working) {
      return serial(async () => {
        const inMemory = memoryReports.get(id);
        if (inMemory) {
          inMemory.working = working;
          return true;
        }
        const result = await db.run(`UPDATE cashier_reports SET working = ? WHERE id = ?`, Number(working), id);
        return result.changes > 0;
      });
    },

    stats() {
      return serial(async () => ({ rows, bytes, dropped, inMemory: memory.length }));
    },

    async close() {
      await serial(async () => {
        if (memory.length > 0) {
          log.error(`closing with ${memory.length} message(s) that could not be written to disk; they are lost`);
        }
        await db.close();
      });
      closed = true;
    },
  };
}

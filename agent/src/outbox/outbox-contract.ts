import type { AckPayload, AgentMessageType, CashierFeedback, CashierReport, CommandResult, Health, OutboxState, TestPrintDone, TicketRef } from '@tillscope/shared';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { DiskReserve } from './disk-reserve';
import type { OutboxDb } from './outbox-db';

/**
 * A cashier-agreed test print's result (test_print_done) is a promise to the cashier, like an
 * answer; a command's result (command_result) is the engineer's, kept the same way.
 */
export type OutboxMessage = Health | CashierReport | CashierFeedback | TestPrintDone | CommandResult;
export type AckPayload = z.infer<typeof AckPayload>;

/** One message waiting for its ack: `body` is the exact JSON frame, resent byte for byte (same id). */
export interface PendingMessage {
  id: string;
  type: Extract<AgentMessageType, 'health' | 'cashier_report' | 'cashier_feedback' | 'test_print_done' | 'command_result'>;
  body: string;
}

/**
 * Where `enqueue` put a message. `on_disk`: committed to the database (cashier reports and answers
 * with synchronous=FULL), it survives an agent restart and a power cut. `in_memory`: the database
 * refused it (disk full even after the reserve was released, or a failing disk); it is sent if
 * connected and written as soon as the database takes it, but lost if the agent stops first.
 * Only `on_disk` may be shown to a person as "saved".
 */
export type Stored = 'on_disk' | 'in_memory';

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
  /** The report is in the database: it survives a restart. False while it is held in memory only. */
  saved: boolean;
}

export interface OutboxStats {
  rows: number;
  bytes: number;
  /** health snapshots dropped to keep the outbox bounded (since the database was created) or superseded in memory */
  dropped: number;
  /** messages held in memory because the database refused a write */
  inMemory: number;
  /** a write failed for lack of space and the disk reserve is not back yet: health snapshots stay in memory */
  diskFull: boolean;
}

/**
 * The agent's store-and-forward queue (at-least-once delivery).
 *
 * Contract:
 * - `enqueue` resolves with where the message is (see `Stored`): `on_disk` once it is committed;
 *   `in_memory` when the database refused it. It never rejects for storage trouble, only for a
 *   message that fails its schema (a bug: such a frame would get us closed with 1007).
 * - A disk-full write of a cashier report or answer, or of the bookkeeping of an ack, a ticket
 *   update or an answer, releases the disk reserve and is tried once more. Health snapshots never
 *   use the reserve: after a disk-full, until the reserve is back, the latest snapshot is kept in
 *   memory (older ones are superseded) and nothing else of health is written.
 * - What the database refused is held in memory, retried every `retryEveryMs` (and before each
 *   enqueue, and on `retryStorage`), sent meanwhile if connected, and written once the database
 *   takes it: cashier reports and answers first, then ack and state bookkeeping, then the reserve
 *   (re-created once the disk has room for it twice), then the held health snapshot.
 * - `pending` lists cashier reports first, most urgent first (the symptom's urgency in shared
 *   SYMPTOMS: a till that cannot sell first), then oldest first; then every other message oldest
 *   first (held ones included in both), each with the id it will keep across resends and
 *   restarts; an acked message is never listed again. (The console keeps a device's latest state
 *   from the newest report, so older health snapshots arriving after a report do not roll it back.)
 * - A message leaves only through `ack` (ok or not). Health snapshots beyond the bounds are
 *   dropped oldest first and counted; cashier reports and answers are never dropped.
 * - `ack`, `updateTicket` and `recordAnswer` never reject for storage trouble: what they could not
 *   write is held in memory (and shown by `cashierReport`) and retried like messages.
 * - Calls are serialised internally, so callers may fire them concurrently.
 */
export interface Outbox {
  enqueue(message: OutboxMessage): Promise<Stored>;
  pending(limit: number, exclude?: ReadonlySet<string>): Promise<PendingMessage[]>;
  ack(ack: AckPayload): Promise<void>;
  /** Applies a ticket_update; resolves false when no cashier report matches. */
  updateTicket(reportId: string | undefined, ticket: TicketRef): Promise<boolean>;
  cashierReport(id: string): Promise<CashierReportState | null>;
  recordAnswer(id: string, working: boolean): Promise<boolean>;
  /** Tries at once what the retry timer would: held writes, then the disk reserve. */
  retryStorage(): Promise<void>;
  stats(): Promise<OutboxStats>;
  /** What is stored on disk: rows and bytes, the oldest message's queue time and counts by type. */
  state(): Promise<OutboxState>;
  close(): Promise<void>;
}

export interface OutboxOptions {
  /** `<dataDir>/agent.db` */
  file: string;
  logger?: Logger;
  openDb?: (file: string) => Promise<OutboxDb>;
  now?: () => Date;
  /** Released when the disk is full (see disk-reserve.ts); default none. */
  reserve?: DiskReserve;
  /** How often held writes and the reserve are retried (default 5 s). */
  retryEveryMs?: number;
  /** Health rows kept at most (default 2,000: over five hours of changes at one every 10 s). */
  maxHealthRows?: number;
  /** Bytes of queued frames kept at most (default 20 MB); only health rows are dropped to meet it. */
  maxBytes?: number;
  /** Delivered cashier reports kept for the page (default 30 days). */
  keepReportsDays?: number;
}


import type { Ack, AgentMessage, DeviceReport } from '@tillscope/shared';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { allInChunks, allMultiRow, runMultiRow } from '../db/multi-row';
import { OPEN_STATUSES } from '../db/rows';
import { type Logger, withFields } from '../logger';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { writeDeviceReports, type DeviceReportWrite } from '../tickets/device-writes';
import type { TicketEngine } from '../tickets/ticket-engine';
import type { AgentMessageHandler } from './agent-message-handler';
import type { AgentRegistry } from './agent-registry';

type AckPayload = Ack['payload'];

export interface IngestBatcherOptions {
  db: ConsoleDatabase;
  registry: AgentRegistry;
  handler: AgentMessageHandler;
  engine: TicketEngine;
  bus: ChangeBus;
  logger: Logger;
  now: () => Date;
  /** Most items in one transaction; a bigger queue is split over several. */
  maxBatch?: number;
  /** Above this many queued items `overloaded` is true and the gateway stops reading agent sockets. */
  highWater?: number;
  /** How often "last seen" goes from memory to the agents table. */
  lastSeenFlushMs?: number;
}

export interface IngestStats {
  batches: number;
  messages: number;
  /** Messages that took the multi-row path (no findings, no open device tickets). */
  fastPathMessages: number;
  duplicates: number;
  failedMessages: number;
  largestBatch: number;
  queued: number;
}

interface Deferred<T> {
  resolve: (value: T) => void;
}

type IngestItem =
  | { kind: 'message'; agentId: string; message: AgentMessage; done: Deferred<AckPayload | undefined> }
  | { kind: 'connection'; agentId: string; connected: boolean; done: Deferred<void> };

type MessageItem = Extract<IngestItem, { kind: 'message' }>;

const key = (agentId: string, msgId: string) => `${agentId}\u0000${msgId}`;

/**
 * Group commit for everything agents send. Items queue in arrival order; whenever the database is
 * free, everything queued (up to `maxBatch`) is applied in ONE write transaction and every ack is
 * released only after that COMMIT. At low load a batch is one message and adds no wait; under
 * load batches grow, so the commit cost (and the fsync) is shared instead of paid per message.
 *
 * Inside a batch:
 * - Message ids already processed (a resend after a lost ack) are answered without their effect.
 * - The common case, a health report with no findings from a register with no open device
 *   tickets, changes no ticket (the engine's rules only act on findings and on open tickets), so
 *   it is written with multi-row statements. An agent is on that path only if all its messages in
 *   the batch are, so one agent's messages are never reordered.
 * - Everything else goes through the handler one message at a time, each in a SAVEPOINT: a
 *   message that throws rolls back alone and stays unacked, so the agent resends it.
 * - "Last seen" is kept in memory and written every `lastSeenFlushMs`, not once per message.
 */
export class IngestBatcher {
  private readonly queue: IngestItem[] = [];
  private readonly lastSeen = new Map<string, string>();
  private readonly drainedListeners: (() => void)[] = [];
  private running = false;
  private scheduled = false;
  private closed = false;
  private lastSeenFlushedAt = 0;
  private readonly lastSeenTimer: NodeJS.Timeout;
  private readonly maxBatch: number;
  private readonly highWater: number;
  private readonly lastSeenFlushMs: number;
  private readonly counters = { batches: 0, messages: 0, fastPathMessages: 0, duplicates: 0, failedMessages: 0, largestBatch: 0 };

  constructor(private readonly options: IngestBatcherOptions) {
    this.maxBatch = options.maxBatch ?? 2_000;
    this.highWater = options.highWater ?? 20_000;
    this.lastSeenFlushMs = options.lastSeenFlushMs ?? 5_000;
    this.lastSeenTimer = setInterval(() => {
      if (this.lastSeen.size > 0 && this.queue.length === 0 && !this.running) this.schedule();
    }, this.lastSeenFlushMs);
    this.lastSeenTimer.unref();
  }

  /** Resolves with the ack to send after COMMIT, or undefined when the message must stay unacked (its effect failed). */
  submit(agentId: string, message: AgentMessage): Promise<AckPayload | undefined> {
    return new Promise((resolve) => this.enqueue({ kind: 'message', agentId, message, done: { resolve } }));
  }

  /** Records a connect or a disconnect; an agent's last event in a batch is the one that stands. */
  connection(agentId: string, connected: boolean): Promise<void> {
    return new Promise((resolve) => this.enqueue({ kind: 'connection', agentId, connected, done: { resolve } }));
  }

  get overloaded(): boolean {
    return this.queue.length >= this.highWater;
  }

  /** Called once each time the queue falls back under half the high-water mark. */
  onDrained(listener: () => void): void {
    this.drainedListeners.push(listener);
  }

  stats(): IngestStats {
    return { ...this.counters, queued: this.queue.length };
  }

  /** Applies what is queued, writes "last seen", and refuses new items. */
  async close(): Promise<void> {
    clearInterval(this.lastSeenTimer);
    while (this.running || this.queue.length > 0 || this.scheduled) {
      if (!this.running && !this.scheduled) await this.flush();
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.closed = true;
    if (this.lastSeen.size > 0) await this.options.db.write((sql) => this.flushLastSeen(sql)).catch(() => undefined);
  }

  private enqueue(item: IngestItem): void {
    if (this.closed) {
      item.done.resolve(undefined);
      return;
    }
    this.queue.push(item);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate, not a timer: a lone message waits for nothing, and frames that arrived in the
    // same I/O poll still land in the same batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      do {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.runBatch(batch);
        if (this.queue.length < this.highWater / 2) for (const listener of this.drainedListeners) listener();
      } while (this.queue.length > 0);
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: IngestItem[]): Promise<void> {
    const { db, logger } = this.options;
    const changes = new ChangeSet();
    const acks = new Map<MessageItem, AckPayload | undefined>();
    const nowIso = this.options.now().toISOString();
    const messages = batch.filter((item): item is MessageItem => item.kind === 'message');
    for (const item of messages) this.lastSeen.set(item.agentId, nowIso);
    try {
      await db.write(async (sql) => {
        await this.applyConnections(sql, batch, changes);
        await this.applyMessages(sql, messages, acks, changes);
        if (Date.now() - this.lastSeenFlushedAt >= this.lastSeenFlushMs) await this.flushLastSeen(sql);
      });
    } catch (error) {
      // COMMIT itself failed (disk full, I/O error): nothing of this batch happened. No ack goes
      // out, so every agent keeps its messages and sends them again.
      logger.error('ingest', withFields('batch rolled back; its messages stay unacked', { items: batch.length, error: String(error) }));
      acks.clear();
    }
    this.counters.batches += 1;
    this.counters.messages += messages.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    for (const item of batch) {
      if (item.kind === 'message') {
        const ack = acks.get(item);
        if (!ack) this.counters.failedMessages += 1;
        item.done.resolve(ack);
      } else {
        item.done.resolve();
      }
    }
    this.options.bus.publish(changes);
  }

  private async applyConnections(sql: SqlConnection, batch: IngestItem[], changes: ChangeSet): Promise<void> {
    const latest = new Map<string, boolean>();
    for (const item of batch) if (item.kind === 'connection') latest.set(item.agentId, item.connected);
    if (latest.size === 0) return;
    const nowIso = this.options.now().toISOString();
    const connected = [...latest].filter(([, isConnected]) => isConnected).map(([agentId]) => agentId);
    const disconnected = [...latest].filter(([, isConnected]) => !isConnected).map(([agentId]) => agentId);
    await allInChunks(sql, connected, (ids) => `UPDATE agents SET connected = 1, last_seen_at = ?, disconnected_at = NULL WHERE id IN (${ids})`, [nowIso]);
    await allInChunks(sql, disconnected, (ids) => `UPDATE agents SET connected = 0, last_seen_at = ?, disconnected_at = ? WHERE id IN (${ids})`, [nowIso, nowIso]);
    for (const agentId of latest.keys()) {
      changes.registers.add(agentId);
      this.lastSeen.delete(agentId); // just written
    }
    // A register that is back has recovered from its offline ticket.
    for (const agentId of connected) await this.options.engine.agentReconnected(sql, agentId, changes);
  }

  private async applyMessages(sql: SqlConnection, items: MessageItem[], acks: Map<MessageItem, AckPayload | undefined>, changes: ChangeSet): Promise<void> {
    if (items.length === 0) return;
    const { handler } = this.options;
    const processed = await this.processedIds(sql, items);
    const firstOfKey = new Map<string, MessageItem>();
    const duplicateOf = new Map<MessageItem, MessageItem>();
    const fresh: MessageItem[] = [];
    for (const item of items) {
      const itemKey = key(item.agentId, item.message.id);
      const done = processed.get(itemKey);
      if (done !== undefined) {
        acks.set(item, await handler.repeatAck(sql, item.message.id, done));
        this.counters.duplicates += 1;
        continue;
      }
      const first = firstOfKey.get(itemKey);
      if (first) {
        duplicateOf.set(item, first); // sent twice before either was applied: answered as the first
        this.counters.duplicates += 1;
        continue;
      }
      firstOfKey.set(itemKey, item);
      fresh.push(item);
    }

    const fast = await this.fastPathAgents(sql, fresh);
    const recorded: [string, string, string, number | null, string][] = [];
    const nowIso = this.options.now().toISOString();
    const fastItems = fresh.filter((item) => fast.has(item.agentId));
    if (fastItems.length > 0) {
      await this.applyQuietReports(sql, fastItems, changes);
      for (const item of fastItems) {
        acks.set(item, { ackOf: item.message.id, ok: true });
        recorded.push([item.agentId, item.message.id, item.message.type, null, nowIso]);
      }
      this.counters.fastPathMessages += fastItems.length;
    }
    for (const item of fresh) {
      if (fast.has(item.agentId)) continue;
      await sql.exec('SAVEPOINT ingest_message');
      try {
        const applied = await handler.apply(sql, item.agentId, item.message, changes);
        await sql.exec('RELEASE ingest_message');
        acks.set(item, applied.ack);
        if (applied.record) recorded.push([item.agentId, item.message.id, item.message.type, applied.ticketId, nowIso]);
      } catch (error) {
        await sql.exec('ROLLBACK TO ingest_message');
        await sql.exec('RELEASE ingest_message');
        this.options.logger.error('ingest', withFields('agent message failed; left unacked for a resend', {
          agentId: item.agentId, type: item.message.type, id: item.message.id, error: String(error),
        }));
      }
    }
    for (const [item, first] of duplicateOf) {
      const ack = acks.get(first);
      acks.set(item, ack && { ...ack, ackOf: item.message.id });
    }
    await runMultiRow(sql, 'INSERT OR IGNORE INTO processed_messages (agent_id, msg_id, type, ticket_id, processed_at)', 5, recorded);
  }

  /** Already-processed message ids of this batch, with the ticket their ack named. */
  private async processedIds(sql: SqlConnection, items: MessageItem[]): Promise<Map<string, number | null>> {
    // A VALUES list joined on the primary key: one index lookup per message.
    const rows = await allMultiRow<{ agent_id: string; msg_id: string; ticket_id: number | null }>(
      sql, 'WITH wanted (agent_id, msg_id) AS (', 2, items.map((item) => [item.agentId, item.message.id]),
      ') SELECT p.agent_id, p.msg_id, p.ticket_id FROM wanted JOIN processed_messages p ON p.agent_id = wanted.agent_id AND p.msg_id = wanted.msg_id',
    );
    return new Map(rows.map((row) => [key(row.agent_id, row.msg_id), row.ticket_id]));
  }

  /**
   * Agents whose messages in this batch are all health reports without findings, and who have no
   * open ticket on a device: for them the ticket engine would only store the reports.
   */
  private async fastPathAgents(sql: SqlConnection, items: MessageItem[]): Promise<Set<string>> {
    const candidates = new Set(items.map((item) => item.agentId));
    for (const item of items) {
      const { message } = item;
      if (message.type !== 'health' || message.payload.devices.some((report) => report.findings.length > 0)) candidates.delete(item.agentId);
    }
    if (candidates.size === 0) return candidates;
    const withOpen = await allInChunks<{ agent_id: string }>(
      sql, [...candidates],
      (ids) => `SELECT DISTINCT agent_id FROM tickets WHERE agent_id IN (${ids}) AND device_id IS NOT NULL AND status IN ${OPEN_STATUSES}`,
    );
    for (const row of withOpen) candidates.delete(row.agent_id);
    return candidates;
  }

  /** Stores finding-free reports in multi-row statements; a register changes only if a device's health did. */
  private async applyQuietReports(sql: SqlConnection, items: MessageItem[], changes: ChangeSet): Promise<void> {
    const agentIds = [...new Set(items.map((item) => item.agentId))];
    const previous = new Map(
      (await allInChunks<{ agent_id: string; device_id: string; health: string; codes_json: string }>(
        sql, agentIds, (ids) => `SELECT agent_id, device_id, health, codes_json FROM devices WHERE agent_id IN (${ids})`,
      )).map((row) => [key(row.agent_id, row.device_id), row]),
    );
    const receivedAt = this.options.now().toISOString();
    const writes: DeviceReportWrite[] = [];
    for (const item of items) {
      if (item.message.type !== 'health') continue;
      for (const report of item.message.payload.devices as DeviceReport[]) {
        writes.push({ agentId: item.agentId, msgId: item.message.id, receivedAt, report, codes: [] });
        const before = previous.get(key(item.agentId, report.deviceId));
        if (!before || before.health !== report.health || before.codes_json !== '[]') changes.registers.add(item.agentId);
      }
    }
    await writeDeviceReports(sql, writes);
  }

  private async flushLastSeen(sql: SqlConnection): Promise<void> {
    this.lastSeenFlushedAt = Date.now();
    if (this.lastSeen.size === 0) return;
    const rows = [...this.lastSeen].map(([agentId, at]) => [agentId, at]);
    this.lastSeen.clear();
    await runMultiRow(sql, 'WITH seen (id, at) AS (', 2, rows, ') UPDATE agents SET last_seen_at = seen.at FROM seen WHERE agents.id = seen.id');
  }
}

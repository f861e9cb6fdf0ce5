import type { Ack, AgentMessage } from '@tillscope/shared';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { allInChunks, allMultiRow, runInChunks, runMultiRow } from '../db/multi-row';
import { OPEN_STATUSES } from '../db/rows';
import { type Logger, withFields } from '../logger';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { catchUpCashierTickets } from '../cashier/catch-up';
import { deviceKey, historyDue, stateChanged, writeDeviceReports, type DeviceReportWrite, type StoredDeviceState } from '../tickets/device-writes';
import { findingsOf, readStandingBatch, writeFindingUpdates } from '../tickets/standing-findings';
import type { TicketEngine } from '../tickets/ticket-engine';
import { fiscalReadingsOf, type FiscalReading } from '../fiscal/fiscal-writes';
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
  /** Messages that took the multi-row path (no findings and no open device tickets, or only standing findings). */
  fastPathMessages: number;
  /** Of those, the ones that only repeated standing findings (tickets/standing-findings.ts). */
  standingMessages: number;
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
  /**
   * Registers known to have no open device ticket nor held finding → their devices' stored state,
   * so a quiet report needs no read. Safe because only the ticket rules open device tickets, hold
   * findings (and the hold sweep opens tickets only of held ones) or write device state
   * outside the fast path, and every register that goes through them (and every rolled-back
   * batch) is dropped from here; a ticket an engineer resolves only makes a register eligible
   * later, after one read. A drift ticket (device 'reference', opened on either path) does not
   * matter here: no device report recovers it.
   */
  private readonly quietCache = new Map<string, Map<string, StoredDeviceState>>();
  /** Device key → [agent, device, probedAt] of reports that changed nothing else; flushed with lastSeen. */
  private readonly probedAt = new Map<string, [string, string, string]>();
  private readonly drainedListeners: (() => void)[] = [];
  private running = false;
  /** The drain in progress while `running`. */
  private draining: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private lastSeenFlushedAt = 0;
  private readonly lastSeenTimer: NodeJS.Timeout;
  private readonly maxBatch: number;
  private readonly highWater: number;
  private readonly lastSeenFlushMs: number;
  private readonly counters = { batches: 0, messages: 0, fastPathMessages: 0, standingMessages: 0, duplicates: 0, failedMessages: 0, largestBatch: 0 };

  constructor(private readonly options: IngestBatcherOptions) {
    this.maxBatch = options.maxBatch ?? 5_000;
    this.highWater = options.highWater ?? 20_000;
    this.lastSeenFlushMs = options.lastSeenFlushMs ?? 5_000;
    this.lastSeenTimer = setInterval(() => {
      if ((this.lastSeen.size > 0 || this.probedAt.size > 0) && this.queue.length === 0 && !this.running) this.schedule();
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

  /** Refuses new items, applies what is queued, and writes "last seen". */
  async close(): Promise<void> {
    clearInterval(this.lastSeenTimer);
    this.closed = true;
    // The last batch runs in this loop; the last write of "last seen" below gets its own transaction.
    while (this.running || this.queue.length > 0) await (this.running ? this.draining : this.flush());
    if (this.lastSeen.size > 0 || this.probedAt.size > 0) await this.options.db.write((sql) => this.flushLastSeen(sql)).catch(() => undefined);
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
      if (!this.closed) void this.flush(); // once closed, close() drains the queue itself
    });
  }

  private flush(): Promise<void> {
    if (!this.running) this.draining = this.drain();
    return this.draining ?? Promise.resolve();
  }

  /** Batch after batch until the queue is empty; `running` is set and cleared synchronously around it. */
  private async drain(): Promise<void> {
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
      this.quietCache.clear(); // it may hold states of the rolled-back batch
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
    await runInChunks(sql, connected, (ids) => `UPDATE agents SET connected = 1, last_seen_at = ?, disconnected_at = NULL WHERE id IN (${ids})`, [nowIso]);
    await runInChunks(sql, disconnected, (ids) => `UPDATE agents SET connected = 0, last_seen_at = ?, disconnected_at = ? WHERE id IN (${ids})`, [nowIso, nowIso]);
    for (const agentId of latest.keys()) {
      changes.registers.add(agentId);
      this.lastSeen.delete(agentId); // just written
    }
    // A register that is back has recovered from its offline ticket.
    for (const agentId of connected) {
      await this.options.engine.agentReconnected(sql, agentId, changes);
      // Its cashier missed the ticket_updates sent while it was away: they go again, as things stand now.
      await catchUpCashierTickets(sql, agentId, Date.parse(nowIso), changes);
    }
  }

  private async applyMessages(sql: SqlConnection, items: MessageItem[], acks: Map<MessageItem, AckPayload | undefined>, changes: ChangeSet): Promise<void> {
    if (items.length === 0) return;
    const { handler } = this.options;
    const nowIso = this.options.now().toISOString();
    // Claim every message id first: the rows that go in are this batch's new messages. A message
    // whose effect is rejected or fails gives its claim back below.
    const { claimed, earlierTickets } = await this.claimMessageIds(sql, items, nowIso);
    const firstOfKey = new Map<string, MessageItem>();
    const duplicateOf = new Map<MessageItem, MessageItem>();
    const earlier: MessageItem[] = [];
    const fresh: MessageItem[] = [];
    for (const item of items) {
      const itemKey = key(item.agentId, item.message.id);
      const first = firstOfKey.get(itemKey);
      if (first) duplicateOf.set(item, first); // sent twice before either was applied: answered as the first
      else if (claimed.has(itemKey)) fresh.push(item);
      else earlier.push(item); // processed by an earlier batch: a resend after a lost ack
      if (!first) firstOfKey.set(itemKey, item);
    }
    this.counters.duplicates += duplicateOf.size + earlier.length;
    for (const item of earlier) acks.set(item, await handler.repeatAck(sql, item.message.id, earlierTickets.get(key(item.agentId, item.message.id)) ?? null));

    const quiet = await this.quietDevices(sql, fresh);
    // Registers whose reports only update their open tickets (no ticket opens or recovers): batched too.
    const standing = await readStandingBatch(sql, fresh.filter((item) => !quiet.agents.has(item.agentId)));
    const batched = (item: MessageItem) => quiet.agents.has(item.agentId) || standing.agents.has(item.agentId);
    const fastItems = fresh.filter(batched);
    if (fastItems.length > 0) {
      await writeFindingUpdates(sql, standing.updates, nowIso, changes);
      await this.applyQuietReports(sql, fastItems, new Map([...quiet.states, ...standing.states]), changes);
      // Host sections and drift from the reference. A drift ticket opened here leaves its register
      // quiet: it is the console's own finding (device 'reference'), which no device report recovers.
      const hostBatches = fastItems.flatMap((item) => (item.message.type === 'health' ? [{ agentId: item.agentId, reports: item.message.payload.devices }] : []));
      await this.options.engine.applyHostReports(sql, hostBatches, changes);
      await this.options.engine.pipeline.stages.deadlines.capByFiscal(sql, standing.fiscalAgents, changes);
      for (const item of fastItems) acks.set(item, { ackOf: item.message.id, ok: true });
      this.counters.fastPathMessages += fastItems.length;
      this.counters.standingMessages += fastItems.filter((item) => standing.agents.has(item.agentId)).length;
    }
    for (const item of fresh) {
      if (batched(item)) continue;
      this.quietCache.delete(item.agentId); // the ticket rules may open, resolve or write anything of this register
      const giveBackClaim = () => sql.run('DELETE FROM processed_messages WHERE agent_id = ? AND msg_id = ?', item.agentId, item.message.id);
      await sql.exec('SAVEPOINT ingest_message');
      try {
        const applied = await handler.apply(sql, item.agentId, item.message, changes);
        if (!applied.record) await giveBackClaim(); // a rejection applied nothing: a resend is judged again
        else if (applied.ticketId !== null) await sql.run('UPDATE processed_messages SET ticket_id = ? WHERE agent_id = ? AND msg_id = ?', applied.ticketId, item.agentId, item.message.id);
        await sql.exec('RELEASE ingest_message');
        acks.set(item, applied.ack);
      } catch (error) {
        await sql.exec('ROLLBACK TO ingest_message');
        await sql.exec('RELEASE ingest_message');
        await giveBackClaim();
        this.options.logger.error('ingest', withFields('agent message failed; left unacked for a resend', {
          agentId: item.agentId, type: item.message.type, id: item.message.id, error: String(error),
        }));
      }
    }
    for (const [item, first] of duplicateOf) {
      const ack = acks.get(first);
      acks.set(item, ack && { ...ack, ackOf: item.message.id });
    }
  }

  /**
   * Inserts the batch's processed-id rows and returns the keys that were new, with the ticket each
   * already-processed one named. A batch without a resend, the common case, costs one plain
   * multi-row INSERT (measured ~35 % cheaper than with RETURNING); only when some row was there
   * already is the insert undone and the existing ids read first.
   */
  private async claimMessageIds(sql: SqlConnection, items: MessageItem[], nowIso: string): Promise<{ claimed: Set<string>; earlierTickets: Map<string, number | null> }> {
    const head = 'INSERT INTO processed_messages (agent_id, msg_id, type, ticket_id, processed_at)';
    const row = (item: MessageItem) => [item.agentId, item.message.id, item.message.type, null, nowIso];
    await sql.exec('SAVEPOINT claim_ids');
    const inserted = await runMultiRow(sql, head, 5, items.map(row), 'ON CONFLICT (agent_id, msg_id) DO NOTHING');
    if (inserted === items.length) {
      await sql.exec('RELEASE claim_ids');
      return { claimed: new Set(items.map((item) => key(item.agentId, item.message.id))), earlierTickets: new Map() };
    }
    await sql.exec('ROLLBACK TO claim_ids');
    await sql.exec('RELEASE claim_ids');
    const earlierTickets = await this.ticketsOfProcessed(sql, items);
    const claimed = new Set<string>();
    const fresh = items.filter((item) => {
      const itemKey = key(item.agentId, item.message.id);
      if (earlierTickets.has(itemKey) || claimed.has(itemKey)) return false;
      claimed.add(itemKey);
      return true;
    });
    await runMultiRow(sql, head, 5, fresh.map(row));
    return { claimed, earlierTickets };
  }

  /** The ticket each already-processed message's ack named. */
  private async ticketsOfProcessed(sql: SqlConnection, items: MessageItem[]): Promise<Map<string, number | null>> {
    // A VALUES list joined on the primary key: one index lookup per message.
    const rows = await allMultiRow<{ agent_id: string; msg_id: string; ticket_id: number | null }>(
      sql, 'WITH wanted (agent_id, msg_id) AS (', 2, items.map((item) => [item.agentId, item.message.id]),
      ') SELECT p.agent_id, p.msg_id, p.ticket_id FROM wanted JOIN processed_messages p ON p.agent_id = wanted.agent_id AND p.msg_id = wanted.msg_id',
    );
    return new Map(rows.map((row) => [key(row.agent_id, row.msg_id), row.ticket_id]));
  }

  /**
   * Agents whose messages in this batch are all health reports without findings, and who have no
   * open ticket on a device and no finding held (pending_findings: a report without it clears it):
   * for them the ticket engine would only store the reports. Read in the same pass: their devices'
   * stored state.
   */
  private async quietDevices(sql: SqlConnection, items: MessageItem[]): Promise<{ agents: Set<string>; states: Map<string, StoredDeviceState> }> {
    const agents = new Set(items.map((item) => item.agentId));
    for (const item of items) {
      const { message } = item;
      if (message.type !== 'health' || message.payload.devices.some((report) => report.findings.length > 0)) agents.delete(item.agentId);
    }
    const unknown = [...agents].filter((agentId) => !this.quietCache.has(agentId));
    if (unknown.length > 0) {
      const rows = await allInChunks<StoredDeviceState & { open_tickets: number }>(
        sql, unknown,
        (ids) => `SELECT a.id AS agent_id, d.device_id, d.health, d.codes_json, d.history_at,
            (EXISTS (SELECT 1 FROM tickets t WHERE t.agent_id = a.id AND t.device_id IS NOT NULL AND t.status IN ${OPEN_STATUSES})
              OR EXISTS (SELECT 1 FROM pending_findings p WHERE p.agent_id = a.id AND p.present = 1)) AS open_tickets
          FROM agents a LEFT JOIN devices d ON d.agent_id = a.id WHERE a.id IN (${ids})`,
      );
      const withOpen = new Set(rows.filter((row) => row.open_tickets).map((row) => row.agent_id));
      for (const row of rows) {
        if (withOpen.has(row.agent_id)) continue;
        const devices = this.quietCache.get(row.agent_id) ?? new Map<string, StoredDeviceState>();
        if (row.device_id !== null) devices.set(row.device_id, { agent_id: row.agent_id, device_id: row.device_id, health: row.health, codes_json: row.codes_json, history_at: row.history_at });
        this.quietCache.set(row.agent_id, devices);
      }
    }
    const states = new Map<string, StoredDeviceState>();
    for (const agentId of [...agents]) {
      const devices = this.quietCache.get(agentId);
      if (!devices) {
        agents.delete(agentId); // an open device ticket: the ticket rules apply
        continue;
      }
      for (const state of devices.values()) states.set(deviceKey(agentId, state.device_id), state);
    }
    return { agents, states };
  }

  /**
   * Stores reports that change no ticket (quiet, or only standing findings). A report that changes
   * nothing stored (same health and codes, no history snapshot due) only moves the device's
   * probed_at, which is kept in memory with "last seen"; the others are written in multi-row
   * statements, and their register changed.
   */
  private async applyQuietReports(sql: SqlConnection, items: MessageItem[], previous: Map<string, StoredDeviceState>, changes: ChangeSet): Promise<void> {
    const receivedAt = this.options.now().toISOString();
    const writes: DeviceReportWrite[] = [];
    const fiscal: FiscalReading[] = [];
    for (const item of items) {
      if (item.message.type !== 'health') continue;
      fiscal.push(...fiscalReadingsOf(item.agentId, receivedAt, item.message.payload.devices));
      for (const report of item.message.payload.devices) {
        const deviceId = deviceKey(item.agentId, report.deviceId);
        const codes = [...findingsOf(report).keys()];
        const write: DeviceReportWrite = { agentId: item.agentId, msgId: item.message.id, receivedAt, report, codes, previous: previous.get(deviceId) };
        if (stateChanged(write)) changes.registers.add(item.agentId);
        else if (!historyDue(write)) {
          this.probedAt.set(deviceId, [item.agentId, report.deviceId, report.probedAt]);
          continue;
        }
        this.probedAt.delete(deviceId); // written now; an older value must not overwrite it later
        writes.push(write);
        // Every write here is kept in the history (changed, or snapshot due): the cache follows it.
        this.quietCache.get(item.agentId)?.set(report.deviceId, {
          agent_id: item.agentId, device_id: report.deviceId, health: report.health, codes_json: JSON.stringify(codes), history_at: receivedAt,
        });
      }
    }
    await writeDeviceReports(sql, writes);
    // Quiet registers have no open device ticket, hence no fiscal ticket whose deadline could move;
    // the caller re-evaluates the standing ones' after this.
    await this.options.engine.fiscal.applyReadings(sql, fiscal, changes);
  }

  /** Writes "last seen" and the probe times of unchanged devices, kept in memory between flushes. */
  private async flushLastSeen(sql: SqlConnection): Promise<void> {
    this.lastSeenFlushedAt = Date.now();
    const seen = [...this.lastSeen];
    const probed = [...this.probedAt.values()];
    this.lastSeen.clear();
    this.probedAt.clear();
    await runMultiRow(sql, 'WITH seen (id, at) AS (', 2, seen, ') UPDATE agents SET last_seen_at = seen.at FROM seen WHERE agents.id = seen.id');
    await runMultiRow(sql, 'WITH probed (agent_id, device_id, at) AS (', 3, probed,
      ') UPDATE devices SET probed_at = probed.at FROM probed WHERE devices.agent_id = probed.agent_id AND devices.device_id = probed.device_id');
  }
}

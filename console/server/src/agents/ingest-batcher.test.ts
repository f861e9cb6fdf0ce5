import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentMessage } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase, type SqlConnection } from '../db/console-database';
import { recordingLogger } from '../test-support/console-harness';
import { ChangeBus, type ChangeSet } from '../tickets/change-set';
import { TicketEngine } from '../tickets/ticket-engine';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { AgentMessageHandler, type AppliedMessage } from './agent-message-handler';
import { AgentRegistry } from './agent-registry';
import { IngestBatcher, type IngestBatcherOptions } from './ingest-batcher';

let clock = new Date('2026-11-22T10:00:00.000Z');
const now = () => clock;
let dir: string;
let db: ConsoleDatabase;
let registry: AgentRegistry;
let engine: TicketEngine;
let published: ChangeSet[];
let logger: ReturnType<typeof recordingLogger>;
let batcher: IngestBatcher | undefined;

beforeEach(async () => {
  clock = new Date('2026-11-22T10:00:00.000Z');
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-ingest-'));
  db = await openConsoleDatabase(dir);
  registry = new AgentRegistry(db, now);
  engine = new TicketEngine(now);
  published = [];
  logger = recordingLogger();
});

afterEach(async () => {
  await batcher?.close();
  batcher = undefined;
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

function createBatcher(overrides: Partial<IngestBatcherOptions> = {}): IngestBatcher {
  const bus = new ChangeBus(logger);
  bus.subscribe((changes) => void published.push(changes));
  batcher = new IngestBatcher({ db, registry, handler: new AgentMessageHandler(registry, engine, now), engine, bus, logger, now, ...overrides });
  return batcher;
}

async function enrollAgents(count: number): Promise<string[]> {
  const { token } = await registry.createEnrollmentToken({ note: '', maxUses: count, ttlHours: 1 }, null);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push((await registry.enroll({ token, storeId: 'store-1', registerId: `till-${index}`, hostname: 'h' })).agentId);
  }
  return ids;
}

const count = async (sql: SqlConnection, query: string, ...params: unknown[]) => (await sql.get<{ n: number }>(query, ...params))?.n;

describe('ingest batcher', () => {
  it('applies everything that arrived together in one transaction and acks each message after it', async () => {
    const agents = await enrollAgents(40);
    const ingest = createBatcher();
    const acks = await Promise.all(agents.map((agentId, index) => ingest.submit(agentId, healthMessage(`h-${index}`, [printerReport()]))));
    expect(acks).toEqual(agents.map((_, index) => ({ ackOf: `h-${index}`, ok: true })));
    expect(ingest.stats()).toMatchObject({ batches: 1, messages: 40, fastPathMessages: 40, failedMessages: 0 });
    expect(await count(db.sql, 'SELECT COUNT(*) AS n FROM device_reports')).toBe(40);
    expect(await count(db.sql, 'SELECT COUNT(*) AS n FROM processed_messages')).toBe(40);
    expect(await db.sql.get('SELECT health, codes_json, model FROM devices WHERE agent_id = ?', agents[3])).toEqual({ health: 'ok', codes_json: '[]', model: 'TM-T20III' });
  });

  it('answers a resent message with the same ack and without applying it again, across and within batches', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher();
    expect(await ingest.submit(agentId, healthMessage('h-1', [printerReport()]))).toEqual({ ackOf: 'h-1', ok: true });
    const [again, twin1, twin2] = await Promise.all([
      ingest.submit(agentId, healthMessage('h-1', [printerReport()])),
      ingest.submit(agentId, healthMessage('h-2', [printerReport()])),
      ingest.submit(agentId, healthMessage('h-2', [printerReport()])),
    ]);
    expect([again, twin1, twin2]).toEqual([{ ackOf: 'h-1', ok: true }, { ackOf: 'h-2', ok: true }, { ackOf: 'h-2', ok: true }]);
    expect(await count(db.sql, 'SELECT COUNT(*) AS n FROM processed_messages')).toBe(2);
    expect(ingest.stats().duplicates).toBe(2);
  });

  it('sends a register with an open device ticket through the ticket rules, so a quiet report resolves it', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher();
    await ingest.submit(agentId, healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    expect(await db.sql.get("SELECT status FROM tickets WHERE code = 'printer.paper_end'")).toEqual({ status: 'open' });
    await ingest.submit(agentId, healthMessage('h-2', [printerReport()]));
    expect(await db.sql.get("SELECT status, auto_resolved FROM tickets WHERE code = 'printer.paper_end'")).toEqual({ status: 'resolved', auto_resolved: 1 });
    expect(ingest.stats().fastPathMessages).toBe(0);
  });

  it('drops a register from the quiet fast path as soon as a fault goes through the ticket rules', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher();
    await ingest.submit(agentId, healthMessage('quiet-1', [printerReport()]));
    await ingest.submit(agentId, healthMessage('quiet-2', [printerReport()])); // from the cached state
    await ingest.submit(agentId, healthMessage('fault', [printerReport({ findings: [PAPER_END] })]));
    await ingest.submit(agentId, healthMessage('quiet-3', [printerReport()]));
    expect(await db.sql.get("SELECT status, auto_resolved FROM tickets WHERE code = 'printer.paper_end'")).toEqual({ status: 'resolved', auto_resolved: 1 });
    expect(await db.sql.get('SELECT health, codes_json FROM devices WHERE agent_id = ?', agentId)).toEqual({ health: 'ok', codes_json: '[]' });
    expect(ingest.stats().fastPathMessages).toBe(2);
    // Resolved: the register is quiet again, and back on the fast path.
    await ingest.submit(agentId, healthMessage('quiet-4', [printerReport()]));
    expect(ingest.stats().fastPathMessages).toBe(3);
  });

  it('keeps one agent\'s messages in order when one of them needs the ticket rules', async () => {
    const [agentId, other] = await enrollAgents(2) as [string, string];
    const ingest = createBatcher();
    await Promise.all([
      ingest.submit(agentId, healthMessage('quiet-1', [printerReport({ probedAt: '2026-11-22T09:59:00.000Z' })])),
      ingest.submit(agentId, healthMessage('fault-2', [printerReport({ findings: [PAPER_END] })])),
      ingest.submit(other, healthMessage('quiet-3', [printerReport()])),
    ]);
    expect(await db.sql.get('SELECT health FROM devices WHERE agent_id = ?', agentId)).toEqual({ health: 'fault' });
    expect(await count(db.sql, "SELECT COUNT(*) AS n FROM tickets WHERE status = 'open'")).toBe(1);
    expect(ingest.stats()).toMatchObject({ batches: 1, fastPathMessages: 1 });
  });

  it('rolls back only the message whose effect failed, leaves it unacked, and acks the rest of the batch', async () => {
    const [agentId, other] = await enrollAgents(2) as [string, string];
    const real = new AgentMessageHandler(registry, engine, now);
    const failing = Object.assign(Object.create(real) as AgentMessageHandler, {
      async apply(sql: SqlConnection, id: string, message: AgentMessage, changes: ChangeSet): Promise<AppliedMessage> {
        const applied = await real.apply(sql, id, message, changes);
        if (message.id === 'boom') throw new Error('disk hiccup after the effect');
        return applied;
      },
    });
    const ingest = createBatcher({ handler: failing });
    const [boom, fine] = await Promise.all([
      ingest.submit(agentId, healthMessage('boom', [printerReport({ findings: [PAPER_END] })])),
      ingest.submit(other, helloMessage('hello-ok')),
    ]);
    expect(boom).toBeUndefined();
    expect(fine).toEqual({ ackOf: 'hello-ok', ok: true });
    expect(await count(db.sql, 'SELECT COUNT(*) AS n FROM tickets')).toBe(0);
    expect(await count(db.sql, "SELECT COUNT(*) AS n FROM processed_messages WHERE msg_id = 'boom'")).toBe(0);
    expect(logger.errors.join('\n')).toContain('left unacked');
    // The resend, once the fault is gone, is applied normally.
    const retry = createBatcher();
    expect(await retry.submit(agentId, healthMessage('boom', [printerReport({ findings: [PAPER_END] })]))).toEqual({ ackOf: 'boom', ok: true });
    expect(await count(db.sql, 'SELECT COUNT(*) AS n FROM tickets')).toBe(1);
    await ingest.close();
  });

  it('leaves the whole batch unacked when the transaction cannot commit', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const brokenDb: ConsoleDatabase = { ...db, write: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) };
    const ingest = createBatcher({ db: brokenDb });
    expect(await ingest.submit(agentId, healthMessage('h-1', [printerReport()]))).toBeUndefined();
    expect(ingest.stats().failedMessages).toBe(1);
    expect(logger.errors.join('\n')).toContain('SQLITE_FULL');
    await ingest.close();
    batcher = undefined;
  });

  it('keeps a report in the history when the state changed, and otherwise one snapshot an hour', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher();
    const kept = async () => (await db.sql.all<{ msg_id: string }[]>('SELECT msg_id FROM device_reports ORDER BY id')).map((row) => row.msg_id);
    await ingest.submit(agentId, healthMessage('first', [printerReport()]));
    clock = new Date('2026-11-22T10:00:30.000Z');
    await ingest.submit(agentId, healthMessage('same', [printerReport()]));
    clock = new Date('2026-11-22T10:01:00.000Z');
    await ingest.submit(agentId, healthMessage('fault', [printerReport({ findings: [PAPER_END] })]));
    clock = new Date('2026-11-22T10:01:30.000Z');
    await ingest.submit(agentId, healthMessage('fault-again', [printerReport({ findings: [PAPER_END] })]));
    clock = new Date('2026-11-22T10:02:00.000Z');
    await ingest.submit(agentId, healthMessage('recovered', [printerReport()]));
    clock = new Date('2026-11-22T10:59:00.000Z');
    await ingest.submit(agentId, healthMessage('quiet-hour', [printerReport()]));
    clock = new Date('2026-11-22T11:02:00.000Z');
    await ingest.submit(agentId, healthMessage('snapshot', [printerReport()]));
    expect(await kept()).toEqual(['first', 'fault', 'recovered', 'snapshot']);
    expect(await db.sql.get('SELECT health, probed_at, history_at FROM devices')).toEqual({ health: 'ok', probed_at: '2026-11-22T10:00:00.000Z', history_at: '2026-11-22T11:02:00.000Z' });
  });

  it('keeps last seen in memory and writes it with a later batch', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher({ lastSeenFlushMs: 0 });
    await ingest.submit(agentId, healthMessage('h-1', [printerReport()]));
    expect(await db.sql.get('SELECT last_seen_at FROM agents WHERE id = ?', agentId)).toEqual({ last_seen_at: '2026-11-22T10:00:00.000Z' });
  });

  it('records connects and disconnects, the last one of an agent standing, and recovers an offline ticket', async () => {
    const [agentId] = await enrollAgents(1) as [string];
    const ingest = createBatcher();
    const changes = { tickets: new Set<number>(), ticketStatuses: new Set<number>(), registers: new Set<string>() } as unknown as ChangeSet;
    await db.write((sql) => engine.openOfflineTicket(sql, agentId, '2026-11-22T09:00:00.000Z', Object.assign(changes, { ticketChanged: () => undefined })));
    await Promise.all([ingest.connection(agentId, false), ingest.connection(agentId, true)]);
    expect(await db.sql.get('SELECT connected, disconnected_at FROM agents WHERE id = ?', agentId)).toEqual({ connected: 1, disconnected_at: null });
    expect(await db.sql.get("SELECT status FROM tickets WHERE code = 'agent.offline'")).toEqual({ status: 'resolved' });
    await ingest.connection(agentId, false);
    expect(await db.sql.get('SELECT connected FROM agents WHERE id = ?', agentId)).toEqual({ connected: 0 });
    expect(published.some((set) => set.registers.has(agentId))).toBe(true);
  });

  it('reports overload above the high-water mark and calls drained listeners once it empties', async () => {
    const agents = await enrollAgents(6);
    const ingest = createBatcher({ highWater: 4, maxBatch: 2 });
    let drained = 0;
    ingest.onDrained(() => {
      drained += 1;
    });
    const pending = agents.map((agentId, index) => ingest.submit(agentId, healthMessage(`h-${index}`, [printerReport()])));
    expect(ingest.overloaded).toBe(true);
    await Promise.all(pending);
    expect(ingest.overloaded).toBe(false);
    expect(drained).toBeGreaterThan(0);
    expect(ingest.stats()).toMatchObject({ batches: 3, largestBatch: 2 });
  });
});

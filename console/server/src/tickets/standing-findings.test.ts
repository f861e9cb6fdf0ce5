import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceReport } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentMessageHandler } from '../agents/agent-message-handler';
import { AgentRegistry } from '../agents/agent-registry';
import { IngestBatcher } from '../agents/ingest-batcher';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { recordingLogger } from '../test-support/console-harness';
import { finding, fiscalReport, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { ChangeBus, ChangeSet } from './change-set';
import { TicketEngine } from './ticket-engine';

// A standing finding (the same code and detail with every report) through the real ingest path
// into a real SQLite file: what a repeat changes, what it publishes, and what it costs in statements.

const DAY = 86_400_000;
let clock = new Date('2026-11-22T10:00:00.000Z');
const now = () => clock;
const inDays = (days: number) => new Date(clock.getTime() + days * DAY).toISOString();
let dir: string;
let db: ConsoleDatabase;
let registry: AgentRegistry;
let published: ChangeSet[];
let batcher: IngestBatcher;
let bus: ChangeBus;
let seq = 0;

beforeEach(async () => {
  clock = new Date('2026-11-22T10:00:00.000Z');
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-standing-'));
  db = await openConsoleDatabase(dir);
  registry = new AgentRegistry(db, now);
  const engine = new TicketEngine(now);
  const logger = recordingLogger();
  bus = new ChangeBus(logger);
  published = [];
  bus.subscribe((changes) => void published.push(changes));
  batcher = new IngestBatcher({ db, registry, handler: new AgentMessageHandler(registry, engine, now), engine, bus, logger, now });
});

afterEach(async () => {
  await batcher.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function enroll(count: number): Promise<string[]> {
  const { token } = await registry.createEnrollmentToken({ note: '', maxUses: count, ttlHours: 1 }, null);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await registry.enroll({ token, storeId: 'store-1', registerId: `till-${index}`, hostname: 'h' })).agentId);
  return ids;
}

/** One batch: every register sends its reports at once; returns what the batch published (nothing: an empty set). */
async function send(reports: [agentId: string, devices: DeviceReport[]][]): Promise<ChangeSet> {
  const before = published.length;
  const acks = await Promise.all(reports.map(([agentId, devices]) => batcher.submit(agentId, healthMessage(`h-${++seq}`, devices))));
  await bus.settled();
  expect(acks.every((ack) => ack?.ok)).toBe(true);
  expect(published.length).toBeLessThanOrEqual(before + 1);
  return published.length > before ? published.at(-1)! : new ChangeSet();
}

const paperEnd = (elapsedMs: number, detail = PAPER_END.detail): DeviceReport => {
  const report = printerReport({ findings: [finding('printer.paper_end', detail)] });
  return { ...report, evidence: { ...report.evidence, exchanges: report.evidence.exchanges.map((exchange) => ({ ...exchange, elapsedMs })) } };
};

const ticketRow = (agentId: string) => db.sql.get<{ id: number; occurrences: number; updated_at: string; evidence_json: string; detail: string }>(
  "SELECT id, occurrences, updated_at, evidence_json, detail FROM tickets WHERE agent_id = ? AND code = 'printer.paper_end'", agentId,
);
const timeline = async (ticketId: number) => (await db.sql.all<{ kind: string }[]>('SELECT kind FROM ticket_events WHERE ticket_id = ? ORDER BY id', ticketId)).map((event) => event.kind);

describe('standing findings', () => {
  it('a repeat counts and keeps the latest evidence, but neither moves updated_at nor is published; a new detail is', async () => {
    const [agentId] = await enroll(1) as [string];
    await send([[agentId, [paperEnd(12)]]]);
    const opened = (await ticketRow(agentId))!;

    clock = new Date('2026-11-22T10:05:00.000Z');
    const repeat = await send([[agentId, [paperEnd(99)]]]);
    const repeated = (await ticketRow(agentId))!;
    expect(repeated).toMatchObject({ occurrences: 2, updated_at: opened.updated_at, detail: PAPER_END.detail });
    expect(JSON.parse(repeated.evidence_json).exchanges[0].elapsedMs).toBe(99);
    expect(repeat.isEmpty).toBe(true); // the register's state did not change either

    clock = new Date('2026-11-22T10:10:00.000Z');
    const changed = await send([[agentId, [paperEnd(7, 'paper end, second roll too')]]]);
    expect(await ticketRow(agentId)).toMatchObject({ occurrences: 3, updated_at: clock.toISOString(), detail: 'paper end, second roll too' });
    expect([...changed.tickets]).toEqual([opened.id]);
    expect(await timeline(opened.id)).toEqual(['opened', 'finding_changed']);
    expect(batcher.stats().standingMessages).toBe(2);
  });

  it('one register\'s messages in one batch apply in order: a new detail is noted once, its repeat only counted', async () => {
    const [agentId] = await enroll(1) as [string];
    await send([[agentId, [paperEnd(12)]]]);
    const opened = (await ticketRow(agentId))!;
    clock = new Date('2026-11-22T10:05:00.000Z');
    const changes = await send([[agentId, [paperEnd(20, 'new detail')]], [agentId, [paperEnd(30, 'new detail')]]]);
    expect(batcher.stats().standingMessages).toBe(2);
    const row = (await ticketRow(agentId))!;
    expect(row).toMatchObject({ occurrences: 3, detail: 'new detail', updated_at: clock.toISOString() });
    expect(JSON.parse(row.evidence_json).exchanges[0].elapsedMs).toBe(30);
    expect(await timeline(opened.id)).toEqual(['opened', 'finding_changed']);
    expect([...changes.tickets]).toEqual([opened.id]);
  });

  it('the ticket rules (another device needs them) count a repeat the same way', async () => {
    const [agentId] = await enroll(1) as [string];
    await send([[agentId, [paperEnd(12)]]]);
    const opened = (await ticketRow(agentId))!;
    clock = new Date('2026-11-22T10:05:00.000Z');
    const drawer = printerReport({ deviceId: 'printer-2', findings: [finding('printer.cover_open')] });
    const changes = await send([[agentId, [paperEnd(99), drawer]]]);
    expect(await ticketRow(agentId)).toMatchObject({ occurrences: 2, updated_at: opened.updated_at });
    const coverTicket = await db.sql.get<{ id: number }>("SELECT id FROM tickets WHERE code = 'printer.cover_open'");
    expect([...changes.tickets]).toEqual([coverTicket!.id]);
    expect(batcher.stats().standingMessages).toBe(0);
  });

  it('repeats of many registers cost the same statements as those of one', async () => {
    const agents = await enroll(21);
    const [single, ...many] = agents as [string, ...string[]];
    await send(agents.map((agentId) => [agentId, [paperEnd(12)]]));
    const statements: string[] = [];
    db.sql.getDatabaseInstance().on('trace', (statement: string) => statements.push(statement));
    // sqlite3 delivers trace events asynchronously, after the statement's own callback: a fence
    // statement's trace arriving means every earlier one has, so a count never mixes two sends.
    const tracedSince = async (): Promise<number> => {
      const fence = `SELECT 'fence ${statements.length}'`;
      await db.sql.get(fence);
      await vi.waitFor(() => expect(statements).toContain(fence));
      // SQLite traces each row's trigger check as "-- TRIGGER name" even when its WHEN is false:
      // that is per-row bookkeeping, not a statement; a trigger BODY running per repeat would
      // show as its own statement and fail the count.
      return statements.splice(0).filter((statement) => !statement.startsWith("SELECT 'fence") && !statement.startsWith('-- TRIGGER')).length;
    };
    await tracedSince();
    await send([[single, [paperEnd(13)]]]);
    const forOne = await tracedSince();
    await send(many.map((agentId) => [agentId, [paperEnd(14)]]));
    expect(await tracedSince()).toBe(forOne);
    expect((await ticketRow(many[19]!))!.occurrences).toBe(2);
    expect(batcher.stats().standingMessages).toBe(21);
  });

  it('a fiscal repeat whose blocking date moves re-evaluates the ticket\'s deadline and publishes it', async () => {
    const [agentId] = await enroll(1) as [string];
    const archive = finding('fiscal.fn_archive_90', 'FN warning flag: archive 90 % full');
    await send([[agentId, [fiscalReport({ fiscal: { fn: { validUntil: inDays(200) } }, findings: [archive] })]]]);
    const ticket = (await db.sql.get<{ id: number; priority: number }>("SELECT id, priority FROM tickets WHERE code = 'fiscal.fn_archive_90'"))!;
    expect(ticket.priority).toBeGreaterThan(1);

    clock = new Date(clock.getTime() + 60_000);
    // 29 days unsent: the OFD lock is a day away.
    const changes = await send([[agentId, [fiscalReport({ fiscal: { fn: { validUntil: inDays(200) }, ofd: { unsentCount: 4, firstUnsentAt: inDays(-29) } }, findings: [archive] })]]]);
    expect(batcher.stats().standingMessages).toBe(1);
    expect(await db.sql.get('SELECT priority, occurrences FROM tickets WHERE id = ?', ticket.id)).toEqual({ priority: 1, occurrences: 2 });
    expect(await timeline(ticket.id)).toEqual(['opened', 'deadline_changed']);
    expect([...changes.tickets]).toEqual([ticket.id]);
  });
});

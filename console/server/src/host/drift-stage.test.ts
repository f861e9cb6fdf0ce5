import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SLA_BY_SEVERITY, type DeviceReport, type ReferenceRequest } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentMessageHandler } from '../agents/agent-message-handler';
import { AgentRegistry } from '../agents/agent-registry';
import { IngestBatcher } from '../agents/ingest-batcher';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { recordingLogger } from '../test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { ChangeBus } from '../tickets/change-set';
import { TicketEngine } from '../tickets/ticket-engine';
import { hostReport, hostReports, referenceSpec, registerFacts } from './host-fixtures';
import { registerHost } from './host-views';
import { ReferenceBook } from './reference-book';
import { referenceDetail } from './reference-store';

// The drift ticket stage through the real ingest batcher (host reports without findings take its
// fast path) into a real SQLite file, with the reference book the routes use.

let clock = new Date('2026-11-22T10:00:00.000Z');
const now = () => clock;
const later = (minutes: number) => void (clock = new Date(clock.getTime() + minutes * 60_000));
let dir: string;
let db: ConsoleDatabase;
let registry: AgentRegistry;
let engine: TicketEngine;
let batcher: IngestBatcher;
let book: ReferenceBook;
let agentId: string;
let seq = 0;

beforeEach(async () => {
  clock = new Date('2026-11-22T10:00:00.000Z');
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-drift-'));
  db = await openConsoleDatabase(dir);
  registry = new AgentRegistry(db, now);
  engine = new TicketEngine(now);
  const logger = recordingLogger();
  const bus = new ChangeBus(logger);
  batcher = new IngestBatcher({ db, registry, handler: new AgentMessageHandler(registry, engine, now), engine, bus, logger, now });
  book = new ReferenceBook(db, engine, bus, now);
  const { token } = await registry.createEnrollmentToken({ note: '', maxUses: 2, ttlHours: 1 }, null);
  agentId = (await registry.enroll({ token, storeId: 'store-1', registerId: 'till-1', hostname: 'h' })).agentId;
});

afterEach(async () => {
  await batcher.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function send(devices: DeviceReport[], to = agentId): Promise<void> {
  const ack = await batcher.submit(to, healthMessage(`h-${++seq}`, devices));
  expect(ack?.ok).toBe(true);
}

const JAZZ: ReferenceRequest = { name: 'Jazz 2', scope: { machineModel: 'Jazz 2', storeIds: [] }, spec: referenceSpec() };

async function driftTickets() {
  return db.sql.all<{ id: number; status: string; device_id: string; group_name: string; severity: string; detail: string; occurrences: number }[]>(
    "SELECT id, status, device_id, group_name, severity, detail, occurrences FROM tickets WHERE code = 'host.drift_from_reference' ORDER BY id",
  );
}
async function events(ticketId: number): Promise<string[]> {
  return (await db.sql.all<{ kind: string }[]>('SELECT kind FROM ticket_events WHERE ticket_id = ? ORDER BY id', ticketId)).map((row) => row.kind);
}

/** The register's facts with one change, sent as its four host reports. */
async function sendFacts(change: (facts: ReturnType<typeof registerFacts>) => void = () => undefined): Promise<void> {
  const facts = registerFacts();
  change(facts);
  await send(hostReports(facts, clock.toISOString()));
}
const newDriver = (facts: ReturnType<typeof registerFacts>) => void (facts.print.drivers[0]!.version = '5.13.0.0');

describe('host sections on ingest', () => {
  it('stores each section from host reports on the fast path, the last to arrive standing (a clock set back does not freeze it)', async () => {
    await sendFacts();
    expect(batcher.stats().fastPathMessages).toBe(1);
    const host = await registerHost(db.sql, agentId);
    expect(host.print?.facts.drivers[0]?.version).toBe('5.12.0.0');
    expect(host.print?.driver).toBe('host-print');
    expect(host.os?.facts.machine?.model).toBe('Jazz 2');
    expect(host.clock).toBeNull();
    expect(host.drift).toBeNull(); // no reference yet

    const setBack = registerFacts();
    newDriver(setBack);
    await send([hostReport(setBack.print, { probedAt: '2026-11-22T09:00:00.000Z' })]);
    expect((await registerHost(db.sql, agentId)).print).toMatchObject({ reportedAt: '2026-11-22T09:00:00.000Z', facts: { drivers: [{ version: '5.13.0.0' }, {}] } });
  });
});

describe('the drift ticket', () => {
  it('opens one ticket when the register drifts, notes drift_changed when the differences change, and resolves itself when it matches again', async () => {
    await sendFacts();
    const created = await book.create(JAZZ, 'admin');
    expect(created).toMatchObject({ matching: 1, differing: 0, unknown: 0 });
    expect(await driftTickets()).toEqual([]);

    await sendFacts(newDriver);
    const [opened] = await driftTickets();
    expect(opened).toMatchObject({ status: 'open', device_id: 'reference', group_name: 'pos_software', severity: 'minor', occurrences: 1 });
    expect(opened!.detail).toContain('driver version: EPSON TM-T20II Receipt5 (expected 5.12.0.0, actual 5.13.0.0)');
    expect((await registerHost(db.sql, agentId)).drift?.differences).toEqual([
      { kind: 'driver_version', subject: 'EPSON TM-T20II Receipt5', expected: '5.12.0.0', actual: '5.13.0.0' },
    ]);

    await sendFacts(newDriver); // the same differences: nothing changes on the ticket
    expect(await events(opened!.id)).toEqual(['opened']);

    await sendFacts((facts) => {
      newDriver(facts);
      facts.print.services[0]!.startMode = 'disabled';
    });
    const [changed] = await driftTickets();
    expect(changed!.id).toBe(opened!.id);
    expect(changed!.detail).toMatch(/^2 differences/);
    expect(await events(opened!.id)).toEqual(['opened', 'drift_changed']);
    expect(await referenceDetail(db.sql, created.id)).toMatchObject({ matching: 0, differing: 1 });

    await sendFacts();
    expect(await driftTickets()).toMatchObject([{ id: opened!.id, status: 'resolved' }]);
    expect(await events(opened!.id)).toEqual(['opened', 'drift_changed', 'recovered', 'auto_resolved']);
  });

  it('keeps the last differences of a part it could not check this time (a hung tool is no fix)', async () => {
    await book.create(JAZZ, 'admin');
    await sendFacts(newDriver);
    await sendFacts((facts) => {
      facts.print.drivers = [];
      facts.print.unchecked = [{ fact: 'drivers', reason: 'Get-PrinterDriver timed out' }];
    });
    expect(await driftTickets()).toMatchObject([{ status: 'open' }]);
    const drift = (await registerHost(db.sql, agentId)).drift;
    expect(drift?.unchecked).toEqual(['print.drivers']);
    expect(drift?.differences.map((difference) => difference.kind)).toEqual(['driver_version']);
  });

  it('is not recovered by a device report, even from a device its config happens to call "reference"', async () => {
    await book.create(JAZZ, 'admin');
    await sendFacts(newDriver);
    // The paper-end finding sends the message through the ticket rules (not the quiet path).
    await send([printerReport({ deviceId: 'reference' }), printerReport({ findings: [PAPER_END] })]);
    expect(await driftTickets()).toMatchObject([{ status: 'open' }]);
  });

  it('keeps the reference chosen by machine model when a report could not read the model', async () => {
    await book.create(JAZZ, 'admin');
    await sendFacts(newDriver);
    await sendFacts((facts) => {
      newDriver(facts);
      delete facts.os.machine;
      facts.os.unchecked = [{ fact: 'machine', reason: 'systeminformation: timed out' }];
    });
    expect(await driftTickets()).toMatchObject([{ status: 'open' }]);
    expect((await registerHost(db.sql, agentId)).drift?.referenceName).toBe('Jazz 2');
  });

  it('reopens the ticket that resolved itself when drift returns within 10 minutes', async () => {
    await book.create(JAZZ, 'admin');
    await sendFacts(newDriver);
    await sendFacts();
    later(5);
    await sendFacts(newDriver);
    const tickets = await driftTickets();
    expect(tickets).toMatchObject([{ status: 'open', occurrences: 2 }]);
    expect(await events(tickets[0]!.id)).toEqual(['opened', 'recovered', 'auto_resolved', 'reopened']);
  });

  it('compares again when a reference is edited or deleted: the ticket recovers, or follows the reference that applies now', async () => {
    await sendFacts(newDriver);
    const storeRef = await book.create({ name: 'Store 1', scope: { storeIds: ['store-1'] }, spec: referenceSpec() }, 'admin');
    expect(await driftTickets()).toMatchObject([{ status: 'open' }]);
    // A less specific model reference that accepts the new driver takes over once the store one goes.
    const modelRef = await book.create({ ...JAZZ, spec: { ...referenceSpec(), drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.13.0.0' }] } }, 'admin');
    expect(modelRef).toMatchObject({ matching: 0, differing: 0, registers: [] });
    expect(await book.remove(storeRef.id)).toBe(true);
    expect(await referenceDetail(db.sql, modelRef.id)).toMatchObject({ matching: 1, registers: [{ agentId, differences: [] }] });
    expect(await driftTickets()).toMatchObject([{ status: 'resolved' }]);

    // Editing the reference back to the old version makes the register drift again (a new ticket: the
    // old one resolved more than 10 minutes ago).
    later(15);
    await book.update(modelRef.id, JAZZ);
    expect(await driftTickets()).toMatchObject([{ status: 'resolved' }, { status: 'open' }]);
    expect(await book.remove(modelRef.id)).toBe(true);
    expect(await driftTickets()).toMatchObject([{ status: 'resolved' }, { status: 'resolved' }]);
    expect((await registerHost(db.sql, agentId)).drift).toBeNull();
  });

  it('counts a register the reference applies to before it reported host facts as unknown', async () => {
    const created = await book.create({ name: 'Store 1', scope: { storeIds: ['store-1'] }, spec: referenceSpec() }, 'admin');
    expect(created).toMatchObject({ matching: 0, differing: 0, unknown: 1, registers: [{ agentId, differences: null, comparedAt: null }] });
    expect((await registerHost(db.sql, agentId)).drift?.unchecked).toEqual(['os', 'print.drivers', 'print.services', 'pos.apps', 'pos.fiscalStack', 'pos.configFiles', 'peripherals']);
    await sendFacts();
    expect(await referenceDetail(db.sql, created.id)).toMatchObject({ matching: 1, unknown: 0 });

    // A register enrolled in that store later counts as soon as it says hello.
    const { token } = await registry.createEnrollmentToken({ note: '', maxUses: 1, ttlHours: 1 }, null);
    const newcomer = (await registry.enroll({ token, storeId: 'store-1', registerId: 'till-9', hostname: 'h' })).agentId;
    expect(await batcher.submit(newcomer, helloMessage(`hello-${++seq}`))).toMatchObject({ ok: true });
    expect(await referenceDetail(db.sql, created.id)).toMatchObject({ matching: 1, unknown: 1, registers: [{ agentId }, { agentId: newcomer, differences: null }] });
  });

  it('promotes a register: its current state becomes a reference it matches', async () => {
    await sendFacts();
    const promoted = await book.promote({ agentId, name: 'From till-1', scope: { machineModel: 'JAZZ 2', storeIds: [] } }, 'admin');
    if (typeof promoted === 'string') throw new Error(promoted);
    expect(promoted.spec).toEqual({
      ...referenceSpec(),
      drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0' }, { name: 'Microsoft Print To PDF', version: '10.0.19041.1' }],
      posApps: [{ id: 'frontol', version: '6.21.1' }],
    });
    expect(promoted).toMatchObject({ matching: 1, createdBy: 'admin' });
    expect(await book.promote({ agentId: 'nobody', name: 'x', scope: { storeIds: ['s'] } }, 'admin')).toBe('unknown_register');

    // A service caught crashing is not a state to expect: only its start mode is kept.
    await sendFacts((facts) => void (facts.print.services[0]!.state = 'crashing'));
    const crashing = await book.promote({ agentId, name: 'Crashing', scope: { storeIds: ['store-1'] } }, 'admin');
    if (typeof crashing === 'string') throw new Error(crashing);
    expect(crashing.spec.services).toEqual([{ name: 'Spooler', startMode: 'auto' }]);
  });
});

describe('Finding.severity', () => {
  it('sets the severity, priority and SLA of the ticket it opens', async () => {
    const detached = { code: 'host.device_detached' as const, detail: 'Epson TM-T20II (04b8:0e15) detached during trading hours', severity: 'critical' as const };
    await send([hostReport(registerFacts().peripherals, { findings: [detached] })]);
    const ticket = await db.sql.get<{ severity: string; priority: number; opened_at: string; react_by: string }>(
      "SELECT severity, priority, opened_at, react_by FROM tickets WHERE code = 'host.device_detached'",
    );
    expect(ticket).toMatchObject({ severity: 'critical', priority: SLA_BY_SEVERITY.critical.priority });
    expect(Date.parse(ticket!.react_by) - Date.parse(ticket!.opened_at)).toBe(SLA_BY_SEVERITY.critical.reactMinutes * 60_000);
  });
});

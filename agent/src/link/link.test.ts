import { PROTOCOL_VERSION, type CashierReport } from '@tillscope/shared';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../credential-store';
import { recordingLogger } from '../logger';
import { openOutbox, type Outbox } from '../outbox/outbox';
import { fakeHealth as health } from '../probe-loop/fake-driver';
import { waitFor } from '../test-support/wait-for';
import { startFakeConsoleServer, testLinkOptions, type FakeConsoleServer } from './fake-console-server';
import { createLink, type Link, type LinkOptions } from './link';

function cashier(): CashierReport {
  return {
    v: PROTOCOL_VERSION,
    type: 'cashier_report',
    id: randomUUID(),
    ts: new Date().toISOString(),
    payload: { symptom: 'other', note: '', locale: 'ru', reportedAt: new Date().toISOString(), diagnosis: [] },
  };
}

let dir: string;
let outbox: Outbox;
let server: FakeConsoleServer | undefined;
const links: Link[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'link-'));
  outbox = await openOutbox({ file: path.join(dir, 'agent.db') });
});
afterEach(async () => {
  for (const link of links.splice(0)) await link.stop();
  await server?.close();
  server = undefined;
  await outbox.close();
  await rm(dir, { recursive: true, force: true });
});

function link(overrides: Partial<LinkOptions> = {}): Link {
  const created = createLink({ ...testLinkOptions(server!, dir, outbox), backoff: { baseMs: 10, capMs: 50 }, ...overrides });
  links.push(created);
  created.start();
  return created;
}

const ofType = (type: string) => server!.frames.filter((f) => f.type === type);

describe('link', () => {
  it('enrolls once, stores the credential 0600, says hello, flushes the outbox and deletes on ack', async () => {
    server = await startFakeConsoleServer();
    const messages = [health(), cashier(), health()];
    for (const m of messages) await outbox.enqueue(m);
    const first = link();
    await waitFor('outbox drained', async () => (await outbox.pending(10)).length === 0);
    expect(server.frames[0]!.type).toBe('hello');
    // The cashier report goes first (outbox: cashier reports most urgent first, then the rest oldest first).
    expect(server.frames.slice(1).map((f) => f.id)).toEqual([messages[1]!.id, messages[0]!.id, messages[2]!.id]);
    expect(server.enrollments).toEqual([{ token: 'enroll-token-1', storeId: 'store-1', registerId: 'till-1', hostname: 'till-1.local' }]);
    const stored = await createCredentialStore(dir).load();
    expect(server.upgrades.at(-1)!.authorization).toBe(`Bearer ${stored!.credential}`);
    if (process.platform !== 'win32') expect((await stat(path.join(dir, 'credential.json'))).mode & 0o777).toBe(0o600);
    expect(first.isConnected()).toBe(true);
    await first.stop();

    // A restart reuses the stored credential instead of spending the token again.
    link();
    await waitFor('second hello', () => ofType('hello').length === 2);
    expect(server.enrollments).toHaveLength(1);
  });

  it('reconnects after the server goes away and resends unacked messages with the same ids', async () => {
    server = await startFakeConsoleServer({ autoAck: false });
    const port = server.port;
    const messages = [health(), cashier()];
    for (const m of messages) await outbox.enqueue(m);
    const l = link();
    await waitFor('both sent', () => server!.frames.length === 3);
    await server.close();
    await waitFor('disconnected', () => !l.isConnected());
    const tokenUsesBefore = server.enrollments.length;

    // The restarted server has forgotten credentials: the agent must re-enroll (401) and resend.
    server = await startFakeConsoleServer({ port, autoAck: false });
    await waitFor('resent after reconnect', () => ofType('health').length === 1 && ofType('cashier_report').length === 1);
    expect([...ofType('health'), ...ofType('cashier_report')].map((f) => f.id)).toEqual(messages.map((m) => m.id));
    expect(tokenUsesBefore).toBe(1);
    expect(server.upgrades.some((u) => u.status === 401)).toBe(true);
    expect(server.enrollments).toHaveLength(1);

    for (const m of messages) server.ack(m.id);
    await waitFor('outbox drained', async () => (await outbox.pending(10)).length === 0);
  });

  it('re-enrolls when the server rejects the credential with 401', async () => {
    server = await startFakeConsoleServer();
    link();
    await waitFor('connected', () => ofType('hello').length === 1);
    const oldCredential = (await createCredentialStore(dir).load())!.credential;
    server.revokeAll();
    server.dropClients();
    await waitFor('reconnected with a new credential', () => ofType('hello').length === 2);
    expect(server.enrollments).toHaveLength(2);
    const newCredential = (await createCredentialStore(dir).load())!.credential;
    expect(newCredential).not.toBe(oldCredential);
    expect(server.upgrades.at(-1)).toEqual({ authorization: `Bearer ${newCredential}`, status: 101 });
  });

  it('without a token, a 401 is logged clearly and retried, never thrown', async () => {
    server = await startFakeConsoleServer();
    await createCredentialStore(dir).save({ agentId: 'a', credential: 'revoked-credential', server: server.url });
    const logger = recordingLogger();
    link({ enrollmentToken: undefined, logger });
    await waitFor('several refused attempts', () => server!.upgrades.filter((u) => u.status === 401).length >= 3);
    expect(logger.lines.some((l) => l.startsWith('error link:') && l.includes('no enrollmentToken'))).toBe(true);
    expect(server.enrollments).toHaveLength(0);
  });

  it('logs a refused enrollment token and keeps retrying', async () => {
    server = await startFakeConsoleServer({ tokens: [] });
    const logger = recordingLogger();
    const l = link({ logger });
    await waitFor('retried enrollment', () => server!.enrollments.length >= 2);
    expect(logger.lines.some((line) => line.includes('enrollment refused') && line.includes('token_invalid'))).toBe(true);
    expect(l.isConnected()).toBe(false);
  });

  it('ignores garbage and malformed frames from the server and keeps working', async () => {
    server = await startFakeConsoleServer({ autoAck: false });
    const logger = recordingLogger();
    const l = link({ logger });
    await waitFor('connected', () => ofType('hello').length === 1);
    server.sendRaw('not json at all');
    server.sendRaw(Buffer.from([0xff, 0x00, 0x13]));
    server.sendRaw(JSON.stringify({ v: 1, type: 'ack', id: 'x', ts: new Date().toISOString(), payload: { ackOf: 42 } }));
    server.sendRaw(JSON.stringify({ v: 99, type: 'ack' }));
    server.sendRaw(JSON.stringify({ v: 1, type: 'surprise', id: 'y' }));
    server.sendRaw('[]');
    const m = health();
    await outbox.enqueue(m);
    l.notify();
    await waitFor('health sent', () => ofType('health').length === 1);
    server.ack(m.id);
    await waitFor('acked after the garbage', async () => (await outbox.pending(10)).length === 0);
    expect(l.isConnected()).toBe(true);
    expect(ofType('hello')).toHaveLength(1);
    expect(logger.lines.filter((line) => line.startsWith('warn link: ignored')).length).toBeGreaterThanOrEqual(5);
  });

  it('reconnects after the server closes with 1007', async () => {
    server = await startFakeConsoleServer();
    const logger = recordingLogger();
    link({ logger });
    await waitFor('connected', () => ofType('hello').length === 1);
    server.dropClients(1007, 'bad frame');
    await waitFor('reconnected', () => ofType('hello').length === 2);
    expect(logger.lines.some((l) => l.includes('1007'))).toBe(true);
  });

  it('logs a 4008 close (the agent did not read its socket) clearly and reconnects', async () => {
    server = await startFakeConsoleServer();
    const logger = recordingLogger();
    link({ logger });
    await waitFor('connected', () => ofType('hello').length === 1);
    server.dropClients(4008, 'too_slow: not reading acks; reconnect');
    await waitFor('reconnected', () => ofType('hello').length === 2);
    expect(logger.lines.some((l) => l.startsWith('warn link:') && l.includes('did not read its socket') && l.includes('4008'))).toBe(true);
  });

  it('answers probe_now with command_result and refuses verbs outside the allow-list', async () => {
    server = await startFakeConsoleServer();
    link();
    await waitFor('connected', () => ofType('hello').length === 1);
    server.send('command', { commandId: 'c-1', verb: 'probe_now' });
    server.send('command', { commandId: 'c-2', verb: 'run_shell', args: 'rm -rf /' });
    // A verb String() cannot print (it used to throw, and the command went unanswered).
    server.send('command', { commandId: 'c-3', verb: { toString: null } });
    await waitFor('three results', () => ofType('command_result').length === 3);
    const results = Object.fromEntries(ofType('command_result').map((f) => [f.payload.commandId, f.payload]));
    expect(results['c-1']).toMatchObject({ ok: true, devices: [{ deviceId: 'p1' }] });
    expect(results['c-2']).toMatchObject({ ok: false, code: 'unsupported' });
    expect(results['c-3']).toMatchObject({ ok: false, code: 'unsupported' });
  });

  it('applies ticket_update to the cashier report', async () => {
    server = await startFakeConsoleServer();
    const report = cashier();
    await outbox.enqueue(report);
    const ticket = { ticketId: 55, status: 'open', reactBy: new Date().toISOString(), reactMinutes: 15 };
    server.ticketFor = () => ticket as never;
    link();
    await waitFor('delivered', async () => (await outbox.cashierReport(report.id))?.ticket?.ticketId === 55);
    server.send('ticket_update', { reportId: report.id, ticket: { ...ticket, status: 'resolved' } });
    await waitFor('resolved', async () => (await outbox.cashierReport(report.id))?.ticket?.status === 'resolved');
  });

  it('terminates a silent connection after the heartbeat timeout and reconnects', async () => {
    server = await startFakeConsoleServer();
    const logger = recordingLogger();
    link({ heartbeatTimeoutMs: 100, logger });
    await waitFor('reconnected after silence', () => ofType('hello').length >= 2);
    expect(logger.lines.some((l) => l.includes('nothing heard from the server'))).toBe(true);
  });

  it('keeps retrying while nothing listens and stops cleanly', async () => {
    server = await startFakeConsoleServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const logger = recordingLogger();
    const l = createLink({
      server: url,
      storeId: 's',
      registerId: 'r',
      enrollmentToken: 'enroll-token-1',
      hostname: 'h',
      credentials: createCredentialStore(dir),
      outbox,
      hello: () => ({ agentVersion: 't', os: { platform: 'p', release: 'r', hostname: 'h' }, inventory: [], probeIntervalSec: 1 }),
      onCommand: async () => undefined,
      backoff: { baseMs: 5, capMs: 20 },
      logger,
    });
    l.start();
    await waitFor('several failed attempts', () => logger.lines.filter((line) => line.includes('cannot reach')).length >= 3);
    await l.stop();
    expect(l.isConnected()).toBe(false);
  });
});

// A real agent (outbox and command ledger on disk, WebSocket link to a fake console on loopback)
// taking remote actions whatever the console sends: its own allow-list, expiry and parameters are
// checked, command_started comes before the result, and a command resent after a reconnection or
// an agent restart never runs twice. restart_print_service runs on replayed systemctl output.
import { CommandResult, CommandStarted } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../config';
import { createAgent, type Agent } from '../create-agent';
import type { CommandResultPayload } from '../link/link';
import { hostProbesOff } from '../host-config';
import { startFakeConsoleServer, type FakeConsoleServer } from '../link/fake-console-server';
import { silentLogger } from '../logger';
import { loadHostFixture, replayHostOs } from '../os/host-os-replay';
import { fakeDevice, fakeDriver, fakeReport } from '../probe-loop/fake-driver';
import { waitFor } from '../test-support/wait-for';
import { openCommandLedger } from './command-ledger';

let dir: string;
let server: FakeConsoleServer;
let agent: Agent | undefined;
/** Every tool run restart_print_service asked the (replayed) OS for, across agent restarts. */
let toolRuns: string[][];
let driver: ReturnType<typeof fakeDriver>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agent-actions-'));
  server = await startFakeConsoleServer();
  toolRuns = [];
  driver = fakeDriver(async (ctx) => fakeReport(ctx.device.id));
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function startAgent(actions: AgentConfig['actions'] = { allow: ['probe_now', 'test_print', 'restart_print_service'] }): Promise<Agent> {
  const config: AgentConfig = {
    server: server.url,
    storeId: 'store-1',
    registerId: 'till-1',
    enrollmentToken: 'enroll-token-1',
    dataDir: dir,
    probeIntervalSec: 3600,
    reportIntervalSec: 3600,
    cashierPage: { port: 0, enabled: false },
    devices: [fakeDevice('printer')],
    host: hostProbesOff(),
    ...(actions ? { actions } : {}),
  };
  const created = createAgent({
    config,
    drivers: new Map([['escpos', driver]]),
    openTransport: async () => {
      throw new Error('unused');
    },
    logger: silentLogger,
    link: { backoff: { baseMs: 10, capMs: 50 }, initialDelayMs: 0 },
    actionsOs: { platform: 'linux', run: replayHostOs(loadHostFixture(path.join(import.meta.dirname, 'fixtures'), 'linux-restarted'), { seen: toolRuns }).run },
  });
  agent = created;
  return created.start().then(() => created);
}

const hellos = () => server.frames.filter((f) => f.type === 'hello').length;
const results = (commandId: string): CommandResultPayload[] =>
  server.frames.filter((f) => f.type === 'command_result' && f.payload.commandId === commandId).map((f) => CommandResult.parse(f).payload);
const startedOf = (commandId: string) => server.frames.filter((f) => f.type === 'command_started' && f.payload.commandId === commandId).map((f) => CommandStarted.parse(f));
/** Distinct command_result messages for `commandId` (an unacked one may be resent with its id). */
const resultMessages = (commandId: string) => new Set(server.frames.filter((f) => f.type === 'command_result' && f.payload.commandId === commandId).map((f) => f.id)).size;

async function answered(commandId: string): Promise<CommandResultPayload> {
  // Generous: each answer is two fsync'ed commits, slow on a disk other test runs share.
  await waitFor(`the result of ${commandId}`, () => results(commandId).length > 0, 30_000);
  return results(commandId)[0]!;
}

describe('remote actions on the agent', () => {
  it('refuses a verb off its own allow-list even though the console sends it, and says so without starting it', async () => {
    await startAgent();
    await waitFor('hello', () => hellos() === 1);
    server.send('command', { commandId: 'c-discover', verb: 'discover' });
    server.send('command', { commandId: 'c-bundle', verb: 'collect_bundle', ticketId: 4 });
    expect(await answered('c-discover')).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringMatching(/^discover is not allowed on this register/) });
    expect(await answered('c-bundle')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(startedOf('c-discover')).toEqual([]);
  });

  it('refuses an expired command and bad parameters without running anything', async () => {
    await startAgent();
    await waitFor('hello', () => hellos() === 1);
    const probesBefore = driver.calls;
    server.send('command', { commandId: 'c-old', verb: 'probe_now', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    server.send('command', { commandId: 'c-nodev', verb: 'test_print' });
    server.send('command', { commandId: 'c-dev', verb: 'restart_print_service', deviceId: 'printer' });
    server.send('command', { commandId: 'c-unknown', verb: 'probe_now', deviceId: 'kkt-9' });
    expect(await answered('c-old')).toMatchObject({ ok: false, code: 'expired' });
    expect(await answered('c-nodev')).toMatchObject({ ok: false, code: 'bad_request', message: 'test_print needs the deviceId of a receipt printer' });
    expect(await answered('c-dev')).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await answered('c-unknown')).toMatchObject({ ok: false, code: 'not_found' });
    expect(driver.calls).toBe(probesBefore);
    expect(toolRuns).toEqual([]);
    expect(server.frames.filter((f) => f.type === 'command_started')).toEqual([]);
  });

  it('sends command_started before the result, and runs a command resent after a reconnection and after a restart only once', async () => {
    await startAgent();
    await waitFor('hello', () => hellos() === 1);
    server.send('command', { commandId: 'c-restart', verb: 'restart_print_service', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(await answered('c-restart')).toMatchObject({ ok: true });
    const kinds = server.frames.filter((f) => f.payload.commandId === 'c-restart').map((f) => f.type);
    expect(kinds.slice(0, 2)).toEqual(['command_started', 'command_result']);
    expect(toolRuns).toHaveLength(2); // systemctl restart, systemctl is-active

    server.dropClients();
    await waitFor('the reconnection', () => hellos() === 2);
    server.send('command', { commandId: 'c-restart', verb: 'restart_print_service' });
    server.send('command', { commandId: 'c-after', verb: 'probe_now' });
    expect(await answered('c-after')).toMatchObject({ ok: true });

    await agent!.stop();
    await startAgent();
    await waitFor('the hello after the restart', () => hellos() === 3);
    server.send('command', { commandId: 'c-restart', verb: 'restart_print_service' });
    server.send('command', { commandId: 'c-after-restart', verb: 'probe_now' });
    expect(await answered('c-after-restart')).toMatchObject({ ok: true });

    expect(toolRuns).toHaveLength(2);
    expect(resultMessages('c-restart')).toBe(1);
    expect(startedOf('c-restart')).toHaveLength(1);
  });

  it('answers a command an earlier run took and never finished as interrupted, and never runs it', async () => {
    const ledger = await openCommandLedger({ file: path.join(dir, 'agent.db') });
    expect(await ledger.take('c-lost', 'restart_print_service', new Date())).toMatchObject({ kind: 'new' });
    await ledger.close(); // the agent stopped (power cut) before an answer

    await startAgent();
    expect(await answered('c-lost')).toMatchObject({ ok: false, code: 'internal', message: expect.stringMatching(/^interrupted: the agent stopped/) });
    server.send('command', { commandId: 'c-lost', verb: 'restart_print_service' });
    server.send('command', { commandId: 'c-next', verb: 'probe_now' });
    await answered('c-next');
    expect(toolRuns).toEqual([]);
    expect(resultMessages('c-lost')).toBe(1);
  });

  it('runs every verb when the config names none', async () => {
    await startAgent(undefined);
    await waitFor('hello', () => hellos() === 1);
    server.send('command', { commandId: 'c-restart', verb: 'restart_print_service' });
    expect(await answered('c-restart')).toMatchObject({ ok: true });
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TicketList } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { closeConsoleServices, createConsoleServices } from './create-app';
import { openConsoleDatabase } from './db/console-database';
import { startConsoleServer } from './start-console-server';
import { ADMIN, apiCall, ENGINEER, enroll, eventually, login, recordingLogger, startTestConsole, TestAgent, type TestConsole } from './test-support/console-harness';
import { finding, healthMessage, helloMessage, PAPER_END, printerReport } from './test-support/device-reports';

let test: TestConsole | undefined;
afterEach(async () => {
  await test?.dispose();
  test = undefined;
});

async function tickets(url: string, cookie: string, query = '') {
  return TicketList.parse((await apiCall(url, 'GET', `/api/tickets${query}`, cookie)).json).tickets;
}

describe('restart', () => {
  it('closes cleanly and starts again on the same port and data dir with state intact', async () => {
    test = await startTestConsole();
    const { credential } = await enroll(test, 'store-1', 'till-1');
    const agent = await TestAgent.connect(test.server.url, credential);
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const { port, url } = test.server;
    await test.server.close();
    expect((await agent.closed).code).toBe(1006);

    const restarted = await startConsoleServer({ dataDir: test.dataDir, port, now: test.clock.now, logger: test.logger, rendererDir: path.join(test.dataDir, 'none') });
    test.server = restarted;
    expect(restarted.url).toBe(url);
    const cookie = await login(url, ENGINEER);
    expect((await tickets(url, cookie)).map((ticket) => ticket.code)).toEqual(['printer.paper_end']);
    const [register] = (await apiCall(url, 'GET', '/api/registers', cookie)).json.registers;
    expect(register).toMatchObject({ registerId: 'till-1', connected: false });

    // The old credential still works, and a resent message id is still known.
    const again = await TestAgent.connect(url, credential);
    expect(await again.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]))).toEqual({ ackOf: 'h-1', ok: true });
    expect((await tickets(url, cookie))[0]!.occurrences).toBe(1);
    again.close();
  });
});

describe('close', () => {
  it('waits for what the last commit told the feed and the cashiers before the database closes', async () => {
    // Closing right after a batch committed: the change listeners (feed, ticket updates) still
    // read the database; they used to hit a closed handle (SQLITE_MISUSE, logged on every stop).
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-close-'));
    const logger = recordingLogger();
    const db = await openConsoleDatabase(dataDir);
    const services = createConsoleServices({ db, now: () => new Date('2026-11-22T10:00:00.000Z'), logger, heartbeatIntervalMs: 60_000, allowedOrigins: [] });
    const { token } = await services.registry.createEnrollmentToken({ note: '', maxUses: 1, ttlHours: 1 }, null);
    const { agentId } = await services.registry.enroll({ token, storeId: 'store-1', registerId: 'till-1', hostname: 'h' });
    const findings = [PAPER_END, finding('printer.cover_open'), finding('printer.offline')];
    const devices = ['p1', 'p2', 'p3', 'p4'].map((deviceId) => printerReport({ deviceId, findings }));
    expect(await services.ingest.submit(agentId, healthMessage('h-1', devices))).toEqual({ ackOf: 'h-1', ok: true });
    await closeConsoleServices(services);
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
    expect(logger.errors).toEqual([]);
  });
});

describe('offline sweep', () => {
  it('opens agent.offline for a silent register and resolves it when the agent reconnects', async () => {
    test = await startTestConsole({ offlineAfterSec: 90 });
    const cookie = await login(test.server.url, ENGINEER);
    const { credential } = await enroll(test, 'store-1', 'till-1');
    const agent = await TestAgent.connect(test.server.url, credential);
    await agent.request(helloMessage('h-0'));
    agent.close();
    await agent.closed;
    await eventually(async () => (await apiCall(test!.server.url, 'GET', '/api/registers', cookie)).json.registers[0].connected, (connected) => !connected);

    test.clock.advanceSeconds(60);
    expect(await test.server.sweepOfflineAgents()).toBe(0);
    test.clock.advanceSeconds(31);
    expect(await test.server.sweepOfflineAgents()).toBe(1);
    expect(await test.server.sweepOfflineAgents()).toBe(0);
    const [offline] = await tickets(test.server.url, cookie);
    expect(offline).toMatchObject({ code: 'agent.offline', deviceId: null, group: 'network', severity: 'major' });

    const back = await TestAgent.connect(test.server.url, credential);
    await back.request(helloMessage('h-1'));
    expect(await tickets(test.server.url, cookie)).toEqual([]);
    expect((await tickets(test.server.url, cookie, '?status=resolved')).map((ticket) => ticket.id)).toEqual([offline!.id]);
    back.close();
  });

  it('runs on its own timer', async () => {
    test = await startTestConsole({ offlineAfterSec: 1, offlineSweepIntervalMs: 20 });
    await enroll(test, 'store-1', 'till-1'); // enrolled, never connected
    test.clock.advanceSeconds(2);
    const cookie = await login(test.server.url, ADMIN);
    const list = await eventually(() => tickets(test!.server.url, cookie), (found) => found.length > 0);
    expect(list.map((ticket) => ticket.code)).toEqual(['agent.offline']);
  });
});

describe('renderer and headers', () => {
  it('serves the built renderer with SPA fallback and strict security headers', async () => {
    test = await startTestConsole();
    const rendererDir = path.join(test.dataDir, 'dist');
    await mkdir(rendererDir);
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>app shell</title>');
    await writeFile(path.join(rendererDir, 'app.js'), 'console.log(1)');
    const server = await startConsoleServer({ dataDir: path.join(test.dataDir, 'second'), rendererDir, logger: test.logger });
    try {
      const shell = await fetch(`${server.url}/tickets/42`);
      expect(await shell.text()).toContain('app shell');
      const csp = shell.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
      expect(shell.headers.get('x-content-type-options')).toBe('nosniff');
      expect(shell.headers.get('referrer-policy')).toBe('no-referrer');
      expect((await fetch(`${server.url}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
      expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('explains how to build the renderer when it is missing', async () => {
    test = await startTestConsole();
    const response = await fetch(`${test.server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('npm run build:renderer');
  });
});

// A real agent (outbox on disk, WebSocket link to a fake console on loopback, cashier page over
// HTTP) with a host probe that reads a replayed OS: its report reaches the console in `health`, in
// a cashier report's diagnosis and in a probe_now answer, each valid against shared's schemas.
import { CashierReport, CommandResult, Health, type DeviceReport } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestAgent } from './cashier-page/test-agent';
import { request } from './cashier-page/http-test-client';
import { startHostProbeRun } from './devices/common/host-report';
import type { Agent } from './create-agent';
import { hostProbesOff } from './host-config';
import { startFakeConsoleServer, type FakeConsoleServer } from './link/fake-console-server';
import { HostFixture, replayHostOs } from './os/host-os-replay';
import { fakeHostConfig, fakeHostProbe } from './probe-loop/fake-host-probe';
import { waitFor } from './test-support/wait-for';

let dir: string;
let server: FakeConsoleServer;
let agent: Agent | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'host-agent-'));
  server = await startFakeConsoleServer();
});
afterEach(async () => {
  await agent?.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const fixture = HostFixture.parse({
  origin: 'transcribed',
  description: 'timedatectl says the clock is not synchronised',
  sources: ['host-agent.test.ts'],
  platform: 'linux',
  runs: [{ file: 'timedatectl', args: ['show'], stdout: 'NTPSynchronized=no\n' }],
});

/** A host probe reading the replayed timedatectl: enough to see a host report travel. */
const clockProbe = fakeHostProbe(
  'host-clock',
  async (ctx) => {
    const run = startHostProbeRun(ctx);
    const result = await run.tool('timedatectl', ['show']);
    const synced = result.kind === 'ok' ? /NTPSynchronized=yes/.test(result.stdout) : null;
    return run.report({
      id: 'host-clock',
      section: { section: 'clock', synced, offsetMs: null, source: null, tool: 'timedatectl', unchecked: [] },
      findings: synced === false ? [{ code: 'host.clock_not_synced', detail: 'NTPSynchronized=no', severity: 'major' }] : [],
      checked: ['host.clock_not_synced'],
    });
  },
  300,
  ['host.check_failed', 'host.clock_not_synced'],
);

const hostReportsIn = (reports: DeviceReport[]) => reports.filter((r) => r.kind === 'host');

it('sends host reports in health, in a cashier diagnosis and in a probe_now answer', async () => {
  agent = createTestAgent(dir, server.port, {
    host: fakeHostConfig({}, [clockProbe]),
    hostProbes: new Map([['host-clock', clockProbe]]),
    hostOs: replayHostOs(fixture),
    hostTiming: { initialDelayMs: 0 },
  });
  await agent.start();

  await waitFor('a health frame with the host report', () => server.frames.some((f) => f.type === 'health' && JSON.stringify(f.payload).includes('"host-clock"')));
  const health = Health.parse(server.frames.filter((f) => f.type === 'health').at(-1));
  const [clock] = hostReportsIn(health.payload.devices);
  expect(health.payload.devices.map((r) => r.deviceId)).toEqual(['p1', 'host-clock']);
  expect(clock).toMatchObject({
    kind: 'host', driver: 'host-clock', health: 'fault',
    findings: [{ code: 'host.clock_not_synced', severity: 'major' }],
    host: { section: 'clock', synced: false, tool: 'timedatectl' },
    evidence: { transport: 'os', target: 'localhost', exchanges: [{ type: 'structured', label: 'timedatectl show', request: { file: 'timedatectl', args: ['show'] }, status: 'ok', reply: 'NTPSynchronized=no\n' }] },
  });

  // The cashier page's devices line stays about the devices.
  expect((await request(`${agent.cashierPageUrl()!}api/status`)).json()).toMatchObject({ devices: [{ deviceId: 'p1', health: 'fault' }] });
  expect(((await request(`${agent.cashierPageUrl()!}api/status`)).json() as { devices: unknown[] }).devices).toHaveLength(1);

  const posted = await request(`${agent.cashierPageUrl()!}api/reports`, { method: 'POST', body: { symptom: 'no_receipt', note: '', locale: 'ru' } });
  expect(posted.status).toBe(201);
  await waitFor('the cashier report', () => server.frames.some((f) => f.type === 'cashier_report'));
  const cashier = CashierReport.parse(server.frames.find((f) => f.type === 'cashier_report'));
  expect(cashier.payload.diagnosis.map((r) => r.deviceId)).toEqual(['p1', 'host-clock']);

  const callsBefore = clockProbe.calls;
  server.send('command', { commandId: 'c-1', verb: 'probe_now', deviceId: 'host-clock' });
  await waitFor('the command result', () => server.frames.some((f) => f.type === 'command_result'));
  const result = CommandResult.parse(server.frames.find((f) => f.type === 'command_result'));
  expect(result.payload).toMatchObject({ ok: true, devices: [{ deviceId: 'host-clock', kind: 'host' }] });
  expect(clockProbe.calls).toBe(callsBefore + 1);
});

it('runs no host probe when the config turns them off', async () => {
  const probe = fakeHostProbe('host-os');
  agent = createTestAgent(dir, server.port, { host: hostProbesOff(), hostProbes: new Map([['host-os', probe]]), hostOs: replayHostOs(fixture), hostTiming: { initialDelayMs: 0 } });
  await agent.start();
  await waitFor('a health frame', () => server.frames.some((f) => f.type === 'health'));
  server.send('command', { commandId: 'c-2', verb: 'probe_now', deviceId: 'host-os' });
  await waitFor('the command result', () => server.frames.some((f) => f.type === 'command_result'));
  expect(server.frames.find((f) => f.type === 'command_result')!.payload).toMatchObject({ ok: false, code: 'not_found' });
  expect(probe.calls).toBe(0);
  expect(Health.parse(server.frames.find((f) => f.type === 'health')).payload.devices.map((r) => r.deviceId)).toEqual(['p1']);
});

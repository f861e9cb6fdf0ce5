import type { DeviceReport } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Agent } from '../create-agent';
import type { DeviceDriver } from '../devices/driver';
import { startFakeConsoleServer, type FakeConsoleServer } from '../link/fake-console-server';
import { fakeDriver, fakeReport } from '../probe-loop/fake-driver';
import { createMockOpenTransport, MockTransport } from '../transports/mock/mock-transport';
import { waitFor } from '../test-support/wait-for';
import { request } from './http-test-client';
import { createTestAgent } from './test-agent';

let dir: string;
let server: FakeConsoleServer;
let agent: Agent | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cashier-test-print-'));
  server = await startFakeConsoleServer();
});
afterEach(async () => {
  await agent?.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** An agent whose printer reports `status` on every probe, and the ports its test prints opened. */
async function startAgent(status: () => DeviceReport) {
  const transport = createMockOpenTransport(() => new MockTransport());
  const drivers = new Map([['escpos', fakeDriver(async () => status()) as DeviceDriver]]) as Map<'escpos', DeviceDriver>;
  agent = createTestAgent(dir, server.port, { drivers, openTransport: transport.open });
  await agent.start();
  const base = agent.cashierPageUrl()!;
  const { reportId } = (await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'no_receipt', locale: 'ru' } })).json() as { reportId: string };
  return { base, reportId, transport };
}

async function doneFrame() {
  await waitFor('test_print_done delivered', async () => server.frames.some((f) => f.type === 'test_print_done'));
  return server.frames.find((f) => f.type === 'test_print_done')!;
}

it('prints when the cashier agrees, says saved, and sends test_print_done for the report', async () => {
  const { base, reportId, transport } = await startAgent(() => fakeReport('p1', 'ok'));
  expect((await request(`${base}api/status`)).json()).toMatchObject({ canTestPrint: true });
  const res = await request(`${base}api/reports/${reportId}/test-print`, { method: 'POST', body: {} });
  expect(res.json()).toEqual({ outcome: 'printed', saved: true });
  expect(transport.opened).toHaveLength(1);
  expect((await doneFrame()).payload).toMatchObject({ reportId, summary: { deviceId: 'p1', outcome: 'printed', requestedBy: 'cashier' }, devices: [{ deviceId: 'p1' }] });
});

it('refuses on a printer out of paper, without touching its port, and still reports that to the console', async () => {
  const { base, reportId, transport } = await startAgent(() => fakeReport('p1', 'fault', ['printer.paper_end']));
  expect((await request(`${base}api/reports/${reportId}/test-print`, { method: 'POST', body: {} })).json()).toEqual({ outcome: 'refused', saved: true });
  expect(transport.opened).toEqual([]);
  expect((await doneFrame()).payload).toMatchObject({ reportId, summary: { outcome: 'refused', reason: expect.stringMatching(/paper_end/) } });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Agent } from '../create-agent';
import { startFakeConsoleServer, type FakeConsoleServer } from '../link/fake-console-server';
import { waitFor } from '../test-support/wait-for';
import { pageScript } from './assets';
import { request } from './http-test-client';
import { createTestAgent } from './test-agent';

let dir: string;
let server: FakeConsoleServer | undefined;
const agents: Agent[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cashier-flow-'));
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function startAgent(port: number): Promise<string> {
  const agent = createTestAgent(dir, port);
  agents.push(agent);
  await agent.start();
  return agent.cashierPageUrl()!;
}

it('queues a report while the server is down, keeps it across a restart, and shows the ticket once delivered', async () => {
  // Learn a free port, then leave it closed: the console server is "down".
  const probe = await startFakeConsoleServer();
  const port = probe.port;
  await probe.close();

  let base = await startAgent(port);
  const posted = await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'no_receipt', note: 'чек не идёт', locale: 'ru' } });
  expect(posted.status).toBe(201);
  const { reportId } = posted.json() as { reportId: string };
  expect((await request(`${base}api/reports/${reportId}`)).json()).toEqual({ state: 'queued', saved: true, working: null, connected: false });

  await agents.pop()!.stop();
  base = await startAgent(port);
  expect((await request(`${base}api/reports/${reportId}`)).json()).toMatchObject({ state: 'queued', connected: false });

  const ticket = { ticketId: 123, status: 'open', reactBy: new Date(Date.now() + 15 * 60_000).toISOString(), reactMinutes: 15 };
  server = await startFakeConsoleServer({ port, ticketFor: (frame) => (frame.type === 'cashier_report' ? (ticket as never) : undefined) });
  await waitFor('ticket shown', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.ticketId === 123);
  expect((await request(`${base}api/reports/${reportId}`)).json()).toEqual({ state: 'delivered', saved: true, ticket, working: null, connected: true });

  const delivered = server.frames.filter((f) => f.type === 'cashier_report');
  expect(delivered.map((f) => f.id)).toEqual([reportId]);
  expect(delivered[0]!.payload).toMatchObject({
    symptom: 'no_receipt',
    note: 'чек не идёт',
    diagnosis: [{ deviceId: 'p1', health: 'fault', findings: [{ code: 'printer.paper_end' }] }],
  });
  const hello = server.frames.find((f) => f.type === 'hello')!;
  expect(hello.payload).toMatchObject({ inventory: [{ deviceId: 'p1', kind: 'receipt-printer', transport: 'tcp', target: '127.0.0.1:9100' }] });

  server.send('ticket_update', { reportId, ticket: { ...ticket, status: 'resolved' } });
  await waitFor('resolved shown', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.status === 'resolved');
  expect((await request(`${base}api/reports/${reportId}/answer`, { method: 'POST', body: { working: true } })).status).toBe(200);
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBe(true);
});

it('sends the cashier\'s answers through the outbox: kept while the server is down and across a restart, delivered in order after reconnect', async () => {
  const ticket = { ticketId: 77, status: 'open', reactBy: new Date(Date.now() + 15 * 60_000).toISOString(), reactMinutes: 15 };
  const first = await startFakeConsoleServer({ ticketFor: (frame) => (frame.type === 'cashier_report' ? (ticket as never) : undefined) });
  const port = first.port;
  let base = await startAgent(port);
  const { reportId } = (await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'no_receipt', locale: 'ru' } })).json() as { reportId: string };
  await waitFor('ticket shown', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.ticketId === 77);
  first.send('ticket_update', { reportId, ticket: { ...ticket, status: 'resolved' } });
  await waitFor('resolved shown', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.status === 'resolved');
  await first.close();
  await waitFor('agent sees the outage', async () => (await request(`${base}api/reports/${reportId}`)).json().connected === false);

  // "Нет", then the cashier changes it to "Да": both are queued; the page shows the latest.
  expect((await request(`${base}api/reports/${reportId}/answer`, { method: 'POST', body: { working: false } })).status).toBe(200);
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBe(false);
  expect((await request(`${base}api/reports/${reportId}/answer`, { method: 'POST', body: { working: true } })).status).toBe(200);
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBe(true);
  expect(first.frames.filter((f) => f.type === 'cashier_feedback')).toEqual([]);

  await agents.pop()!.stop();
  base = await startAgent(port);
  expect((await request(`${base}api/reports/${reportId}`)).json()).toMatchObject({ working: true, connected: false });

  server = await startFakeConsoleServer({ port });
  await waitFor('both answers delivered', () => server!.frames.filter((f) => f.type === 'cashier_feedback').length >= 2);
  const answers = server.frames.filter((f) => f.type === 'cashier_feedback');
  expect(answers.map((f) => f.payload)).toEqual([
    { reportId, ticketId: 77, working: false, answeredAt: expect.any(String) },
    { reportId, ticketId: 77, working: true, answeredAt: expect.any(String) },
  ]);
  expect(new Set(answers.map((f) => f.id)).size).toBe(2);

  // Acked answers leave the outbox: a reconnect sends nothing again.
  server.dropClients();
  await waitFor('reconnected', async () => server!.frames.filter((f) => f.type === 'hello').length >= 2);
  await waitFor('connected again', async () => (await request(`${base}api/reports/${reportId}`)).json().connected === true);
  expect(server.frames.filter((f) => f.type === 'cashier_feedback')).toHaveLength(2);

  // Reopened and resolved anew: the earlier answer was about the earlier resolution, so the page asks again.
  server.send('ticket_update', { reportId, ticket: { ...ticket, status: 'open' } });
  await waitFor('reopen shown', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.status === 'open');
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBe(true);
  server.send('ticket_update', { reportId, ticket: { ...ticket, status: 'resolved' } });
  await waitFor('resolved again', async () => (await request(`${base}api/reports/${reportId}`)).json().ticket?.status === 'resolved');
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBeNull();
});

it('refuses an answer before the report has a ticket: there is nothing to confirm yet', async () => {
  const probe = await startFakeConsoleServer();
  const port = probe.port;
  await probe.close();
  const base = await startAgent(port);
  const { reportId } = (await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'other', locale: 'en' } })).json() as { reportId: string };
  expect((await request(`${base}api/reports/${reportId}/answer`, { method: 'POST', body: { working: true } })).status).toBe(409);
  expect((await request(`${base}api/reports/${reportId}`)).json().working).toBeNull();
});

it('serves a page script that parses', () => {
  expect(() => new vm.Script(pageScript())).not.toThrow();
});

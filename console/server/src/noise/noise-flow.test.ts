import { NoiseSettingsView, TicketDetail, TicketList, type TicketSummary } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN, apiCall, ENGINEER, enroll, login, startTestConsole, TestAgent, type TestConsole,
} from '../test-support/console-harness';
import { finding, healthMessage, helloMessage, printerReport } from '../test-support/device-reports';

// Noise control through the real ingest path: a console on a real SQLite file, an agent on a real
// WebSocket, the injected clock moved by hand, the hold sweep run when a test says so. The settings
// are the shipped defaults (printer.cover_open holds 120 s, flapping after 3 returns in 30 minutes,
// 10 calm minutes, reopen within 3 days) unless a test saves others.

const COVER = finding('printer.cover_open', 'DLE EOT 2: cover open');
const COVER_HOLD_SEC = 120;

let test: TestConsole;
let agent: TestAgent;
let cookie: string;
let seq = 0;

beforeEach(async () => {
  test = await startTestConsole({ noise: {} });
  const { credential } = await enroll(test, 'store-7', 'till-2');
  agent = await TestAgent.connect(test.server.url, credential);
  expect(await agent.request(helloMessage('hello-1'))).toMatchObject({ ok: true });
  cookie = await login(test.server.url, ENGINEER);
});

afterEach(async () => {
  agent.close();
  await test.dispose();
  expect(test.logger.errors).toEqual([]);
});

async function report(findings = [COVER]): Promise<void> {
  seq += 1;
  expect(await agent.request(healthMessage(`h-${seq}`, [printerReport({ findings })]))).toMatchObject({ ok: true });
}

/** Every ticket, whatever its status. */
async function allTickets(): Promise<TicketSummary[]> {
  const { status, json } = await apiCall(test.server.url, 'GET', '/api/tickets?status=all', cookie);
  expect(status).toBe(200);
  return TicketList.parse(json).tickets;
}

async function detail(id: number): Promise<TicketDetail> {
  const { json } = await apiCall(test.server.url, 'GET', `/api/tickets/${id}`, cookie);
  return TicketDetail.parse(json);
}

describe('hold', () => {
  it('opens no ticket for a blip shorter than the hold, in 100 of 100 tries', async () => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      await report(); // the cover opens (a paper change)…
      test.clock.advanceSeconds(0.3 + (attempt % 10) * 10); // …for 0.3 s to 90.3 s, under its 120 s hold
      await report([]); // …and is closed again
      test.clock.advanceSeconds(COVER_HOLD_SEC + 1);
      expect(await test.server.sweepHeldFindings()).toEqual({ opened: 0, settled: 0 });
      test.clock.advanceSeconds(3_600); // the next paper change, an hour later
      await test.server.sweepHeldFindings();
    }
    cookie = await login(test.server.url, ENGINEER); // four days on: a new session
    expect(await allTickets()).toEqual([]);
  });

  it('opens the ticket once the fault has stood its hold: on the next report, or by the sweep when none comes', async () => {
    await report();
    test.clock.advanceSeconds(COVER_HOLD_SEC - 1);
    await report();
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 0, settled: 0 });
    expect(await allTickets()).toEqual([]);
    test.clock.advanceSeconds(1);
    await report();
    const [opened, ...none] = await allTickets();
    expect(none).toEqual([]);
    expect(opened).toMatchObject({ code: 'printer.cover_open', status: 'open', flapping: false, openedAt: test.clock.now().toISOString() });

    await report([]); // closed: the ticket resolves itself
    test.clock.advanceSeconds(4 * 86_400); // past the reopen days: the next time is a new ticket
    cookie = await login(test.server.url, ENGINEER);
    // The cover opens again and the register reports nothing more: the sweep opens the held finding.
    await report();
    test.clock.advanceSeconds(COVER_HOLD_SEC);
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 1, settled: 0 });
    const open = (await allTickets()).filter((ticket) => ticket.status === 'open');
    expect(open).toEqual([expect.objectContaining({ code: 'printer.cover_open', openedAt: test.clock.now().toISOString() })]);
    expect(open[0]!.id).not.toBe(opened!.id);
  });

  it('clears a held finding of a register whose other finding has its ticket open (the standing path)', async () => {
    const admin = await login(test.server.url, ADMIN);
    expect((await apiCall(test.server.url, 'PUT', '/api/settings/noise', admin, { holds: { 'printer.paper_near_end': 0 } })).status).toBe(200);
    const nearEnd = finding('printer.paper_near_end', 'DLE EOT 4 = 0x1e');
    await report([nearEnd]);
    await report([nearEnd, COVER]); // the cover opens beside the standing near-end…
    await report([nearEnd]); // …and closes before its hold
    test.clock.advanceSeconds(COVER_HOLD_SEC);
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 0, settled: 0 });
    expect((await allTickets()).map((ticket) => ticket.code)).toEqual(['printer.paper_near_end']);
  });
});

describe('flapping', () => {
  it('makes one ticket, marked flapping, of a fault flapping 20 times, and resolves it only after a calm period', async () => {
    for (let flap = 0; flap < 20; flap += 1) {
      await report();
      test.clock.advanceSeconds(20);
      await report([]);
      test.clock.advanceSeconds(20);
      await test.server.sweepHeldFindings();
    }
    const [ticket, ...others] = await allTickets();
    expect(others).toEqual([]);
    // Opened on the third return; every appearance after it counted on the ticket.
    expect(ticket).toMatchObject({ code: 'printer.cover_open', status: 'open', flapping: true, active: false, occurrences: 17 });

    test.clock.advanceSeconds(600 - 21);
    await test.server.sweepHeldFindings();
    expect((await detail(ticket!.id)).status).toBe('open'); // not calm long enough yet
    test.clock.advanceSeconds(1);
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 0, settled: 1 });
    const settled = await detail(ticket!.id);
    expect(settled).toMatchObject({ status: 'resolved', flapping: true });
    expect(settled.timeline.at(-1)?.kind).toBe('auto_resolved');
  });
});

describe('reopen', () => {
  it("reopens an engineer's resolved ticket when the fault returns within the reopen days; with 0 days a new one opens", async () => {
    const admin = await login(test.server.url, ADMIN);
    const saved = await apiCall(test.server.url, 'PUT', '/api/settings/noise', admin, { holds: { 'printer.cover_open': 0 } });
    expect(saved.status).toBe(200);
    await report();
    const [first] = await allTickets();
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${first!.id}/resolve`, cookie, { note: 'closed the cover' })).status).toBe(200);
    test.clock.advanceSeconds(2 * 86_400);
    cookie = await login(test.server.url, ENGINEER);
    await report();
    expect((await allTickets()).map((ticket) => [ticket.id, ticket.status])).toEqual([[first!.id, 'open']]);
    expect((await detail(first!.id)).timeline.map((event) => event.kind)).toEqual(['opened', 'resolved', 'reopened']);

    await apiCall(test.server.url, 'PUT', '/api/settings/noise', await login(test.server.url, ADMIN), { holds: { 'printer.cover_open': 0 }, reopenDays: 0 });
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${first!.id}/resolve`, cookie, { note: 'again' })).status).toBe(200);
    await report();
    expect((await allTickets()).filter((ticket) => ticket.status === 'open').map((ticket) => ticket.id)).not.toContain(first!.id);
    expect(await allTickets()).toHaveLength(2);
  });
});

describe('noise settings API', () => {
  it('shows the settings to anyone signed in, lets only an admin change them, and refuses a bad body with its code', async () => {
    const got = await apiCall(test.server.url, 'GET', '/api/settings/noise', cookie);
    expect(got.status).toBe(200);
    const view = NoiseSettingsView.parse(got.json);
    expect(view.settings).toMatchObject({ holds: {}, reopenDays: 3, flapThreshold: 3 });
    expect(view.defaultHolds['printer.cover_open']).toBe(COVER_HOLD_SEC);

    const body = { holds: { 'printer.cover_open': 5 }, reopenDays: 1 };
    expect((await apiCall(test.server.url, 'PUT', '/api/settings/noise', cookie, body)).status).toBe(403);
    const admin = await login(test.server.url, ADMIN);
    const bad = await apiCall(test.server.url, 'PUT', '/api/settings/noise', admin, { reopenDays: -1 });
    expect(bad).toMatchObject({ status: 400, json: { ok: false, code: 'bad_request' } });
    const put = await apiCall(test.server.url, 'PUT', '/api/settings/noise', admin, body);
    expect(put.status).toBe(200);
    expect(NoiseSettingsView.parse(put.json).settings).toMatchObject(body);
    expect(NoiseSettingsView.parse((await apiCall(test.server.url, 'GET', '/api/settings/noise', cookie)).json).settings).toMatchObject(body);

    // In force at once: the cover now holds 5 s.
    await report();
    test.clock.advanceSeconds(5);
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 1, settled: 0 });
  });
});

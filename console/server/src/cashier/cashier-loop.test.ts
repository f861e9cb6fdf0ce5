import { TicketDetail, type Ack, type TicketRef, type TicketUpdate } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import {
  ADMIN, apiCall, ENGINEER, login, onSecondConnection, registerFlowForEachTest, TestAgent, type RegisterFlow,
} from '../test-support/console-harness';
import { AWAITING_CASHIER_SQL } from './auto-close';
import { cashierReportMessage, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

// The cashier loop on the console's side, over a real SQLite file and a real agent WebSocket: the
// progress a cashier sees (pushed with ticket_update on every move that changes it, and again on a
// reconnect), and the no-answer auto-close (admin setting, sweep, timeline event).

let flow: RegisterFlow;
registerFlowForEachTest((f) => (flow = f));

const HOUR = 3_600;

async function post(route: string, body: unknown = {}, cookie = flow.cookie) {
  return apiCall(flow.test.server.url, 'POST', route, cookie, body);
}

/** The ticket as an engineer sees it, logged in afresh (the tests move the clock past a session's life). */
async function detail(id: number) {
  const cookie = await login(flow.test.server.url, ENGINEER);
  const { status, json } = await apiCall(flow.test.server.url, 'GET', `/api/tickets/${id}`, cookie);
  expect(status).toBe(200);
  return TicketDetail.parse(json);
}

/** A cashier report's ticket: its id and the TicketRef of the ack. */
async function reported(reportId = 'rep-1'): Promise<{ ticketId: number; ref: TicketRef }> {
  const ack = (await flow.agent.request(cashierReportMessage(reportId, 'no_receipt', 'чек не идёт', [printerReport({ findings: [PAPER_END] })]))) as Extract<Ack['payload'], { ok: true }>;
  // The ticket opened for it: its first ticket_update (open, queued); the tests count from there.
  await nextUpdate(1);
  flow.agent.messages.length = 0;
  return { ticketId: ack.ticket!.ticketId, ref: ack.ticket! };
}

/** The ticket_update messages the agent received so far, as [status, progress]. */
function progressSeen(agent = flow.agent): [string, string | undefined][] {
  return agent.messages.filter((m): m is TicketUpdate => m.type === 'ticket_update').map((m) => [m.payload.ticket.status, m.payload.ticket.progress]);
}

async function nextUpdate(count: number, agent = flow.agent): Promise<TicketUpdate> {
  await agent.waitFor(() => agent.messages.filter((m) => m.type === 'ticket_update').length >= count);
  return agent.messages.filter((m): m is TicketUpdate => m.type === 'ticket_update')[count - 1]!;
}

describe('progress reaches the cashier', () => {
  it('acks with the ticket number, promised reaction and "queued", then pushes every move that changes what the cashier reads', async () => {
    const { ticketId, ref } = await reported();
    expect(ref).toEqual({ ticketId, status: 'open', reactBy: '2026-11-22T10:30:00.000Z', reactMinutes: 30, progress: 'queued' });

    expect((await post(`/api/tickets/${ticketId}/take`)).status).toBe(200);
    await nextUpdate(1);
    expect((await post(`/api/tickets/${ticketId}/wait`, { on: 'vendor', reason: 'Epson service centre' })).status).toBe(200);
    await nextUpdate(2);
    expect((await post(`/api/tickets/${ticketId}/resume`, { reason: 'part arrived' })).status).toBe(200);
    await nextUpdate(3);
    expect((await post(`/api/tickets/${ticketId}/wait`, { on: 'store', reason: 'needs a new roll from the manager' })).status).toBe(200);
    await nextUpdate(4);
    flow.test.clock.advanceSeconds(600);
    expect((await post(`/api/tickets/${ticketId}/resolve`, { note: 'roll replaced' })).status).toBe(200);
    const resolved = await nextUpdate(5);

    expect(progressSeen()).toEqual([
      ['in_progress', 'taken'], ['in_progress', 'waiting_vendor'], ['in_progress', 'taken'], ['in_progress', 'waiting_store'], ['resolved', 'resolved'],
    ]);
    // Resolved: the page may say when it closes by itself (the default 24 h after the resolution).
    expect(resolved.payload).toEqual({ reportId: 'rep-1', ticket: expect.objectContaining({ ticketId, autoCloseAt: '2026-11-23T10:10:00.000Z' }) });
  });

  it('a note or a vendor-case edit changes nothing the cashier reads: no ticket_update for them', async () => {
    const { ticketId } = await reported();
    await post(`/api/tickets/${ticketId}/take`);
    await nextUpdate(1);
    expect((await post(`/api/tickets/${ticketId}/notes`, { text: 'checking the roll holder' })).status).toBeLessThan(300);
    // A later move's update is the second one: nothing was sent in between.
    await post(`/api/tickets/${ticketId}/wait`, { on: 'store', reason: 'ask the manager' });
    await nextUpdate(2);
    expect(progressSeen()).toEqual([['in_progress', 'taken'], ['in_progress', 'waiting_store']]);
  });

  it('a register that reconnects hears where its cashier\'s tickets stand now (updates are live, never queued)', async () => {
    const { ticketId } = await reported();
    flow.agent.close();
    await flow.agent.closed;
    // Taken and sent to the vendor while the register was away: nothing could reach it.
    await post(`/api/tickets/${ticketId}/take`);
    await post(`/api/tickets/${ticketId}/escalate`, { to: 'vendor', reason: 'cutter broken', vendor: 'Epson' });

    const again = await TestAgent.connect(flow.test.server.url, flow.credential);
    try {
      const update = await nextUpdate(1, again);
      expect(update.payload).toEqual({ reportId: 'rep-1', ticket: expect.objectContaining({ ticketId, status: 'in_progress', progress: 'waiting_vendor' }) });
    } finally {
      again.close();
    }
  });
});

describe('no answer closes', () => {
  async function resolvedTicket(reportId: string): Promise<number> {
    const { ticketId } = await reported(reportId);
    expect((await post(`/api/tickets/${ticketId}/resolve`, { note: 'roll replaced' })).status).toBe(200);
    return ticketId;
  }

  it('closes a resolved cashier ticket nobody answered for, once its period is over, with a timeline event and a ticket_update', async () => {
    const ticketId = await resolvedTicket('rep-a');
    await nextUpdate(1);
    flow.test.clock.advanceSeconds(24 * HOUR - 1);
    expect(await flow.test.server.closeUnansweredResolutions()).toEqual([]);
    flow.test.clock.advanceSeconds(1);
    expect(await flow.test.server.closeUnansweredResolutions()).toEqual([ticketId]);

    const closed = await detail(ticketId);
    expect(closed.status).toBe('closed');
    expect(closed.timeline.at(-1)).toEqual({ at: '2026-11-23T10:00:00.000Z', kind: 'cashier_auto_closed', actor: null, text: 'no answer within 24 h of the resolution' });
    const update = await nextUpdate(2);
    expect(update.payload.ticket).toMatchObject({ ticketId, status: 'closed', progress: 'closed' });
    expect(update.payload.ticket.autoCloseAt).toBeUndefined();
    // Once closed, the next pass finds nothing.
    expect(await flow.test.server.closeUnansweredResolutions()).toEqual([]);
  });

  it('leaves answered tickets and tickets no cashier reported alone', async () => {
    const answeredNo = await resolvedTicket('rep-no');
    await flow.agent.request({
      v: 1, type: 'cashier_feedback', id: 'fb-no', ts: '2026-11-22T10:00:00.000Z',
      payload: { reportId: 'rep-no', ticketId: answeredNo, working: false, answeredAt: '2026-11-22T10:00:00.000Z' },
    });
    // A machine ticket on another device, resolved by the engineer: no cashier to ask.
    await flow.agent.request(healthMessage('h-2', [printerReport({ deviceId: 'printer-2', findings: [PAPER_END] })]));
    const machine = (await onSecondConnection(flow.test.dataDir, (sql) => sql.get<{ id: number }>("SELECT id FROM tickets WHERE device_id = 'printer-2'")))!.id;
    await post(`/api/tickets/${machine}/resolve`, { note: 'paper' });

    flow.test.clock.advanceSeconds(30 * 24 * HOUR);
    expect(await flow.test.server.closeUnansweredResolutions()).toEqual([]);
    expect((await detail(answeredNo)).status).toBe('open');
    expect((await detail(machine)).status).toBe('resolved');
  });

  it('uses the admin\'s period: GET for anyone signed in, PUT for admins only, bad values refused with a stable code', async () => {
    const url = flow.test.server.url;
    expect((await apiCall(url, 'GET', '/api/settings/cashier', flow.cookie)).json).toEqual({ settings: { autoCloseHours: 24 }, updatedBy: null, updatedAt: null });
    expect((await apiCall(url, 'PUT', '/api/settings/cashier', flow.cookie, { autoCloseHours: 2 })).status).toBe(403);
    const admin = await login(url, ADMIN);
    const bad = await apiCall(url, 'PUT', '/api/settings/cashier', admin, { autoCloseHours: 0 });
    expect(bad).toMatchObject({ status: 400, json: { ok: false, code: 'bad_request' } });
    const saved = await apiCall(url, 'PUT', '/api/settings/cashier', admin, { autoCloseHours: 2 });
    expect(saved).toEqual({ status: 200, json: { settings: { autoCloseHours: 2 }, updatedBy: 'admin', updatedAt: '2026-11-22T10:00:00.000Z' } });

    const ticketId = await resolvedTicket('rep-2h');
    const update = await nextUpdate(1);
    expect(update.payload.ticket.autoCloseAt).toBe('2026-11-22T12:00:00.000Z');
    flow.test.clock.advanceSeconds(2 * HOUR);
    expect(await flow.test.server.closeUnansweredResolutions()).toEqual([ticketId]);
  });

  it('reads only the waiting tickets, through their partial index', async () => {
    const plan = await onSecondConnection(flow.test.dataDir, (sql) =>
      sql.all<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${AWAITING_CASHIER_SQL}`, '2026-11-22T10:00:00.000Z'));
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX tickets_awaiting_cashier/);
  });
});

describe('reports the agent sends late, after a cashier report that overtook them', () => {
  it('keeps them as history but lets them move no ticket; a report probed after the cashier\'s does', async () => {
    const at = (minute: number) => new Date(Date.parse('2026-11-22T10:00:00.000Z') + minute * 60_000).toISOString();
    await flow.agent.request(healthMessage('h-fault', [printerReport({ findings: [PAPER_END], probedAt: at(-30) })]));
    const ticketId = (await onSecondConnection(flow.test.dataDir, (sql) => sql.get<{ id: number }>("SELECT id FROM tickets WHERE code = 'printer.paper_end'")))!.id;
    // Reported at 10:00 (queued while offline, sent first by urgency) ...
    await flow.agent.request(cashierReportMessage('rep-late', 'no_receipt', 'чек не идёт', [printerReport({ findings: [PAPER_END], probedAt: at(0) })]));
    // ... then the snapshot queued before it: paper present at 09:50. It must not resolve the ticket.
    await flow.agent.request(healthMessage('h-old-ok', [printerReport({ probedAt: at(-10) })]));
    expect((await detail(ticketId)).status).toBe('open');
    const kept = await onSecondConnection(flow.test.dataDir, (sql) => sql.all<{ msg_id: string }[]>("SELECT msg_id FROM device_reports WHERE msg_id = 'h-old-ok'"));
    expect(kept).toHaveLength(1);
    // Paper present after the report: the usual recovery rule applies (an untouched ticket resolves itself).
    await flow.agent.request(healthMessage('h-new-ok', [printerReport({ probedAt: at(1) })]));
    expect((await detail(ticketId)).status).toBe('resolved');
  });

  it('does not believe a register clock far ahead of the console\'s: its later reports still move tickets', async () => {
    await flow.agent.request(healthMessage('h-fault', [printerReport({ findings: [PAPER_END] })]));
    const ticketId = (await onSecondConnection(flow.test.dataDir, (sql) => sql.get<{ id: number }>("SELECT id FROM tickets WHERE code = 'printer.paper_end'")))!.id;
    const ahead = cashierReportMessage('rep-ahead', 'no_receipt', '', [printerReport({ findings: [PAPER_END] })]);
    ahead.payload.reportedAt = '2026-11-23T10:00:00.000Z'; // a day ahead; the clock was then corrected
    await flow.agent.request(ahead);
    await flow.agent.request(healthMessage('h-ok', [printerReport({ probedAt: '2026-11-22T10:01:00.000Z' })]));
    expect((await detail(ticketId)).status).toBe('resolved');
  });
});


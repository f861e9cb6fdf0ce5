import { TicketDetail, TicketList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, ENGINEER, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

// SLA clocks end to end: a real agent's paper-end report opens a ticket due in its store's
// business time; the overdue filter and the SLA watch see the running clock; a wait freezes it and
// the resume pushes the due dates by the business time waited. Real server, socket and SQLite.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));

const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);
/** Moves the clock; the engineer logs in again (a session lasts less than the hours skipped). */
async function later(hours: number): Promise<void> {
  flow.test.clock.advanceSeconds(hours * 3600);
  flow.cookie = await login(flow.test.server.url, ENGINEER);
}
const overdueIds = async () => TicketList.parse((await call('GET', '/api/tickets?overdue=1', flow.cookie)).json).tickets.map((t) => t.id);
const detail = async (id: number) => TicketDetail.parse((await call('GET', `/api/tickets/${id}`, flow.cookie)).json);
const move = async (id: number, verb: string, body: unknown) => expect((await call('POST', `/api/tickets/${id}/${verb}`, flow.cookie, body)).status).toBe(200);

describe('SLA clocks in business time', () => {
  it('due dates from the store\'s hours; overdue while running, not while waiting; the watch reports once; resume pushes by the hours waited', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const weekdays = [...Array.from({ length: 5 }, () => ({ open: '09:00', close: '18:00' })), null, null];
    expect((await call('PUT', '/api/stores/store-7', admin, { timeZone: 'Europe/Moscow', hours: weekdays, calendar: 'chain' })).status).toBe(200);

    // Sunday 13:00 in Moscow (10:00 UTC): a major paper-end ticket (P2: 30 min, 8 h) waits for Monday 09:00.
    await flow.agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const [opened] = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
    expect(opened).toMatchObject({ reactBy: '2026-11-23T06:30:00.000Z', resolveBy: '2026-11-23T14:00:00.000Z' });
    const id = opened!.id;
    expect(await overdueIds()).toEqual([]);
    expect(await flow.test.server.sweepSlaClocks()).toBe(0);

    await later(20 + 2 / 3); // Monday 09:40 in Moscow: the reaction is 10 minutes late
    expect(await overdueIds()).toEqual([id]);
    expect(await flow.test.server.sweepSlaClocks()).toBe(1);
    expect(await flow.test.server.sweepSlaClocks()).toBe(0);
    await move(id, 'take', undefined);
    expect(await overdueIds()).toEqual([]);

    await move(id, 'wait', { on: 'store', reason: 'the store is looking for paper' });
    await later(9 + 1 / 3); // Monday 19:00: past the resolution's due date, but the clock is paused
    expect(await overdueIds()).toEqual([]);
    expect(await flow.test.server.sweepSlaClocks()).toBe(0);
    await move(id, 'resume', { reason: 'paper found' });
    // Waited 09:40–18:00 of business time (8 h 20 min): from Monday 17:00 that is Tuesday 16:20 Moscow.
    const resumed = await detail(id);
    expect(resumed).toMatchObject({ resolveBy: '2026-11-24T13:20:00.000Z', waitingOn: null });
    expect(await overdueIds()).toEqual([]);
    expect(resumed.timeline.filter((e) => e.kind.startsWith('sla_'))).toEqual([
      expect.objectContaining({ kind: 'sla_breached', text: 'reaction overdue since 2026-11-23T06:30:00.000Z' }),
    ]);
  });
});

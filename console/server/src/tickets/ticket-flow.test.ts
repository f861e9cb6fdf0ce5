import { SLA_BY_SEVERITY, TicketDetail, TicketList, type Ack, type DiagnosisCode, type Finding, type TicketUpdate } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import {
  apiCall, ENGINEER, enroll, eventually, login, onSecondConnection, registerFlowForEachTest, TestAgent, type TestConsole,
} from '../test-support/console-harness';
import { cashierReportMessage, finding, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

let test: TestConsole;
let cookie: string;
let agent: TestAgent;

registerFlowForEachTest((flow) => ({ test, cookie, agent } = flow));

async function listTickets(query = '') {
  const { status, json } = await apiCall(test.server.url, 'GET', `/api/tickets${query}`, cookie);
  expect(status).toBe(200);
  return TicketList.parse(json).tickets;
}

async function ticketDetail(id: number) {
  const { status, json } = await apiCall(test.server.url, 'GET', `/api/tickets/${id}`, cookie);
  expect(status).toBe(200);
  return TicketDetail.parse(json);
}

describe('device findings', () => {
  it('opens a pre-diagnosed ticket for a paper_end finding', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const [summary, ...rest] = await listTickets();
    expect(rest).toEqual([]);
    const ticket = await ticketDetail(summary!.id);
    const sla = SLA_BY_SEVERITY.major;
    expect(ticket).toMatchObject({
      code: 'printer.paper_end', status: 'open', severity: 'major', priority: sla.priority, group: 'printers',
      storeId: 'store-7', registerId: 'till-2', deviceId: 'printer-1', active: true, occurrences: 1,
      openedAt: '2026-11-22T10:00:00.000Z', reactBy: '2026-11-22T10:30:00.000Z', resolveBy: '2026-11-22T18:00:00.000Z',
      detail: PAPER_END.detail,
      device: { deviceId: 'printer-1', kind: 'receipt-printer', driver: 'escpos', model: 'TM-T20III' },
    });
    expect(ticket.checklist).toContainEqual({ step: 'printer.paper', result: 'failed', observed: 'paper end sensor: no paper' });
    expect(ticket.evidence?.exchanges[0]?.reply).toBe('72');
    expect(ticket.timeline.map((event) => event.kind)).toEqual(['opened']);
  });

  it('makes no ticket of a finding the catalogue keeps off the queue ("could not check"), beside one it does', async () => {
    const couldNot = finding('host.check_failed', 'could not check: clock.synced (timedatectl not found)');
    await agent.request(healthMessage('h-1', [printerReport({ findings: [couldNot, PAPER_END] })]));
    expect((await listTickets()).map((t) => t.code)).toEqual(['printer.paper_end']);
  });

  it('updates the same ticket on a repeat and notes only a changed detail', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-3', [printerReport({ findings: [finding('printer.paper_end', 'other detail')] })]));
    const tickets = await listTickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.occurrences).toBe(3);
    const detail = await ticketDetail(tickets[0]!.id);
    expect(detail.timeline.map((event) => event.kind)).toEqual(['opened', 'finding_changed']);
    expect(detail.detail).toBe('other detail');
  });

  it('resolves an untouched ticket by itself when the finding recovers', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [printerReport()]));
    expect(await listTickets()).toEqual([]);
    const [resolved] = await listTickets('?status=resolved');
    expect(resolved).toMatchObject({ status: 'resolved', active: false });
    expect((await ticketDetail(resolved!.id)).timeline.map((event) => event.kind)).toEqual(['opened', 'recovered', 'auto_resolved']);
  });

  it('does not treat a partly unanswered probe (health unknown) as a recovery', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [printerReport({ health: 'unknown' })]));
    const [ticket] = await listTickets();
    expect(ticket).toMatchObject({ code: 'printer.paper_end', status: 'open', active: true });
    await agent.request(healthMessage('h-3', [printerReport()]));
    expect(await listTickets()).toEqual([]);
  });

  it('resolves a paper-end ticket from a partial answerer that vouches for paper (checked), though its health stays unknown', async () => {
    // A clone answering DLE EOT 1 and 4 only: every report is 'unknown', yet it can rule paper out.
    const partial = (findings: Finding[]) => ({ ...printerReport({ findings, health: 'unknown' }), checked: ['printer.offline', 'printer.paper_end', 'printer.paper_near_end'] as DiagnosisCode[] });
    await agent.request(healthMessage('h-1', [partial([PAPER_END])]));
    await agent.request(healthMessage('h-2', [partial([])]));
    expect(await listTickets()).toEqual([]);
    const [resolved] = await listTickets('?status=resolved');
    expect(resolved).toMatchObject({ code: 'printer.paper_end', status: 'resolved', active: false });
  });

  it('keeps a ticket open when the report checked other codes but not its own', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [{ ...printerReport(), checked: ['printer.offline'] }]));
    const [ticket] = await listTickets();
    expect(ticket).toMatchObject({ code: 'printer.paper_end', status: 'open', active: true });
  });

  it('keeps a paper-end ticket open while the printer does not answer, and resolves both once it does', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [printerReport({ findings: [finding('printer.no_reply', 'no reply to DLE EOT 1 within 800 ms: silence')] })]));
    const active = await listTickets();
    expect(active.map((t) => [t.code, t.status, t.active])).toEqual(
      expect.arrayContaining([
        ['printer.paper_end', 'open', true],
        ['printer.no_reply', 'open', true],
      ]),
    );
    await agent.request(healthMessage('h-3', [printerReport()]));
    expect(await listTickets()).toEqual([]);
  });

  it('reopens an auto-resolved ticket when the finding returns within the reopen days (3 by default), else opens a new one', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-2', [printerReport()]));
    test.clock.advanceSeconds(60);
    await agent.request(healthMessage('h-3', [printerReport({ findings: [PAPER_END] })]));
    const [reopened] = await listTickets();
    expect(reopened).toMatchObject({ status: 'open', occurrences: 2 });
    await agent.request(healthMessage('h-4', [printerReport()]));
    test.clock.advanceSeconds(3 * 86_400 - 60);
    cookie = await login(test.server.url, ENGINEER); // the session has expired meanwhile
    await agent.request(healthMessage('h-5', [printerReport({ findings: [PAPER_END] })]));
    expect((await listTickets()).map((ticket) => [ticket.id, ticket.occurrences])).toEqual([[reopened!.id, 3]]);
    await agent.request(healthMessage('h-6', [printerReport()]));
    test.clock.advanceSeconds(3 * 86_400 + 60);
    cookie = await login(test.server.url, ENGINEER);
    await agent.request(healthMessage('h-7', [printerReport({ findings: [PAPER_END] })]));
    const [fresh] = await listTickets();
    expect(fresh!.id).not.toBe(reopened!.id);
  });

  it('leaves a ticket an engineer touched open, with a recovered note', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const [ticket] = await listTickets();
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${ticket!.id}/take`, cookie)).status).toBe(200);
    await agent.request(healthMessage('h-2', [printerReport()]));
    const detail = await ticketDetail(ticket!.id);
    expect(detail).toMatchObject({ status: 'in_progress', assignee: ENGINEER.username, active: false });
    expect(detail.timeline.map((event) => event.kind)).toEqual(['opened', 'taken', 'recovered']);
  });

  it('processes a repeated message id once and acks it twice', async () => {
    const message = healthMessage('h-dup', [printerReport({ findings: [PAPER_END] })]);
    expect(await agent.request(message)).toEqual({ ackOf: 'h-dup', ok: true });
    agent.messages.length = 0;
    expect(await agent.request(message)).toEqual({ ackOf: 'h-dup', ok: true });
    const tickets = await listTickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.occurrences).toBe(1);
    const rows = await onSecondConnection(test.dataDir, (sql) => sql.all('SELECT id FROM device_reports WHERE msg_id = ?', 'h-dup'));
    expect(rows).toHaveLength(1);
  });
});

describe('cashier reports', () => {
  it('merges into the open machine ticket and acks with its ticket ref', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const ack = await agent.request(cashierReportMessage('rep-1', 'no_receipt', 'чек не печатается', [printerReport({ findings: [PAPER_END] })]));
    const [ticket] = await listTickets();
    expect(ack).toEqual({
      ackOf: 'rep-1', ok: true,
      ticket: { ticketId: ticket!.id, status: 'open', reactBy: ticket!.reactBy, reactMinutes: SLA_BY_SEVERITY.major.reactMinutes, progress: 'queued' },
    });
    const detail = await ticketDetail(ticket!.id);
    expect(detail.hasCashierReport).toBe(true);
    expect(detail.cashierNotes).toEqual([{ at: '2026-11-22T10:00:00.000Z', symptom: 'no_receipt', note: 'чек не печатается', locale: 'ru' }]);
    expect(detail.timeline.map((event) => event.kind)).toContain('cashier_report');

    // A resend after a lost ack gets the same ticket, and no second note.
    agent.messages.length = 0;
    const again = await agent.request(cashierReportMessage('rep-1', 'no_receipt', 'чек не печатается', []));
    expect(again).toEqual(ack);
    expect((await ticketDetail(ticket!.id)).cashierNotes).toHaveLength(1);
  });

  it('opens the machine ticket first when only the fresh diagnosis shows the fault', async () => {
    const ack = await agent.request(cashierReportMessage('rep-1', 'no_receipt', '', [printerReport({ findings: [PAPER_END] })]));
    const tickets = await listTickets();
    expect(tickets.map((ticket) => ticket.code)).toEqual(['printer.paper_end']);
    expect(ack).toMatchObject({ ok: true, ticket: { ticketId: tickets[0]!.id } });
    expect(tickets[0]!.hasCashierReport).toBe(true);
  });

  it('opens cashier.problem_reported routed by the symptom when nothing is wrong', async () => {
    const ack = (await agent.request(cashierReportMessage('rep-2', 'fiscal_error', 'ККТ пишет ошибку', [printerReport()]))) as Extract<Ack['payload'], { ok: true }>;
    const [ticket] = await listTickets();
    expect(ticket).toMatchObject({ code: 'cashier.problem_reported', group: 'fiscal', deviceId: null, hasCashierReport: true });
    expect(ack.ticket?.ticketId).toBe(ticket!.id);
  });

  it('pushes ticket_update to the reporting agent when the ticket changes status', async () => {
    await agent.request(cashierReportMessage('rep-3', 'other', 'help', []));
    const [ticket] = await listTickets();
    await apiCall(test.server.url, 'POST', `/api/tickets/${ticket!.id}/take`, cookie);
    const update = await agent.waitFor((m): m is TicketUpdate => m.type === 'ticket_update' && m.payload.ticket.status === 'in_progress');
    expect(update.payload).toMatchObject({ reportId: 'rep-3', ticket: { ticketId: ticket!.id } });
    await apiCall(test.server.url, 'POST', `/api/tickets/${ticket!.id}/resolve`, cookie, { note: 'restarted POS' });
    await agent.waitFor((m) => m.type === 'ticket_update' && m.payload.ticket.status === 'resolved');
  });
});

describe('engineer actions over REST', () => {
  it('takes, notes and resolves, with the timeline and register history', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] }), printerReport({ deviceId: 'printer-2', findings: [finding('printer.offline')] })]));
    const tickets = await listTickets();
    // Most severe first: printer.offline is critical (P1), paper_end major (P2).
    expect(tickets.map((ticket) => ticket.code)).toEqual(['printer.offline', 'printer.paper_end']);
    const id = tickets[1]!.id;
    await apiCall(test.server.url, 'POST', `/api/tickets/${id}/take`, cookie);
    const noted = await apiCall(test.server.url, 'POST', `/api/tickets/${id}/notes`, cookie, { text: 'called the store' });
    expect(noted.status).toBe(200);
    const resolved = TicketDetail.parse((await apiCall(test.server.url, 'POST', `/api/tickets/${id}/resolve`, cookie, { note: 'paper loaded' })).json);
    expect(resolved.status).toBe('resolved');
    expect(resolved.timeline.map((event) => [event.kind, event.actor])).toEqual([
      ['opened', null], ['taken', 'eve'], ['note', 'eve'], ['resolved', 'eve'],
    ]);
    expect(resolved.registerHistory.map((ticket) => ticket.id)).toEqual([tickets[0]!.id]);
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${id}/resolve`, cookie, {})).status).toBe(409);
    expect((await apiCall(test.server.url, 'GET', '/api/tickets/99999', cookie)).json).toMatchObject({ ok: false, code: 'not_found' });
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${id}/notes`, cookie, { text: '' })).json).toMatchObject({ code: 'bad_request' });
    expect((await listTickets('?mine=1')).map((ticket) => ticket.id)).toEqual([]);
    expect((await listTickets('?group=network'))).toEqual([]);
    expect((await apiCall(test.server.url, 'GET', '/api/tickets?status=bogus', cookie)).status).toBe(400);
  });

  it('asks a connected agent to probe and records the result on the open tickets', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const registers = (await apiCall(test.server.url, 'GET', '/api/registers', cookie)).json.registers;
    expect(registers).toMatchObject([{ storeId: 'store-7', registerId: 'till-2', connected: true, openTickets: 1, devices: [{ deviceId: 'printer-1', health: 'fault', codes: ['printer.paper_end'] }] }]);
    const probe = await apiCall(test.server.url, 'POST', `/api/registers/${registers[0].agentId}/probe`, cookie, {});
    expect(probe.status).toBe(202);
    const command = await agent.waitFor((m) => m.type === 'command');
    expect(command.payload).toEqual({ commandId: probe.json.commandId, verb: 'probe_now' });
    const ack = await agent.request({ v: 1, type: 'command_result', id: 'cr-1', ts: '2026-11-22T10:00:00.000Z', payload: { commandId: probe.json.commandId, ok: true, devices: [printerReport()] } });
    expect(ack).toEqual({ ackOf: 'cr-1', ok: true });
    const [ticket] = await listTickets('?status=all');
    const timeline = (await ticketDetail(ticket!.id)).timeline;
    expect(timeline.filter((event) => event.kind === 'command').map((event) => event.text)).toEqual([
      'probe_now requested', 'probe_now result: 1 device(s) probed; findings: none',
    ]);
    expect(ticket!.status).toBe('resolved');
  });
});

describe('ticket list under load', () => {
  it('sorts by priority then age across registers', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [finding('printer.paper_near_end')] })]));
    test.clock.advanceSeconds(5);
    await agent.request(healthMessage('h-2', [printerReport({ deviceId: 'printer-2', findings: [PAPER_END] })]));
    test.clock.advanceSeconds(5);
    await agent.request(healthMessage('h-3', [printerReport({ deviceId: 'printer-3', findings: [PAPER_END] })]));
    const tickets = await eventually(listTickets, (list) => list.length === 3);
    expect(tickets.map((ticket) => [ticket.priority, ticket.deviceId])).toEqual([[2, 'printer-2'], [2, 'printer-3'], [3, 'printer-1']]);
  });
});

describe('cashier confirmation', () => {
  const feedback = (id: string, reportId: string, ticketId: number, working: boolean) => ({
    v: 1 as const, type: 'cashier_feedback' as const, id, ts: '2026-11-22T10:00:00.000Z',
    payload: { reportId, ticketId, working, answeredAt: '2026-11-22T10:05:00.000Z' },
  });

  /** A cashier report's ticket, resolved by the engineer; the resolve's ticket_update already seen. */
  async function resolvedTicket(reportId = 'rep-c'): Promise<number> {
    const ack = await agent.request(cashierReportMessage(reportId, 'no_receipt', 'чек не идёт', [printerReport({ findings: [PAPER_END] })]));
    const ticketId = (ack as Extract<Ack['payload'], { ok: true }>).ticket!.ticketId;
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/resolve`, cookie, { note: 'paper loaded' })).status).toBe(200);
    await agent.waitFor((m) => m.type === 'ticket_update' && m.payload.ticket.status === 'resolved');
    return ticketId;
  }

  it('"working" closes a resolved ticket and tells the cashier page', async () => {
    const ticketId = await resolvedTicket();
    test.clock.advanceSeconds(60);
    expect(await agent.request(feedback('fb-1', 'rep-c', ticketId, true))).toEqual({ ackOf: 'fb-1', ok: true });
    const detail = await ticketDetail(ticketId);
    expect(detail.status).toBe('closed');
    expect(detail.timeline.at(-1)).toEqual({ at: '2026-11-22T10:01:00.000Z', kind: 'cashier_confirmed', actor: null, text: '' });
    const update = await agent.waitFor((m): m is TicketUpdate => m.type === 'ticket_update' && m.payload.ticket.status === 'closed');
    expect(update.payload).toMatchObject({ reportId: 'rep-c', ticket: { ticketId } });
    expect(await listTickets()).toEqual([]);
    expect((await listTickets('?status=resolved')).map((t) => [t.id, t.status])).toEqual([[ticketId, 'closed']]);
    const row = await onSecondConnection(test.dataDir, (sql) => sql.get('SELECT closed_at FROM tickets WHERE id = ?', ticketId));
    expect(row).toEqual({ closed_at: '2026-11-22T10:01:00.000Z' });
  });

  it('"not working" reopens the ticket, pushes ticket_update, and the recovered finding does not resolve it again', async () => {
    const ticketId = await resolvedTicket();
    // The printer recovered before the engineer resolved: the finding is no longer active.
    await agent.request(healthMessage('h-ok-1', [printerReport()]));
    agent.messages.length = 0;
    expect(await agent.request(feedback('fb-2', 'rep-c', ticketId, false))).toEqual({ ackOf: 'fb-2', ok: true });
    const update = await agent.waitFor((m): m is TicketUpdate => m.type === 'ticket_update');
    expect(update.payload).toMatchObject({ reportId: 'rep-c', ticket: { ticketId, status: 'open' } });
    const detail = await ticketDetail(ticketId);
    expect(detail).toMatchObject({ status: 'open', resolvedAt: null, assignee: ENGINEER.username });
    expect(detail.timeline.map((e) => e.kind).slice(-2)).toEqual(['resolved', 'cashier_not_fixed']);

    // Still healthy is not a new recovery: the ticket stays open for the engineer.
    await agent.request(healthMessage('h-ok-2', [printerReport()]));
    expect((await ticketDetail(ticketId)).status).toBe('open');
    // An engineer can resolve it again, and then the cashier can confirm.
    await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/resolve`, cookie, { note: 'replaced the roll' });
    await agent.request(feedback('fb-3', 'rep-c', ticketId, true));
    expect((await ticketDetail(ticketId)).status).toBe('closed');
  });

  it('"not working" on an untouched auto-resolved ticket reopens it until the fault comes back and recovers again', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const [machine] = await listTickets();
    const ack = await agent.request(cashierReportMessage('rep-auto-2', 'no_receipt', '', [printerReport({ findings: [PAPER_END] })]));
    expect(ack).toMatchObject({ ok: true, ticket: { ticketId: machine!.id } });
    await agent.request(healthMessage('h-2', [printerReport()]));
    expect((await ticketDetail(machine!.id)).status).toBe('resolved');
    await agent.request(feedback('fb-auto', 'rep-auto-2', machine!.id, false));
    expect((await ticketDetail(machine!.id)).status).toBe('open');
    await agent.request(healthMessage('h-3', [printerReport()]));
    expect((await ticketDetail(machine!.id)).status).toBe('open');
    await agent.request(healthMessage('h-4', [printerReport({ findings: [PAPER_END] })]));
    await agent.request(healthMessage('h-5', [printerReport()]));
    expect((await ticketDetail(machine!.id)).status).toBe('resolved');
  });

  it('refuses an answer about another register\'s ticket, an unknown ticket, or a report not on the ticket', async () => {
    const ticketId = await resolvedTicket();
    const other = await enroll(test, 'store-7', 'till-3');
    const stranger = await TestAgent.connect(test.server.url, other.credential);
    try {
      expect(await stranger.request(feedback('fb-x', 'rep-c', ticketId, false))).toMatchObject({ ackOf: 'fb-x', ok: false, code: 'forbidden' });
      expect(await stranger.request(feedback('fb-y', 'rep-c', 99999, false))).toMatchObject({ ackOf: 'fb-y', ok: false, code: 'not_found' });
    } finally {
      stranger.close();
    }
    expect(await agent.request(feedback('fb-z', 'rep-unknown', ticketId, false))).toMatchObject({ ackOf: 'fb-z', ok: false, code: 'not_found' });
    const detail = await ticketDetail(ticketId);
    expect(detail.status).toBe('resolved');
    expect(detail.timeline.map((e) => e.kind)).not.toContain('cashier_not_fixed');
  });

  it('applies a repeated answer id once and acks it twice', async () => {
    const ticketId = await resolvedTicket();
    const message = feedback('fb-dup', 'rep-c', ticketId, false);
    expect(await agent.request(message)).toEqual({ ackOf: 'fb-dup', ok: true });
    // The engineer resolves again; a resend of the old "no" must not reopen it a second time.
    await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/resolve`, cookie, { note: 'again' });
    agent.messages.length = 0;
    expect(await agent.request(message)).toEqual({ ackOf: 'fb-dup', ok: true });
    const detail = await ticketDetail(ticketId);
    expect(detail.status).toBe('resolved');
    expect(detail.timeline.filter((e) => e.kind === 'cashier_not_fixed')).toHaveLength(1);
  });

  it('a later answer replaces an earlier one: "no" then "yes" after the next resolution closes it', async () => {
    const ticketId = await resolvedTicket();
    await agent.request(feedback('fb-a', 'rep-c', ticketId, true));
    expect((await ticketDetail(ticketId)).status).toBe('closed');
    // The cashier changed their mind: a closed ticket reopens too.
    await agent.request(feedback('fb-b', 'rep-c', ticketId, false));
    expect((await ticketDetail(ticketId)).status).toBe('open');
    const rows = await onSecondConnection(test.dataDir, (sql) => sql.all('SELECT working, msg_id FROM cashier_answers WHERE report_msg_id = ?', 'rep-c'));
    expect(rows).toEqual([{ working: 0, msg_id: 'fb-b' }]);
  });
});

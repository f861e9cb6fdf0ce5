import { PROTOCOL_VERSION, TicketDetail, TicketList, type Ack, type TestPrintSummary } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { apiCall, ENGINEER, registerFlowForEachTest, type TestAgent, type TestConsole } from '../test-support/console-harness';
import { cashierReportMessage, fiscalReport, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

let test: TestConsole;
let cookie: string;
let agent: TestAgent;

registerFlowForEachTest((flow) => ({ test, cookie, agent } = flow), ['printer-1', 'kkt-1']);

async function onlyTicket(status = 'all') {
  const { json } = await apiCall(test.server.url, 'GET', `/api/tickets?status=${status}`, cookie);
  const [ticket, ...rest] = TicketList.parse(json).tickets;
  expect(rest).toEqual([]);
  return ticket!;
}

async function detail(id: number) {
  return TicketDetail.parse((await apiCall(test.server.url, 'GET', `/api/tickets/${id}`, cookie)).json);
}

const summary = (outcome: TestPrintSummary['outcome'], reason: string, requestedBy: TestPrintSummary['requestedBy'] = 'engineer'): TestPrintSummary => ({
  deviceId: 'printer-1', outcome, reason, requestedBy, startedAt: '2026-11-22T10:00:00.000Z', finishedAt: '2026-11-22T10:00:03.000Z', jobBytes: outcome === 'printed' ? 180 : 0,
});

describe('test print from a ticket', () => {
  it('sends test_print with the device and ticket, and lands the answer on that ticket: timeline and checklist step', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const ticket = await onlyTicket();
    const asked = await apiCall(test.server.url, 'POST', `/api/tickets/${ticket.id}/test-print`, cookie);
    expect(asked.status).toBe(202);
    const command = await agent.waitFor((m) => m.type === 'command');
    expect(command.payload).toEqual({ commandId: asked.json.commandId, verb: 'test_print', deviceId: 'printer-1', ticketId: ticket.id });
    const refused = summary('refused', 'the printer is not ready: printer.paper_end: DLE EOT 4 = 0x72');
    const ack = await agent.request({
      v: PROTOCOL_VERSION, type: 'command_result', id: 'cr-1', ts: '2026-11-22T10:00:03.000Z',
      payload: { commandId: asked.json.commandId, ok: true, devices: [printerReport({ findings: [PAPER_END] })], testPrint: refused },
    });
    expect(ack).toEqual({ ackOf: 'cr-1', ok: true });
    const seen = await detail(ticket.id);
    expect(seen.timeline.filter((e) => e.kind.startsWith('test_print')).map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['test_print_requested', ENGINEER.username, 'printer-1'],
      ['test_print', null, `refused (printer-1, requested by engineer): ${refused.reason}`],
    ]);
    expect(seen.checklist.filter((step) => step.step === 'printer.test_print')).toEqual([{ step: 'printer.test_print', result: 'unknown', observed: `refused: ${refused.reason}` }]);
    // A later report of the finding replaces the reports' checklist, not the test print step.
    await agent.request(healthMessage('h-2', [printerReport({ findings: [PAPER_END] })]));
    expect((await detail(ticket.id)).checklist.find((step) => step.step === 'printer.test_print')?.result).toBe('unknown');
  });

  it('marks the step passed for a printed test and failed for one that was not', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const ticket = await onlyTicket();
    for (const [id, outcome, result] of [['cr-1', 'printed', 'passed'], ['cr-2', 'not_sent', 'failed']] as const) {
      const asked = await apiCall(test.server.url, 'POST', `/api/tickets/${ticket.id}/test-print`, cookie);
      await agent.request({ v: PROTOCOL_VERSION, type: 'command_result', id, ts: '2026-11-22T10:00:03.000Z', payload: { commandId: asked.json.commandId, ok: true, devices: [], testPrint: summary(outcome, 'why') } });
      expect((await detail(ticket.id)).checklist.find((step) => step.step === 'printer.test_print')).toMatchObject({ result });
    }
  });

  it('refuses a ticket that is not about a receipt printer, and a register that is not connected', async () => {
    await agent.request(healthMessage('h-1', [fiscalReport({ findings: [{ code: 'fiscal.no_reply', detail: 'silence' }] })]));
    const fiscal = await onlyTicket();
    const refused = await apiCall(test.server.url, 'POST', `/api/tickets/${fiscal.id}/test-print`, cookie);
    expect(refused).toMatchObject({ status: 409, json: { code: 'conflict', message: expect.stringMatching(/receipt printer/) } });
    await agent.request(healthMessage('h-2', [printerReport({ findings: [PAPER_END] })]));
    const printer = TicketList.parse((await apiCall(test.server.url, 'GET', '/api/tickets?status=all', cookie)).json).tickets.find((t) => t.deviceId === 'printer-1')!;
    agent.close();
    await agent.closed;
    const offline = await apiCall(test.server.url, 'POST', `/api/tickets/${printer.id}/test-print`, cookie);
    expect(offline).toMatchObject({ status: 409, json: { message: expect.stringMatching(/not connected/) } });
    expect((await detail(printer.id)).timeline.map((e) => e.kind)).not.toContain('test_print_requested');
  });
});

describe('test print the cashier agreed to', () => {
  it('lands on the ticket of the cashier report it followed', async () => {
    const ack = await agent.request(cashierReportMessage('rep-1', 'no_receipt', 'не печатает', [printerReport({ findings: [PAPER_END] })]));
    const ticketId = (ack as Extract<Ack['payload'], { ok: true }>).ticket!.ticketId;
    const done = await agent.request({
      v: PROTOCOL_VERSION, type: 'test_print_done', id: 'tp-1', ts: '2026-11-22T10:01:00.000Z',
      payload: { reportId: 'rep-1', summary: summary('failed', 'status after printing: printer.paper_end: no paper', 'cashier'), devices: [printerReport({ findings: [PAPER_END] })] },
    });
    expect(done).toEqual({ ackOf: 'tp-1', ok: true });
    const seen = await detail(ticketId);
    expect(seen.timeline.filter((e) => e.kind === 'test_print').map((e) => e.text)).toEqual(['failed (printer-1, requested by cashier): status after printing: printer.paper_end: no paper']);
    expect(seen.checklist.find((step) => step.step === 'printer.test_print')).toMatchObject({ result: 'failed' });
  });
});

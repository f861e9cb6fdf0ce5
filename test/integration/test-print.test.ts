import { describe, expect, it } from 'vitest';
import { ptyModeAvailable } from '../../scripts/sim/star/simulator';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// The test print end to end: the real console, the real agent, the ESC/POS simulator on TCP. The
// job goes over the printer's own transport, the status is re-read, and the result lands on the ticket.
/** Bytes the simulator received that were not DLE EOT status requests (3 bytes each): print data. */
function nonStatusBytes(stats: { bytesReceived: number; statusQueries: number }): number {
  return stats.bytesReceived - 3 * stats.statusQueries;
}

describe('test print, end to end', () => {
  const e2e = useEndToEndStack('test-print', {
    registers: [{ storeId: 'msk-201', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T20III' }],
  });

  async function paperTicket() {
    return eventually('a paper-end ticket', async () => forRegister(await e2e.api.tickets('active'), 'msk-201', 'pos-1', 'printer.paper_end')[0]);
  }

  async function testPrintEvent(ticketId: number, count: number) {
    return eventually('the test print result', async () => {
      const events = (await e2e.api.ticket(ticketId)).timeline.filter((e) => e.kind === 'test_print');
      return events.length >= count ? events[count - 1] : null;
    });
  }

  it('refuses on a printer out of paper: nothing reaches the printer, the ticket says why', async () => {
    const till = e2e.stack.register('msk-201/pos-1');
    till.simulator.setFaults({ paperEnd: true });
    const ticket = await paperTicket();
    const before = nonStatusBytes(till.simulator.stats());
    await e2e.api.testPrint(ticket.id);
    const event = await testPrintEvent(ticket.id, 1);
    expect(event.text).toMatch(/^refused .*not ready: printer\.paper_end/);
    const detail = await e2e.api.ticket(ticket.id);
    expect(detail.timeline.find((e) => e.kind === 'test_print_requested')).toMatchObject({ actor: 'engineer' });
    expect(detail.checklist.find((c) => c.step === 'printer.test_print')).toMatchObject({ result: 'unknown' });
    // Only status requests went out (and perhaps an identity request), no job (about 270 bytes).
    expect(nonStatusBytes(till.simulator.stats()) - before).toBeLessThan(20);
  });

  it('prints once the paper is back: the job reaches the simulator and the re-read status says printed', async () => {
    const till = e2e.stack.register('msk-201/pos-1');
    const ticket = await paperTicket();
    await e2e.api.take(ticket.id); // an engineer's ticket stays open after the paper is back
    till.simulator.setFaults({ paperEnd: false });
    const before = nonStatusBytes(till.simulator.stats());
    await e2e.api.testPrint(ticket.id);
    const event = await testPrintEvent(ticket.id, 2);
    expect(event.text).toMatch(/^printed .*status after printing: online, paper present/);
    expect(nonStatusBytes(till.simulator.stats()) - before).toBeGreaterThan(200);
    const step = (await e2e.api.ticket(ticket.id)).checklist.find((c) => c.step === 'printer.test_print');
    expect(step).toMatchObject({ result: 'passed' });
  });

  it('the cashier\'s agreed test print lands on the ticket of their report via test_print_done', async () => {
    const till = e2e.stack.register('msk-201/pos-1');
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${till.cashierUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const report = await post('api/reports', { symptom: 'no_receipt', note: 'чек бледный', locale: 'ru' });
    expect(report.status).toBe(201);
    const reportId = String(report.json.reportId);
    const ticketId = await eventually('the report\'s ticket', async () => {
      const status = (await (await fetch(`${till.cashierUrl}api/reports/${reportId}`)).json()) as { ticket?: { ticketId: number } };
      return status.ticket?.ticketId;
    });
    const printed = await post(`api/reports/${reportId}/test-print`, {});
    expect(printed).toEqual({ status: 200, json: { outcome: 'printed', saved: true } });
    const event = await eventually('the cashier test print on the ticket', async () =>
      (await e2e.api.ticket(ticketId)).timeline.find((e) => e.kind === 'test_print' && e.text.includes('requested by cashier')));
    expect(event.text).toMatch(/^printed/);
  });
});

describe('test print on a Star printer (line mode), end to end', () => {
  const e2e = useEndToEndStack('test-print-star', {
    ptyAvailable: ptyModeAvailable(),
    registers: [{ storeId: 'spb-002', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III', starPrinter: { model: 'Star TSP650II', link: 'pty' } }],
  });

  it('prints on a Star printer: no ESC/POS status request reaches it, and the status re-read after the job says printed', async () => {
    const star = e2e.stack.register('spb-002/pos-2').star!;
    star.simulator.setFaults({ coverOpen: true });
    const ticket = await eventually('a Star cover ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-2', 'printer.cover_open')[0]);
    await e2e.api.take(ticket.id);
    star.simulator.setFaults({ coverOpen: false });
    await e2e.api.testPrint(ticket.id);
    const event = await eventually('the Star test print result', async () => (await e2e.api.ticket(ticket.id)).timeline.find((e) => e.kind === 'test_print'));
    expect(event.text).toMatch(/^printed \(star-printer/);
    expect(star.simulator.stats().dleEotIgnored).toBe(0);
  });
});

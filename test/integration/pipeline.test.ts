import { isStructuredExchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ptyModeAvailable } from '../../scripts/sim/escpos/simulator';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// The whole path with every part real: a simulated printer on real TCP or a real pseudo-terminal,
// the real agent probing it, a real WebSocket to the real console server, a real SQLite file, and
// the REST API an engineer's console reads. Waits poll the API; no test asserts a duration.

const hasSocat = ptyModeAvailable();

describe('printer fault to pre-diagnosed ticket, end to end', () => {
  const e2e = useEndToEndStack('pipeline', {
    ptyAvailable: hasSocat,
    registers: [
      { storeId: 'msk-001', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T20II' },
      { storeId: 'msk-001', registerId: 'pos-2', printer: 'pty', model: 'Epson TM-T88V' },
      { storeId: 'spb-002', registerId: 'pos-1', printer: 'tcp', model: 'Xprinter XP-Q80I' },
    ],
  });

  it('over TCP: paper end opens a ticket with code and decoded evidence, and recovery resolves it by itself', async () => {
    const till = e2e.stack.register('msk-001/pos-1');
    till.simulator.setFaults({ paperEnd: true });

    const opened = await eventually('a paper-end ticket', async () => forRegister(await e2e.api.tickets('active'), 'msk-001', 'pos-1', 'printer.paper_end')[0]);
    expect(opened).toMatchObject({ status: 'open', group: 'printers', deviceId: 'printer', active: true });
    const detail = await e2e.api.ticket(opened.id);
    const paperQuery = detail.evidence?.exchanges.filter((e) => !isStructuredExchange(e)).find((e) => e.request === '10 04 04');
    expect(paperQuery?.valid).toBe(true);
    // bits 5 and 6 of DLE EOT 4 are the paper-end sensor pair
    expect(Number.parseInt(paperQuery?.reply ?? '0', 16) & 0x60).toBe(0x60);
    expect(paperQuery?.decoded.some((f) => f.alarm && f.set)).toBe(true);
    expect(detail.evidence?.transport).toBe('tcp');
    expect(detail.checklist.find((c) => c.step === 'printer.paper')?.result).toBe('failed');
    expect(detail.checklist.find((c) => c.step === 'printer.answers')?.result).toBe('passed');
    expect(detail.timeline.map((e) => e.kind)).toContain('opened');

    // One open ticket per (register, device, code): repeats update it rather than open new ones.
    await eventually('repeat reports', async () => (await e2e.api.ticket(opened.id)).occurrences >= 2 || null);
    expect(forRegister(await e2e.api.tickets('all'), 'msk-001', 'pos-1', 'printer.paper_end')).toHaveLength(1);

    till.simulator.setFaults({ paperEnd: false });
    const resolved = await eventually('auto-resolution', async () => {
      const t = await e2e.api.ticket(opened.id);
      return t.status === 'resolved' ? t : null;
    });
    expect(resolved.active).toBe(false);
    expect(resolved.timeline.map((e) => e.kind)).toContain('auto_resolved');
  });

  it.skipIf(!hasSocat)('over a serial pseudo-terminal (socat): cover open opens a ticket and closing it resolves it', async () => {
    const till = e2e.stack.register('msk-001/pos-2');
    expect(till.printerTransport).toBe('pty');
    till.simulator.setFaults({ coverOpen: true });
    const opened = await eventually('a cover-open ticket', async () => forRegister(await e2e.api.tickets('active'), 'msk-001', 'pos-2', 'printer.cover_open')[0]);
    const detail = await e2e.api.ticket(opened.id);
    expect(detail.evidence?.transport).toBe('serial');
    expect(detail.checklist.find((c) => c.step === 'printer.cover')?.result).toBe('failed');
    till.simulator.setFaults({ coverOpen: false });
    await eventually('auto-resolution', async () => (await e2e.api.ticket(opened.id)).status === 'resolved' || null);
  });

  it('a printer that stops answering is "no reply", not "offline"', async () => {
    const till = e2e.stack.register('spb-002/pos-1');
    till.simulator.setFaults({ noReply: true });
    const opened = await eventually('a no-reply ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-1', 'printer.no_reply')[0]);
    expect(forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-1', 'printer.offline')).toHaveLength(0);
    expect(opened.severity).toBe('critical');
    till.simulator.setFaults({ noReply: false });
    await eventually('auto-resolution', async () => (await e2e.api.ticket(opened.id)).status === 'resolved' || null);
  });

  it('the cashier confirms the fix: "Нет" reopens the resolved ticket, "Да" after the next resolution closes it', async () => {
    const till = e2e.stack.register('msk-001/pos-1');
    const page = async (path = '', body?: unknown) => {
      const response = await fetch(`${till.cashierUrl}api/reports${path}`, body === undefined ? {} : {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as { reportId: string; working: boolean | null; ticket?: { ticketId: number; status: string } } };
    };
    till.simulator.setFaults({ coverOpen: true });
    const machine = await eventually('a cover-open ticket', async () => forRegister(await e2e.api.tickets('active'), 'msk-001', 'pos-1', 'printer.cover_open')[0]);

    const posted = await page('', { symptom: 'no_receipt', note: 'крышка не закрывается', locale: 'ru' });
    expect(posted.status).toBe(201);
    const reportId = posted.json.reportId;
    const ticket = await eventually('the report on the cover-open ticket', async () => (await page(`/${reportId}`)).json.ticket);
    expect(ticket.ticketId).toBe(machine.id);

    // The engineer takes it, the store closes the cover, the engineer resolves it.
    await e2e.api.take(machine.id);
    till.simulator.setFaults({ coverOpen: false });
    await eventually('the finding recovered', async () => !(await e2e.api.ticket(machine.id)).active || null);
    expect((await e2e.api.resolve(machine.id, 'cover closed')).status).toBe('resolved');
    await eventually('the page shows resolved', async () => (await page(`/${reportId}`)).json.ticket?.status === 'resolved' || null);

    expect((await page(`/${reportId}/answer`, { working: false })).status).toBe(200);
    const reopened = await eventually('the ticket open again', async () => {
      const detail = await e2e.api.ticket(machine.id);
      return detail.status === 'open' ? detail : null;
    });
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.timeline.map((e) => e.kind)).toContain('cashier_not_fixed');
    await eventually('the page follows the reopen', async () => (await page(`/${reportId}`)).json.ticket?.status === 'open' || null);

    expect((await e2e.api.resolve(machine.id, 'cover latch replaced')).status).toBe('resolved');
    // A new resolution: the earlier "Нет" answered the earlier one, so the page asks again.
    await eventually('the page asks again', async () => {
      const status = (await page(`/${reportId}`)).json;
      return (status.ticket?.status === 'resolved' && status.working === null) || null;
    });
    expect((await page(`/${reportId}/answer`, { working: true })).status).toBe(200);
    const closed = await eventually('the ticket closed', async () => {
      const detail = await e2e.api.ticket(machine.id);
      return detail.status === 'closed' ? detail : null;
    });
    expect(closed.timeline.map((e) => e.kind).filter((k) => k.startsWith('cashier_') || k === 'resolved')).toEqual([
      'cashier_report', 'resolved', 'cashier_not_fixed', 'resolved', 'cashier_confirmed',
    ]);
    await eventually('the page shows closed', async () => (await page(`/${reportId}`)).json.ticket?.status === 'closed' || null);
  });

  it('with the server down, a fault and a cashier report are kept and arrive exactly once after restart', async () => {
    const till = e2e.stack.register('spb-002/pos-1');
    await e2e.stack.stopServer();
    till.simulator.setFaults({ cutterError: true });

    // The cashier reports while the server is down: the agent accepts it and keeps it.
    const post = await fetch(`${till.cashierUrl}api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symptom: 'no_receipt', note: 'чек обрезается не до конца', locale: 'ru' }),
    });
    expect(post.status).toBe(201);
    const { reportId } = (await post.json()) as { reportId: string };
    const queued = (await (await fetch(`${till.cashierUrl}api/reports/${reportId}`)).json()) as { state: string; connected: boolean };
    expect(queued).toMatchObject({ state: 'queued', connected: false });
    await new Promise((r) => setTimeout(r, 2500)); // several probe rounds pile up in the outbox

    await e2e.stack.startServer();
    const delivered = await eventually('the report delivered with its ticket', async () => {
      const status = (await (await fetch(`${till.cashierUrl}api/reports/${reportId}`)).json()) as { state: string; ticket?: { ticketId: number } };
      return status.state === 'delivered' && status.ticket ? status.ticket : null;
    }, 30_000);

    const cutter = await eventually('one cutter ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-1', 'printer.cutter_error'));
    expect(cutter).toHaveLength(1);
    expect(delivered.ticketId).toBe(cutter[0]?.id);
    const detail = await e2e.api.ticket(delivered.ticketId);
    expect(detail.cashierNotes).toHaveLength(1);
    expect(detail.cashierNotes[0]).toMatchObject({ symptom: 'no_receipt', note: 'чек обрезается не до конца' });
    expect(detail.timeline.filter((e) => e.kind === 'cashier_report')).toHaveLength(1);
    expect(detail.timeline.filter((e) => e.kind === 'opened')).toHaveLength(1);
    till.simulator.setFaults({ cutterError: false });
  });
});

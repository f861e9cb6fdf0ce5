import { isStructuredExchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// The OS print queue end to end: the CUPS simulator's lpstat (recorded outputs) run by the real
// agent as a child process, merged into the printer's report, to a ticket in the real console.
describe('CUPS queue paused to ticket, end to end', () => {
  const e2e = useEndToEndStack('print-queue', {
    registers: [{ storeId: 'spb-002', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III', printQueue: true }],
  });

  it('a paused queue opens a printer.queue_paused ticket with the lpstat evidence and the failed queue step; resuming resolves it', async () => {
    const till = e2e.stack.register('spb-002/pos-2');
    await till.cups!.setState('disabled');

    const opened = await eventually('a queue-paused ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-2', 'printer.queue_paused')[0]);
    const detail = await e2e.api.ticket(opened.id);
    expect(detail.checklist.find((c) => c.step === 'printer.queue')).toMatchObject({ result: 'failed', observed: expect.stringContaining('Paused by Tillscope recording') });
    const lpstat = detail.evidence?.exchanges.filter(isStructuredExchange).find((e) => e.label.startsWith('lpstat -l -p'));
    expect(lpstat?.reply).toMatchObject({ state: 'disabled', messages: ['Paused by Tillscope recording'] });

    await till.cups!.setState('idle');
    const resolved = await eventually('auto-resolution', async () => {
      const t = await e2e.api.ticket(opened.id);
      return t.status === 'resolved' ? t : null;
    });
    expect(resolved.timeline.map((e) => e.kind)).toContain('auto_resolved');
  });
});

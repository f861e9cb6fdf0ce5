import { isStructuredExchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ptyModeAvailable } from '../../scripts/sim/star/simulator';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// A Star printer in line mode beside a register's ESC/POS printer, as the demo store has one: its
// fault reaches the console as a ticket on the Star device, and clearing it resolves the ticket
// (the Star report lists the code in `checked`). Every part real: simulator on a socat pty (TCP
// without socat), agent, WebSocket, console, SQLite.

const hasSocat = ptyModeAvailable();

describe('Star printer fault to ticket and back, end to end', () => {
  const e2e = useEndToEndStack('star-line', {
    ptyAvailable: hasSocat,
    registers: [{ storeId: 'spb-002', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III', starPrinter: { model: 'Star TSP650II', link: 'pty' } }],
  });

  it('paper end on the Star printer opens a ticket with the frame as evidence; a new roll resolves it', async () => {
    const star = e2e.stack.register('spb-002/pos-2').star!;
    star.simulator.setFaults({ paperEnd: true });
    const opened = await eventually('a Star paper-end ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-002', 'pos-2', 'printer.paper_end')[0]);
    expect(opened).toMatchObject({ deviceId: 'star-printer', status: 'open' });
    const detail = await e2e.api.ticket(opened.id);
    const exchange = detail.evidence?.exchanges.filter((e) => !isStructuredExchange(e))[0];
    expect(exchange).toMatchObject({ request: '1b 06 01', reply: '23 04 08 00 00 08 00 00 00', valid: true });
    expect(detail.evidence?.transport).toBe(hasSocat ? 'serial' : 'tcp');
    expect(detail.checklist.find((c) => c.step === 'printer.paper')?.result).toBe('failed');
    expect(star.simulator.stats().dleEotIgnored).toBe(0);

    star.simulator.setFaults({ paperEnd: false });
    const resolved = await eventually('auto-resolution', async () => {
      const t = await e2e.api.ticket(opened.id);
      return t.status === 'resolved' ? t : null;
    });
    expect(resolved.timeline.map((e) => e.kind)).toContain('auto_resolved');
  });
});

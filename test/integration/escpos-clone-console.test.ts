import { describe, expect, it } from 'vitest';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// A clone printer that answers DLE EOT 1 and 4 only, end to end: the real agent probes the
// simulator (model "clone") and reports to the real console. Its reports stay 'unknown' (cover and
// errors cannot be checked), yet `checked` vouches for paper, so the paper-end ticket resolves.
describe('a clone printer (DLE EOT 1 and 4 only) out of paper, end to end', () => {
  const e2e = useEndToEndStack('escpos-clone', {
    registers: [{ storeId: 'spb-003', registerId: 'pos-1', printer: 'tcp', model: 'Xprinter XP-58 (clone)' }],
  });

  it('paper end opens a printer.paper_end ticket (paper failed, cover could not be checked); paper back resolves it', async () => {
    const till = e2e.stack.register('spb-003/pos-1');
    till.simulator.setModel('clone');
    till.simulator.setFaults({ paperEnd: true });

    const opened = await eventually('a paper-end ticket', async () => forRegister(await e2e.api.tickets('active'), 'spb-003', 'pos-1', 'printer.paper_end')[0]);
    const detail = await e2e.api.ticket(opened.id);
    expect(detail.checklist.find((c) => c.step === 'printer.paper')).toMatchObject({ result: 'failed' });
    expect(detail.checklist.find((c) => c.step === 'printer.cover')).toMatchObject({ result: 'unknown' });

    till.simulator.setFaults({ paperEnd: false });
    const resolved = await eventually('auto-resolution', async () => {
      const t = await e2e.api.ticket(opened.id);
      return t.status === 'resolved' ? t : null;
    });
    expect(resolved.timeline.map((e) => e.kind)).toContain('auto_resolved');
  });
});

import { describe, expect, it } from 'vitest';
import { fakeReport } from '../probe-loop/fake-driver';
import { decideOutcome, queueRefusal, refusalBeforePrint } from './test-print-rules';

describe('test print rules', () => {
  it('refuses while the OS queue prints or holds jobs, not for an idle queue', () => {
    expect(queueRefusal({ system: 'cups', queue: 'tm20', printing: true })).toMatch(/printing now/);
    expect(queueRefusal({ system: 'windows-spooler', queue: 'EPSON', jobCount: 2 })).toMatch(/2 job\(s\) wait/);
    expect(queueRefusal({ system: 'cups', queue: 'tm20', jobCount: 0, printing: false })).toBeUndefined();
    expect(queueRefusal(undefined)).toBeUndefined();
  });

  it('refuses a printer that is offline, out of paper, open, in error or not answering; not one near paper end', () => {
    for (const code of ['printer.offline', 'printer.paper_end', 'printer.cover_open', 'printer.unrecoverable_error', 'printer.no_reply', 'printer.port_busy'] as const) {
      expect(refusalBeforePrint(fakeReport('p1', 'fault', [code]))).toMatch(new RegExp(`not ready: ${code.replace('.', '\\.')}`));
    }
    expect(refusalBeforePrint(fakeReport('p1', 'warning', ['printer.paper_near_end']))).toBeUndefined();
  });

  it('decides printed only from a reading that vouches for online and paper', () => {
    expect(decideOutcome(fakeReport('p1', 'ok'))).toMatchObject({ outcome: 'printed' });
    expect(decideOutcome(fakeReport('p1', 'warning', ['printer.paper_near_end'])).reason).toMatch(/paper near end/);
    expect(decideOutcome(fakeReport('p1', 'fault', ['printer.paper_end']))).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/paper_end/) });
    expect(decideOutcome(fakeReport('p1', 'unknown'))).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/could not be read/) });
    // A clone answering DLE EOT 1 and 4 only: unknown health, but it vouches for online and paper.
    expect(decideOutcome({ ...fakeReport('p1', 'unknown'), checked: ['printer.offline', 'printer.paper_end'] })).toMatchObject({ outcome: 'printed' });
  });
});

import type { DeviceReport, PrintQueueView } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { DeviceConfig, DeviceDriver } from '../devices/driver';
import { fakeDevice, fakeDriver, fakeReport } from '../probe-loop/fake-driver';
import { createProbeLoop } from '../probe-loop/probe-loop';
import { createMockOpenTransport, MockTransport } from '../transports/mock/mock-transport';
import { TransportError } from '../transports/transport';
import { containsSequence, FORBIDDEN_SEQUENCES } from './test-print-job';
import { createTestPrinter, TestPrintError } from './test-print';

interface Setup {
  /** the reports the printer's probes give, in order (the last one repeats) */
  statuses?: DeviceReport[];
  queue?: PrintQueueView;
  connect?: () => MockTransport | TransportError;
  devices?: DeviceConfig[];
  fiscal?: boolean;
}

function setup({ statuses = [fakeReport('p1', 'ok')], queue, connect = () => new MockTransport(), devices = [fakeDevice('p1')], fiscal = false }: Setup = {}) {
  let probes = 0;
  const driver = fakeDriver(async () => {
    const report = statuses[Math.min(probes++, statuses.length - 1)]!;
    return queue ? { ...report, printer: { queue } } : report;
  });
  const drivers = new Map([['escpos', fiscal ? ({ ...driver, kind: 'fiscal' } as DeviceDriver) : driver]]) as Map<'escpos', DeviceDriver>;
  const transport = createMockOpenTransport(connect);
  const loop = createProbeLoop({ devices, drivers, openTransport: transport.open, probeIntervalMs: 60_000, reportIntervalMs: 3_600_000, onHealth: () => {} });
  const printer = createTestPrinter({
    devices, drivers, openTransport: transport.open, exclusive: loop.exclusive,
    storeId: 'store-7', registerId: 'till-2', sleep: async () => {}, now: () => new Date('2026-11-30T12:00:00Z'),
  });
  return { printer, transport, probes: () => probes };
}

describe('test print', () => {
  it('sends the job over the device transport, closes it, re-reads the status and says printed', async () => {
    const { printer, transport, probes } = setup();
    const { summary, devices } = await printer.run('p1', 'engineer');
    expect(summary).toMatchObject({ deviceId: 'p1', outcome: 'printed', requestedBy: 'engineer', startedAt: '2026-11-30T12:00:00.000Z' });
    expect(summary.reason).toMatch(/ESC @ \(1B 40\) removed/);
    const [port] = transport.opened;
    expect(port!.isOpen).toBe(false);
    const sent = Buffer.concat(port!.writes);
    expect(summary.jobBytes).toBe(sent.length);
    expect(containsSequence(sent, FORBIDDEN_SEQUENCES.escAt) || containsSequence(sent, FORBIDDEN_SEQUENCES.gsA0)).toBe(false);
    expect(probes()).toBe(2);
    expect(devices).toHaveLength(1);
  });

  it('says failed when the status after printing shows paper end', async () => {
    const { printer } = setup({ statuses: [fakeReport('p1', 'ok'), fakeReport('p1', 'fault', ['printer.paper_end'])] });
    expect((await printer.run('p1', 'cashier')).summary).toMatchObject({ outcome: 'failed', requestedBy: 'cashier', reason: expect.stringMatching(/paper_end/) });
  });

  it('refuses a printer out of paper without opening its port', async () => {
    const { printer, transport } = setup({ statuses: [fakeReport('p1', 'fault', ['printer.paper_end'])] });
    const { summary, devices } = await printer.run('p1', 'engineer');
    expect(summary).toMatchObject({ outcome: 'refused', jobBytes: 0, reason: expect.stringMatching(/not ready: printer\.paper_end/) });
    expect(devices[0]!.findings[0]!.code).toBe('printer.paper_end');
    expect(transport.opened).toEqual([]);
  });

  it('refuses while the OS queue read with the probe is printing, without opening the port', async () => {
    const { printer, transport } = setup({ queue: { system: 'cups', queue: 'tm20', printing: true } });
    expect((await printer.run('p1', 'engineer')).summary).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/printing now/) });
    expect(transport.opened).toEqual([]);
  });

  it('refuses a busy port and reports a port that failed mid-job as not sent', async () => {
    const busy = setup({ connect: () => new TransportError('busy', 'COM3 is held') });
    expect((await busy.printer.run('p1', 'engineer')).summary).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/port is busy/) });
    const broken = new MockTransport();
    broken.write = async () => { throw new TransportError('closed', 'peer gone'); };
    const closed = setup({ connect: () => broken });
    expect((await closed.printer.run('p1', 'engineer')).summary).toMatchObject({ outcome: 'not_sent', reason: expect.stringMatching(/peer gone/) });
  });

  it('refuses a fiscal device and rejects an unknown one', async () => {
    const { printer, transport } = setup({ fiscal: true });
    expect((await printer.run('p1', 'engineer')).summary).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/fiscal device, not a receipt printer/) });
    expect(transport.opened).toEqual([]);
    await expect(printer.run('nope', 'engineer')).rejects.toBeInstanceOf(TestPrintError);
  });
});

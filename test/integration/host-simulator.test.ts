import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceReport, PeripheralsSection, PrintSection } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostPrintProbe } from '../../agent/src/devices/host/host-print';
import { peripheralsProbe } from '../../agent/src/devices/host/host-peripherals';
import type { HostContext, HostProbe } from '../../agent/src/devices/host-probe';
import { createHostOs } from '../../agent/src/os/host-os-real';
import { startHostSimulator, type HostSimulator } from '../../scripts/sim/host/simulator';

// The demo's and the end-to-end test's host simulator read by the real host probes through the real
// HostOs (files and tools on this machine): what the simulator lays out must be what a probe reads
// from a real register, or the demo would show something the agent cannot see.

const host: HostContext = { isTradingHours: () => true, devices: [], fiscalAttached: false, agentVersion: 'test', configFiles: [] } as HostContext;

let dir = '';
let sim: HostSimulator;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'host-sim-probes-'));
  sim = await startHostSimulator({ dir });
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** One probe with its memory kept across calls, against the real OS. */
function prober<O, M>(probe: HostProbe<O, M>, options: Record<string, unknown>): () => Promise<DeviceReport> {
  const memory = probe.createMemory();
  const parsed = probe.options.parse(options);
  const os = createHostOs();
  return () => probe.probe({ options: parsed, memory, os, host, now: () => new Date(), signal: new AbortController().signal });
}

describe('host simulator read by the real host probes', () => {
  it('host-peripherals sees the usblp Epson and the CH340, then the printer detached (critical while trading) and back', async () => {
    const look = prober(peripheralsProbe, { ...sim.probeOptions['host-peripherals'], hotplug: false });
    const first = await look();
    const usb = (first.host as PeripheralsSection).usb;
    expect(usb.map((d) => [d.vendorId, d.productId, d.kind])).toEqual([
      ['04b8', '0e15', 'receipt-printer'],
      ['1a86', '7523', 'usb-serial'],
    ]);
    expect(usb[0]?.devicePath).toBe('/dev/usb/lp0');
    expect(first.findings).toEqual([]);

    await sim.setAttached('printer', false);
    const gone = await look();
    expect(gone.findings.map((f) => [f.code, f.severity])).toEqual([['host.device_detached', 'critical']]);
    expect((gone.host as PeripheralsSection).events.at(-1)).toMatchObject({ action: 'detached', kind: 'receipt-printer', via: 'diff' });

    await sim.setAttached('printer', true);
    const back = await look();
    expect(back.findings).toEqual([]);
    expect((back.host as PeripheralsSection).events.at(-1)).toMatchObject({ action: 'attached', kind: 'receipt-printer' });
  });

  it('host-print reads the running scheduler, the idle queue and the PPD driver version, and sees the version change', async () => {
    const look = prober(hostPrintProbe, { ...sim.probeOptions['host-print'], system: 'cups' });
    const first = await look();
    const print = first.host as PrintSection;
    expect(print.services).toMatchObject([{ name: 'cups.service', state: 'running', startMode: 'auto' }]);
    expect(print.drivers).toMatchObject([{ name: 'EPSON TM-T20II Receipt', version: '3.0.0', queues: ['receipt'] }]);
    expect(print.queues).toMatchObject([{ name: 'receipt', paused: false, jobCount: 0 }]);
    expect(first.findings).toEqual([]);

    await sim.setDriverVersion('3.1.0');
    const changed = await look();
    expect((changed.host as PrintSection).drivers[0]?.version).toBe('3.1.0');
    expect(changed.findings.map((f) => f.code)).toContain('host.driver_changed');

    await sim.setCupsRunning(false);
    const stopped = await look();
    expect(stopped.findings.map((f) => f.code)).toContain('host.print_service_stopped');
  });
});

import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { OpenTransport } from '../transports/transport';
import { fakeDevice, fakeDriver, fakeReport } from './fake-driver';
import { createProbeLoop } from './probe-loop';

const noTransport: OpenTransport = async () => {
  throw new Error('fake drivers do not open transports');
};

/** A loop over one device whose probes log their start and end and finish when the test says. */
function gatedLoop() {
  const log: string[] = [];
  const gates: (() => void)[] = [];
  const driver = fakeDriver(async (ctx) => {
    log.push('probe start');
    await new Promise<void>((resolve) => gates.push(resolve));
    log.push('probe end');
    return fakeReport(ctx.device.id, 'ok');
  });
  const probeLoop = createProbeLoop({
    devices: [fakeDevice('p1')], drivers: new Map([['escpos', driver]]), openTransport: noTransport,
    probeIntervalMs: 60_000, reportIntervalMs: 3_600_000, onHealth: () => {},
  });
  const openGates = () => gates.splice(0).forEach((open) => open());
  return { probeLoop, log, openGates, driver };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('probe loop: a device held exclusively', () => {
  it('waits for the running probe, holds later probes back, and probes through the driver inside', async () => {
    const { probeLoop, log, openGates } = gatedLoop();
    const running = probeLoop.probeNow();
    await tick();
    const task = probeLoop.exclusive('p1', async (probe) => {
      log.push('task start');
      const later = probeLoop.probeNow(); // asked for while the device is held: must wait
      await tick();
      log.push('task probing');
      const inside = probe();
      await tick();
      openGates();
      const report: DeviceReport = await inside;
      log.push('task end');
      return { report, later };
    });
    await tick();
    expect(log).toEqual(['probe start']); // the task has not started while the probe runs
    openGates();
    await running;
    const { report, later } = await task;
    expect(report.deviceId).toBe('p1');
    await tick();
    openGates();
    await later;
    expect(log).toEqual(['probe start', 'probe end', 'task start', 'task probing', 'probe start', 'probe end', 'task end', 'probe start', 'probe end']);
  });

  it('rejects for a device that is not configured, and releases the device when the task throws', async () => {
    const { probeLoop, openGates } = gatedLoop();
    await expect(probeLoop.exclusive('nope', async () => 1)).rejects.toThrow(/not configured/);
    await expect(probeLoop.exclusive('p1', async () => { throw new Error('task failed'); })).rejects.toThrow('task failed');
    const after = probeLoop.probeNow();
    await tick();
    openGates();
    expect(await after).toHaveLength(1);
  });
});

import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../link/fake-console-server';
import type { OpenTransport } from '../transports/transport';
import { fakeDevice, fakeDriver, fakeReport, healthyDriver } from './fake-driver';
import { createProbeLoop, type ProbeLoopOptions } from './probe-loop';

const noTransport: OpenTransport = async () => {
  throw new Error('fake drivers do not open transports');
};

function loop(overrides: Partial<ProbeLoopOptions> & Pick<ProbeLoopOptions, 'drivers'>) {
  const sent: DeviceReport[][] = [];
  const probeLoop = createProbeLoop({
    devices: [fakeDevice('p1')],
    openTransport: noTransport,
    probeIntervalMs: 60_000,
    reportIntervalMs: 3_600_000,
    onHealth: (reports) => {
      sent.push(reports);
    },
    ...overrides,
  });
  return { probeLoop, sent };
}

describe('probe loop', () => {
  it('turns a throwing driver into an unknown report', async () => {
    const driver = fakeDriver(async () => {
      throw new Error('boom');
    });
    const { probeLoop, sent } = loop({ drivers: new Map([['escpos', driver]]) });
    const [report] = await probeLoop.probeNow();
    expect(report).toMatchObject({ deviceId: 'p1', health: 'unknown', evidence: { transportError: 'driver error: boom' } });
    expect(sent).toHaveLength(1);
  });

  it('gives up on a driver that ignores its deadline, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const driver = fakeDriver((ctx) => {
      signal = ctx.signal;
      return new Promise<DeviceReport>(() => {});
    });
    const { probeLoop } = loop({ drivers: new Map([['escpos', driver]]), probeTimeoutMs: 20 });
    const [report] = await probeLoop.probeNow();
    expect(report!.health).toBe('unknown');
    expect(report!.evidence.transportError).toMatch(/did not finish/);
    expect(signal?.aborted).toBe(true);
  });

  it('runs one probe at a time per device; concurrent callers share it', async () => {
    let release!: () => void;
    const driver = fakeDriver(
      (ctx) =>
        new Promise((resolve) => {
          release = () => resolve(fakeReport(ctx.device.id));
        }),
    );
    const { probeLoop } = loop({ drivers: new Map([['escpos', driver]]) });
    const a = probeLoop.probeNow();
    const b = probeLoop.probeNow();
    await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([a, b]);
    expect(driver.calls).toBe(1);
  });

  it('reports when health or finding codes change, not otherwise', async () => {
    let current = fakeReport('p1');
    const driver = fakeDriver(async () => ({ ...current, probedAt: new Date().toISOString() }));
    const { probeLoop, sent } = loop({ drivers: new Map([['escpos', driver]]) });
    await probeLoop.probeNow();
    await probeLoop.probeNow();
    expect(sent).toHaveLength(1);
    current = fakeReport('p1', 'fault', ['printer.paper_end']);
    await probeLoop.probeNow();
    expect(sent).toHaveLength(2);
    current = fakeReport('p1', 'fault', ['printer.paper_end', 'printer.cover_open']);
    await probeLoop.probeNow();
    await probeLoop.probeNow();
    expect(sent).toHaveLength(3);
    expect(probeLoop.latest()[0]!.findings).toHaveLength(2);
  });

  it('sends a full snapshot every report interval even without change', async () => {
    const { probeLoop, sent } = loop({ drivers: new Map([['escpos', healthyDriver()]]), reportIntervalMs: 0 });
    await probeLoop.probeNow();
    await probeLoop.probeNow();
    expect(sent).toHaveLength(2);
  });

  it('probes on its timer after start and stops cleanly', async () => {
    const driver = healthyDriver();
    const { probeLoop, sent } = loop({ drivers: new Map([['escpos', driver]]), probeIntervalMs: 5 });
    probeLoop.start();
    await waitFor('a second round on the timer', () => driver.calls > 1);
    await probeLoop.stop();
    const calls = driver.calls;
    expect(sent.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(driver.calls).toBe(calls);
  });

  it('reports a device whose driver is not in the registry as unknown', async () => {
    const { probeLoop } = loop({ drivers: new Map() });
    const [report] = await probeLoop.probeNow();
    expect(report).toMatchObject({ health: 'unknown', evidence: { transportError: expect.stringContaining('no driver') } });
  });
});

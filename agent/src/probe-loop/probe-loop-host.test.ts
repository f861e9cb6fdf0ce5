// The probe loop with host probes: their reports join latest() after the devices', trigger health
// like a device's change, and answer probeNow by id. Fake driver and fake host probes, replayed OS.
import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { HostProbe } from '../devices/host-probe';
import { HostFixture, replayHostOs } from '../os/host-os-replay';
import { waitFor } from '../test-support/wait-for';
import { fakeDevice, healthyDriver } from './fake-driver';
import { fakeHostConfig, fakeHostContext, fakeHostProbe, fakeHostReport } from './fake-host-probe';
import { createProbeLoop } from './probe-loop';

const os = replayHostOs(HostFixture.parse({ origin: 'transcribed', description: 'no OS at all', sources: ['probe-loop-host.test.ts'], platform: 'linux' }));

function loop(probes: HostProbe[], initialDelayMs = 3_600_000, onHealth?: (reports: DeviceReport[]) => Promise<void>) {
  const sent: DeviceReport[][] = [];
  const probeLoop = createProbeLoop({
    devices: [fakeDevice('p1')],
    drivers: new Map([['escpos', healthyDriver()]]),
    openTransport: () => Promise.reject(new Error('unused')),
    probeIntervalMs: 3_600_000,
    reportIntervalMs: 3_600_000,
    onHealth: (reports) => {
      sent.push(reports);
      return onHealth?.(reports);
    },
    host: { probes: new Map(probes.map((p) => [p.id, p])), config: fakeHostConfig({}, probes), context: fakeHostContext, os, initialDelayMs },
  });
  return { probeLoop, sent };
}

describe('probe loop with host probes', () => {
  it('sends a health snapshot with the host reports after the devices once the host probes ran', async () => {
    const { probeLoop, sent } = loop([fakeHostProbe('host-os'), fakeHostProbe('host-clock')], 0);
    probeLoop.start();
    await waitFor('a snapshot with the host reports', () => sent.some((reports) => reports.length === 3));
    expect(sent.at(-1)!.map((r) => [r.deviceId, r.kind])).toEqual([['p1', 'receipt-printer'], ['host-os', 'host'], ['host-clock', 'host']]);
    // one snapshot for the round of host probes, not one per probe
    const partial = sent.filter((reports) => reports.some((r) => r.deviceId === 'host-os') && !reports.some((r) => r.deviceId === 'host-clock'));
    expect(partial).toEqual([]);
    expect(probeLoop.latest().map((r) => r.deviceId)).toEqual(['p1', 'host-os', 'host-clock']);
    expect(probeLoop.hostProbeIds()).toEqual(['host-os', 'host-clock']);
    await probeLoop.stop();
  });

  it('reports a host probe whose findings changed at once', async () => {
    let pending = false;
    const probe = fakeHostProbe('host-os', async (ctx) => {
      const report = fakeHostReport('host-os', ctx);
      return pending ? { ...report, health: 'ok', findings: [{ code: 'host.reboot_pending', detail: 'reboot required' }] } : report;
    });
    const { probeLoop, sent } = loop([probe]);
    probeLoop.start();
    await waitFor('the first snapshot', () => sent.length === 1);
    await probeLoop.probeNow({ deviceId: 'host-os' });
    expect(sent).toHaveLength(2);
    pending = true;
    await probeLoop.probeNow({ deviceId: 'host-os' });
    expect(sent).toHaveLength(3);
    expect(sent[2]!.find((r) => r.deviceId === 'host-os')!.findings.map((f) => f.code)).toEqual(['host.reboot_pending']);
    await probeLoop.probeNow({ deviceId: 'host-os' });
    expect(sent).toHaveLength(3); // nothing changed: no new snapshot before the report interval
    await probeLoop.stop();
  });

  it('probeNow by a host probe id runs that probe only; without an id it probes the devices and adds the latest host reports', async () => {
    const hostOs = fakeHostProbe('host-os');
    const clock = fakeHostProbe('host-clock');
    const { probeLoop } = loop([hostOs, clock]);
    expect((await probeLoop.probeNow()).map((r) => r.deviceId)).toEqual(['p1']);
    const [fresh] = await probeLoop.probeNow({ deviceId: 'host-clock' });
    expect(fresh).toMatchObject({ deviceId: 'host-clock', kind: 'host' });
    expect([hostOs.calls, clock.calls]).toEqual([0, 1]);
    expect((await probeLoop.probeNow()).map((r) => r.deviceId)).toEqual(['p1', 'host-clock']);
    expect(clock.calls).toBe(1);
    expect(await probeLoop.probeNow({ deviceId: 'host-events' })).toEqual([]); // not run here
  });

  it('reports a host report that came while the outbox was taking the previous snapshot once it has taken it', async () => {
    let release!: () => void;
    const outboxTook = new Promise<void>((resolve) => (release = resolve));
    const { probeLoop, sent } = loop([fakeHostProbe('host-os')], 0, () => (sent.length === 1 ? outboxTook : Promise.resolve()));
    probeLoop.start();
    await waitFor('the host probe ran while the first write is in flight', () => probeLoop.latest().length === 2);
    expect(sent).toHaveLength(1);
    release();
    await waitFor('a second snapshot with the host report', () => sent.length === 2);
    expect(sent[1]!.map((r) => r.deviceId)).toEqual(['p1', 'host-os']);
    await probeLoop.stop();
  });
});

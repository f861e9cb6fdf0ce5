// The restart's wiring over the probe loop: which devices it asks whether a receipt is printing,
// and which fresh reports it answers with. The probe loop is an in-process stand-in (the real one
// runs in agent-actions.test.ts); the OS is the replayed linux-restarted fixture.
import type { DeviceReport } from '@tillscope/shared';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentConfig } from '../config';
import { hostProbesOff } from '../host-config';
import { loadHostFixture, replayHostOs } from '../os/host-os-replay';
import { fakeDevice, fakeReport } from '../probe-loop/fake-driver';
import type { ProbeLoop } from '../probe-loop/probe-loop';
import { printServiceRestarter } from './agent-actions';

const now = new Date('2026-12-01T10:00:00Z');
const config: AgentConfig = {
  server: 'http://127.0.0.1:1',
  storeId: 'store-1',
  registerId: 'till-1',
  dataDir: '/tmp/unused',
  probeIntervalSec: 10,
  reportIntervalSec: 60,
  cashierPage: { port: 0, enabled: false },
  devices: [
    { ...fakeDevice('front'), printQueue: { name: 'TM-T20', system: 'cups', stuckAfterSec: 180 } },
    fakeDevice('back'), // printed to over its port, no OS queue: nothing to ask
  ],
  host: hostProbesOff(),
};

function printing(deviceId: string, oldestJobAt: string): DeviceReport {
  return { ...fakeReport(deviceId), printer: { queue: { system: 'cups', queue: 'TM-T20', printing: true, jobCount: 1, oldestJobAt } } };
}

function wired(front: DeviceReport, hostProbeIds: string[] = ['host-print']) {
  const asked: (string | undefined)[] = [];
  const probeLoop = {
    hostProbeIds: () => hostProbeIds,
    probeNow: async ({ deviceId }: { deviceId?: string } = {}) => {
      asked.push(deviceId);
      return [deviceId === 'front' ? front : fakeReport(deviceId ?? 'all')];
    },
  } as unknown as ProbeLoop;
  const seen: string[][] = [];
  const restart = printServiceRestarter({
    config,
    probeLoop,
    fitFrame: (reports, build) => build(reports),
    signal: new AbortController().signal,
    os: { platform: 'linux', run: replayHostOs(loadHostFixture(path.join(import.meta.dirname, 'fixtures'), 'linux-restarted'), { seen }).run },
    now: () => now,
  });
  return { restart, asked, seen };
}

describe('printServiceRestarter', () => {
  it('asks only the printers with an OS queue, and waits while one prints a fresh receipt', async () => {
    const { restart, asked, seen } = wired(printing('front', '2026-12-01T09:59:40Z'));
    expect(await restart({ commandId: 'c-1', verb: 'restart_print_service' })).toMatchObject({ ok: false, code: 'busy', message: expect.stringContaining('a receipt is printing on front') });
    expect(asked).toEqual(['front']);
    expect(seen).toEqual([]);
  });

  it('restarts over a stuck job and answers with the print services probe and the queued printers, read afresh', async () => {
    const { restart, asked, seen } = wired(printing('front', '2026-12-01T09:00:00Z'));
    const result = await restart({ commandId: 'c-1', verb: 'restart_print_service' });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.devices.map((d) => d.deviceId)).toEqual(['host-print', 'front']);
    expect(asked).toEqual(['front', 'host-print', 'front']);
    expect(seen).toHaveLength(2);
  });

  it('answers with the printers alone when the host probes are off', async () => {
    const { restart } = wired(fakeReport('front'), []);
    const result = await restart({ commandId: 'c-1', verb: 'restart_print_service' });
    expect(result.ok && result.devices.map((d) => d.deviceId)).toEqual(['front']);
  });
});

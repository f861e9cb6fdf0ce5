// Test support: host probes whose probe is whatever the test says, and a HostConfig to run them.
import type { DeviceReport, DiagnosisCode, HostProbeId } from '@tillscope/shared';
import { z } from 'zod';
import { startHostProbeRun } from '../devices/common/host-report';
import type { HostContext, HostProbe, HostProbeContext } from '../devices/host-probe';
import { hostConfigSchema, type HostConfig } from '../host-config';

const FakeHostOptions = z.strictObject({ label: z.string().default('fake') });
type FakeHostOptions = z.infer<typeof FakeHostOptions>;

export type FakeHostProbe = HostProbe<FakeHostOptions, { runs: number }> & { calls: number };

/** A host probe (under a real HostProbeId) answering with `probe`; counts its calls. */
export function fakeHostProbe(
  id: HostProbeId,
  probe: (ctx: HostProbeContext<FakeHostOptions, { runs: number }>) => Promise<DeviceReport> = (ctx) => Promise.resolve(fakeHostReport(id, ctx)),
  defaultIntervalSec = 300,
  codes: readonly DiagnosisCode[] = ['host.check_failed', 'host.reboot_pending'],
): FakeHostProbe {
  const fake: FakeHostProbe = {
    id,
    kind: 'host',
    codes,
    options: FakeHostOptions,
    defaultIntervalSec,
    createMemory: () => ({ runs: 0 }),
    calls: 0,
    probe(ctx) {
      fake.calls += 1;
      ctx.memory.runs += 1;
      return probe(ctx);
    },
  };
  return fake;
}

/** A healthy report of `id` with a clock section (every fake uses the clock section; the id is what matters). */
export function fakeHostReport(id: HostProbeId, ctx: Pick<HostProbeContext, 'os' | 'signal' | 'now'>): DeviceReport {
  const run = startHostProbeRun(ctx);
  return run.report({
    id,
    section: { section: 'clock', synced: true, offsetMs: 1, source: 'ntp.example.ru', tool: 'fake', unchecked: [] },
    findings: [],
    checked: ['host.reboot_pending'],
  });
}

export function fakeHostConfig(host: Record<string, unknown> = {}, probes: readonly HostProbe[] = []): HostConfig {
  return hostConfigSchema(new Map(probes.map((probe) => [probe.id, probe as HostProbe]))).parse(host);
}

export const fakeHostContext: HostContext = {
  isTradingHours: () => true,
  devices: [],
  fiscalAttached: false,
  agentVersion: '0.0.0-test',
  configFiles: [],
};

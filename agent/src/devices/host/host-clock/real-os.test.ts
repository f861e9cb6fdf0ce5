// host-clock on this machine's real tools: whatever the machine (systemd or not, chrony or not),
// a report the console accepts, and "synced" only when timedatectl said so.
import { DeviceReport, type ClockSection } from '@tillscope/shared';
import { expect, it } from 'vitest';
import { createHostOs } from '../../../os/host-os-real';
import { fakeHostContext } from '../../../probe-loop/fake-host-probe';
import { hostClockProbe } from './index';
import { HostClockOptions } from './options';

it.runIf(process.platform === 'linux')('runs the real timedatectl: synced is true/false only when it answered, else could not check', async () => {
  const report = DeviceReport.parse(
    await hostClockProbe.probe({ options: HostClockOptions.parse({}), memory: undefined, os: createHostOs(), host: fakeHostContext, now: () => new Date(), signal: new AbortController().signal }),
  );
  const clock = report.host as ClockSection;
  const answered = report.evidence.exchanges.some((e) => e.label === 'timedatectl show' && 'status' in e && e.status === 'ok');
  if (answered) expect(typeof clock.synced).toBe('boolean');
  else {
    expect(clock.synced).toBeNull();
    expect(report.findings.map((f) => f.code)).toContain('host.check_failed');
    expect(report.health).toBe('unknown');
  }
});

// host-os on this machine's real OS (createHostOs: systeminformation, real tools and files): a
// report the console accepts, with facts that hold on any Linux build machine.
import { DeviceReport, type OsSection } from '@tillscope/shared';
import { expect, it } from 'vitest';
import { createHostOs } from '../../../os/host-os-real';
import { fakeHostContext } from '../../../probe-loop/fake-host-probe';
import { hostOsProbe } from './index';
import { HostOsOptions } from './options';

it.runIf(process.platform === 'linux')('reads the real OS: a valid report with the root volume, memory and uptime; never ok with an unread fact', async () => {
  const report = DeviceReport.parse(
    await hostOsProbe.probe({ options: HostOsOptions.parse({}), memory: undefined, os: createHostOs(), host: fakeHostContext, now: () => new Date(), signal: new AbortController().signal }),
  );
  const os = report.host as OsSection;
  expect(os.platform).toBe('linux');
  expect(os.volumes.find((v) => v.role === 'system')).toMatchObject({ mount: '/' });
  expect(os.memory.totalBytes).toBeGreaterThan(0);
  expect(os.uptimeSec).toBeGreaterThan(0);
  expect(report.checked).toContain('host.disk_nearly_full');
  if (os.unchecked.length > 0) expect(report.health).not.toBe('ok');
});

import { DeviceReport } from '@tillscope/shared';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostOs } from '../../../os/host-os-real';
import { probePeripherals } from './probe';
import { configured, rig, sectionOf } from './test-support';

describe.runIf(process.platform === 'linux')('host-peripherals on this machine (real sysfs)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tillscope-peripherals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what this machine has: USB checked exactly when it has a USB bus, every USB serial tty listed', async () => {
    const till = rig();
    const report = await probePeripherals(till.ctx(createHostOs()));
    expect(() => DeviceReport.parse(report)).not.toThrow();
    const section = sectionOf(report);
    const hasUsbBus = existsSync('/sys/bus/usb/devices');
    expect(section.unchecked.some((u) => u.fact === 'usb')).toBe(!hasUsbBus);
    expect(report.checked?.includes('host.device_detached')).toBe(hasUsbBus);
    const usbTtys = existsSync('/sys/class/tty') ? readdirSync('/sys/class/tty').filter((n) => /^tty(USB|ACM)\d+$/.test(n)) : [];
    expect(section.serial.map((p) => p.path)).toEqual(expect.arrayContaining(usbTtys.map((n) => `/dev/${n}`)));
    expect(section.serial.every((p) => /^\/dev\/tty(S|USB|ACM|AMA)\d+$/.test(p.path))).toBe(true);
  });

  it('a configured device whose node goes away is detached, named by its id; back, it clears', async () => {
    const node = path.join(dir, 'ttyUSB-kkt');
    writeFileSync(node, '');
    const till = rig([configured('kkt-1', 'shtrih-m', { kind: 'serial', path: node })]);
    const look = async () => probePeripherals(till.ctx(createHostOs()));
    expect((await look()).findings.filter((f) => f.code === 'host.device_detached')).toEqual([]);
    rmSync(node);
    expect((await look()).findings.filter((f) => f.code === 'host.device_detached')).toEqual([
      { code: 'host.device_detached', severity: 'critical', detail: `Not connected: kkt-1 (${node} @ 9600)` },
    ]);
    writeFileSync(node, '');
    expect((await look()).findings.filter((f) => f.code === 'host.device_detached')).toEqual([]);
  });
});

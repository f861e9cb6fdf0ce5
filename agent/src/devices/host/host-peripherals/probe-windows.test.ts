import { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { withRuns, type HostFixture } from '../../../os/host-os-replay';
import { probePeripherals } from './probe';
import { configured, fixture, rig, sectionOf } from './test-support';
import { POWERSHELL } from '../../common/host-powershell';
import { peripheralsArgs } from './windows';

const en = fixture('windows-10-en');
const ru = fixture('windows-11-ru');
const listing = (f: HostFixture) => f.runs[0]?.stdout ?? '';
const replacing = (f: HostFixture, run: Omit<Parameters<typeof withRuns>[1], 'file' | 'args'>) => withRuns(f, { file: POWERSHELL, args: peripheralsArgs(), ...run });

/** The English listing without the FTDI adapter (its USB device and its COM port). */
function withoutAdapter(f: HostFixture): HostFixture {
  const json = JSON.parse(listing(f)) as { pnp: { PNPDeviceID: string }[]; serialcomm: { Port: string }[] };
  json.pnp = json.pnp.filter((e) => !e.PNPDeviceID.includes('VID_0403'));
  json.serialcomm = json.serialcomm.filter((p) => p.Port !== 'COM3');
  return replacing(f, { stdout: JSON.stringify(json) });
}

describe('host-peripherals on Windows (Win32_PnPEntity, SERIALCOMM)', () => {
  it('the fixtures were transcribed for the script the probe runs now', () => {
    for (const f of [en, ru]) expect(f.runs.map((r) => [r.file, r.args])).toEqual([[POWERSHELL, peripheralsArgs()]]);
  });

  it('lists USB devices with interface classes from compatible ids and COM names; hubs left out, interfaces folded', async () => {
    const report = await probePeripherals(rig().ctx(en));
    expect(() => DeviceReport.parse(report)).not.toThrow();
    const { usb, serial } = sectionOf(report);
    expect(usb.map((d) => [d.key, d.kind, d.knownAs, d.interfaceClasses, d.devicePath])).toEqual([
      ['04b8:0e15:TWDF012345', 'receipt-printer', 'Epson TM-T20II', [7], undefined],
      ['0403:6001:A50285BI', 'usb-serial', 'FTDI USB-serial adapter', [0xff], 'COM3'],
      ['0483:5740:205B3868', 'cdc-acm', 'STMicro Virtual COM Port', [2], 'COM4'],
      ['046d:c31c@5&1A2B3C4D&0&3', 'other', undefined, [3], undefined],
    ]);
    expect(serial.map((p) => [p.path, p.kind, p.vendorId, p.productId])).toEqual([
      ['COM1', 'other', undefined, undefined],
      ['COM3', 'usb-serial', '0403', '6001'],
      ['COM4', 'cdc-acm', '0483', '5740'],
    ]);
    expect(report.health).toBe('ok');
    expect(report.evidence.exchanges).toEqual([expect.objectContaining({ type: 'structured', label: expect.stringMatching(/^powershell\.exe -NoProfile/), status: 'ok', valid: true })]);
  });

  it('a Russian Windows 11 gives the same facts: only names are localized', async () => {
    const strip = (report: DeviceReport) => {
      const section = sectionOf(report);
      return { usb: section.usb.map(({ product: _p, manufacturer: _m, ...rest }) => rest), serial: section.serial.map(({ manufacturer: _m, ...rest }) => rest) };
    };
    const russian = await probePeripherals(rig().ctx(ru));
    expect(strip(russian)).toEqual(strip(await probePeripherals(rig().ctx(en))));
    expect(sectionOf(russian).usb[0]?.product).toBe('Поддержка USB принтера');
    expect(russian.health).toBe('ok');
  });

  it('a configured COM device unplugged during trading hours: named by its id, critical', async () => {
    const till = rig([configured('kkt-1', 'shtrih-m', { kind: 'serial', path: 'COM3' })]);
    await probePeripherals(till.ctx(en));
    const gone = await probePeripherals(till.ctx(withoutAdapter(en)));
    expect(sectionOf(gone).events.map((e) => [e.action, e.name, e.via])).toEqual([
      ['detached', 'kkt-1: FTDI USB-serial adapter (0403:6001)', 'diff'],
      ['detached', 'kkt-1: COM3 (FTDI USB-serial adapter)', 'diff'],
    ]);
    expect(gone.findings).toEqual([{ code: 'host.device_detached', severity: 'critical', detail: expect.stringMatching(/^Not connected: kkt-1 \(COM3 @ 9600, was FTDI USB-serial adapter \(0403:6001\)\) since /) }]);
  });

  const broken: [string, Omit<Parameters<typeof withRuns>[1], 'file' | 'args'>, RegExp][] = [
    ['PowerShell missing', { result: 'missing' }, /powershell\.exe not found/],
    ['PowerShell hanging (killed at its timeout)', { result: 'hang' }, /did not finish within 1000 ms/],
    ['WMI refusing, in Russian', { exitCode: 1, stderr: 'Get-CimInstance : Отказано в доступе. (Access denied)' }, /exited with code 1: Get-CimInstance : Отказано в доступе/],
    ['a newer output shape (DeviceID for PNPDeviceID)', { stdout: '{"pnp":[{"Name":"USB Printing Support","DeviceID":"USB\\\\VID_04B8&PID_0E15\\\\X"}],"serialcomm":[]}' }, /unknown shape \(pnp\.0\.PNPDeviceID/],
    ['text instead of JSON', { stdout: 'Name  PNPDeviceID\r\n----  -----------\r\n' }, /not JSON/],
  ];
  for (const [what, run, reason] of broken) {
    it(`${what}: "could not check", no events, never ok`, async () => {
      const till = rig([], { timeoutMs: 1000 });
      await probePeripherals(till.ctx(en));
      const report = await probePeripherals(till.ctx(replacing(en, run)));
      expect(sectionOf(report).unchecked.map((u) => u.fact)).toEqual(['usb', 'serial']);
      expect(sectionOf(report).unchecked[0]?.reason).toMatch(reason);
      expect(sectionOf(report).events).toEqual([]);
      expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
      expect(report.health).toBe('unknown');
      expect(report.checked).not.toContain('host.device_detached');
      expect(() => DeviceReport.parse(report)).not.toThrow();
    });
  }
});

import { DeviceReport } from '@tillscope/shared';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostStateStore } from '../../../os/host-state-store';
import { probePeripherals } from './probe';
import { configured, fixture, rig, sectionOf, unplugLinux } from './test-support';

const register = fixture('linux-register');
const printerGone = unplugLinux(register, '1-1', ['/dev/usb/lp0']);
const adapterGone = unplugLinux(register, '1-2', ['/dev/ttyUSB0']);
const keyboardGone = unplugLinux(register, '1-3.1', []);

describe('host-peripherals on Linux (sysfs)', () => {
  it('lists USB devices with ids, strings, interface classes, nodes and names from the table; hubs left out', async () => {
    const report = await probePeripherals(rig().ctx(register));
    expect(() => DeviceReport.parse(report)).not.toThrow();
    const { usb, serial, events, unchecked } = sectionOf(report);
    expect(usb.map((d) => [d.key, d.kind, d.knownAs, d.interfaceClasses, d.devicePath])).toEqual([
      ['04b8:0e15:TWDF012345', 'receipt-printer', 'Epson TM-T20II', [7], '/dev/usb/lp0'],
      ['0403:6001:A50285BI', 'usb-serial', 'FTDI USB-serial adapter', [0xff], '/dev/ttyUSB0'],
      ['046d:c31c@1-3.1', 'other', undefined, [3], undefined],
      ['0483:5740:205B3868', 'cdc-acm', 'STMicro Virtual COM Port', [2, 10], '/dev/ttyACM0'],
    ]);
    expect(usb[0]).toMatchObject({ manufacturer: 'EPSON', product: 'TM-T20II', serial: 'TWDF012345' });
    // ttyS1..3 hang on serial8250: placeholders, not ports
    expect(serial).toEqual([
      { path: '/dev/ttyACM0', byId: '/dev/serial/by-id/usb-STMicroelectronics_STM32_Virtual_ComPort_205B3868-if00', vendorId: '0483', productId: '5740', manufacturer: 'STMicroelectronics', kind: 'cdc-acm', knownAs: 'STMicro Virtual COM Port' },
      { path: '/dev/ttyS0', kind: 'other' },
      { path: '/dev/ttyUSB0', byId: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', vendorId: '0403', productId: '6001', manufacturer: 'FTDI', kind: 'usb-serial', knownAs: 'FTDI USB-serial adapter' },
    ]);
    expect(events).toEqual([]);
    expect(unchecked).toEqual([]);
    expect(report).toMatchObject({ kind: 'host', driver: 'host-peripherals', deviceId: 'host-peripherals', health: 'ok', findings: [], evidence: { transport: 'os', target: 'localhost' } });
    expect(report.checked).toEqual(expect.arrayContaining(['host.device_detached', 'host.check_failed']));
  });

  it('on the build machine (recorded: no USB controller) USB is "could not check", the one real UART is listed', async () => {
    const report = await probePeripherals(rig().ctx(fixture('linux-build-vm')));
    expect(sectionOf(report)).toMatchObject({ usb: [], serial: [{ path: '/dev/ttyS0', kind: 'other' }], unchecked: [{ fact: 'usb' }] });
    expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
    expect(report.health).toBe('unknown');
  });

  it('a printer unplugged during trading hours: a detached event and a critical finding; plugged back: attached, cleared', async () => {
    const till = rig();
    await probePeripherals(till.ctx(register));
    const gone = await probePeripherals(till.ctx(printerGone));
    expect(sectionOf(gone).events).toEqual([{ at: gone.probedAt, action: 'detached', key: '04b8:0e15:TWDF012345', name: 'Epson TM-T20II (04b8:0e15)', kind: 'receipt-printer', via: 'diff' }]);
    expect(gone.findings).toEqual([{ code: 'host.device_detached', severity: 'critical', detail: expect.stringContaining('Epson TM-T20II (04b8:0e15) at /dev/usb/lp0 since') }]);
    expect(gone.health).toBe('fault');

    const still = await probePeripherals(till.ctx(printerGone));
    expect(still.findings.map((f) => f.code)).toEqual(['host.device_detached']);
    expect(sectionOf(still).events).toHaveLength(1);

    const back = await probePeripherals(till.ctx(register));
    expect(sectionOf(back).events.map((e) => `${e.action} ${e.key}`)).toEqual(['detached 04b8:0e15:TWDF012345', 'attached 04b8:0e15:TWDF012345']);
    expect(back.findings).toEqual([]);
    expect(back.checked).toContain('host.device_detached');
  });

  it('outside trading hours the same loss keeps the catalogue severity', async () => {
    const till = rig();
    till.setTradingHours(false);
    await probePeripherals(till.ctx(register));
    const gone = await probePeripherals(till.ctx(printerGone));
    expect(gone.findings).toEqual([{ code: 'host.device_detached', detail: expect.any(String) }]);
    expect(gone.health).toBe('warning');
  });

  it('a configured device that goes is named by its config id, in the event and the finding', async () => {
    const till = rig([configured('printer-1', 'escpos', { kind: 'usb', vendorId: '04b8', productId: '0e15' }, 'Epson TM-T20II')]);
    await probePeripherals(till.ctx(register));
    const gone = await probePeripherals(till.ctx(printerGone));
    expect(sectionOf(gone).events[0]?.name).toBe('printer-1: Epson TM-T20II (04b8:0e15)');
    expect(gone.findings).toHaveLength(1);
    expect(gone.findings[0]?.detail).toMatch(/^Not connected: printer-1 \(usb 04b8:0e15, was Epson TM-T20II \(04b8:0e15\)\) since 2026-/);
    expect(gone.findings[0]?.severity).toBe('critical');
  });

  it('a configured serial device missing when the agent starts is reported at once (its node is gone)', async () => {
    const till = rig([configured('kkt-1', 'shtrih-m', { kind: 'serial', path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', baudRate: 115200 })]);
    const report = await probePeripherals(till.ctx(adapterGone));
    expect(sectionOf(report).events).toEqual([]);
    expect(report.findings).toEqual([{ code: 'host.device_detached', severity: 'critical', detail: 'Not connected: kkt-1 (/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0 @ 115200)' }]);
  });

  it('a keyboard unplugged is an event, not a finding; an ignored adapter neither finds', async () => {
    const till = rig([], { ignore: ['0403:*'] });
    await probePeripherals(till.ctx(register));
    const noKeyboard = await probePeripherals(till.ctx(keyboardGone));
    expect(sectionOf(noKeyboard).events.map((e) => `${e.action} ${e.kind}`)).toEqual(['detached other']);
    expect(noKeyboard.findings).toEqual([]);
    const noAdapter = await probePeripherals(till.ctx(unplugLinux(keyboardGone, '1-2', ['/dev/ttyUSB0'])));
    // both the USB device and its serial port went: two events, still no finding
    expect(sectionOf(noAdapter).events.slice(1).map((e) => `${e.action} ${e.key}`)).toEqual(['detached 0403:6001:A50285BI', 'detached /dev/ttyUSB0']);
    expect(noAdapter.findings).toEqual([]);
  });

  it('a USB list that cannot be read is "could not check", never "everything was unplugged"', async () => {
    const till = rig();
    await probePeripherals(till.ctx(register));
    const broken = structuredClone(register);
    delete broken.dirs['/sys/bus/usb/devices'];
    const report = await probePeripherals(till.ctx(broken));
    expect(sectionOf(report).events).toEqual([]);
    expect(sectionOf(report).unchecked).toEqual([{ fact: 'usb', reason: expect.stringContaining('/sys/bus/usb/devices is not there') }]);
    expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
    expect(report.health).toBe('unknown');
    expect(report.checked).not.toContain('host.device_detached');
  });

  it('a device whose ids read wrong is left out and named as unchecked', async () => {
    const odd = structuredClone(register);
    odd.files['/sys/bus/usb/devices/1-2/idVendor'] = { text: 'garbage\n' };
    const report = await probePeripherals(rig().ctx(odd));
    expect(sectionOf(report).usb.map((d) => d.vendorId)).not.toContain('0403');
    expect(sectionOf(report).unchecked).toEqual([{ fact: 'usb.1-2', reason: expect.stringContaining('not 4 hex digits') }]);
    expect(report.findings.map((f) => f.code)).toEqual(['host.check_failed']);
  });

  it('a printer unplugged while the agent was down is seen going at the first look after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'host-peripherals-'));
    try {
      const store = createHostStateStore(dataDir, 'host-peripherals');
      await probePeripherals(rig([], {}, store).ctx(register));
      const restarted = await probePeripherals(rig([], {}, store).ctx(printerGone));
      expect(sectionOf(restarted).events.map((e) => `${e.action} ${e.key} ${e.via}`)).toEqual(['detached 04b8:0e15:TWDF012345 diff']);
      expect(restarted.findings.map((f) => f.code)).toEqual(['host.device_detached']);
      // and still gone after another restart: the finding stands until it is back
      const again = await probePeripherals(rig([], {}, store).ctx(printerGone));
      expect(again.findings.map((f) => f.code)).toEqual(['host.device_detached']);
      // a state file damaged by hand is a fresh baseline, not a crash
      writeFileSync(store.file, '{"version":1,"usb":"nonsense"}');
      const fresh = await probePeripherals(rig([], {}, store).ctx(printerGone));
      expect(fresh.findings).toEqual([]);
      expect(sectionOf(fresh).events).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

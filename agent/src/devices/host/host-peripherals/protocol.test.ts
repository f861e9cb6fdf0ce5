import { describe, expect, it } from 'vitest';
import {
  classesOfCompatibleIds,
  comPortOfName,
  interfaceEntriesOf,
  isPlaceholderSerial,
  isSerialTtyName,
  isUsbDeviceEntry,
  parseInstanceId,
  parseSysfsClass,
  parseSysfsUsbId,
  parseWindowsPeripherals,
} from './protocol';

describe('Linux sysfs parsers', () => {
  it('reads ids as four hex digits and classes as two, as the kernel prints them', () => {
    expect(parseSysfsUsbId('04B8\n')).toBe('04b8');
    expect(parseSysfsUsbId('0x04b8\n')).toBeUndefined();
    expect(parseSysfsUsbId('')).toBeUndefined();
    expect(parseSysfsClass('07\n')).toBe(7);
    expect(parseSysfsClass('ff\n')).toBe(255);
    expect(parseSysfsClass('7\n')).toBeUndefined();
  });

  it('takes devices, not root hubs or interfaces, from /sys/bus/usb/devices', () => {
    const names = ['usb1', '1-0:1.0', '1-1', '1-1:1.0', '1-3.1', '1-3.1:1.0', '1-3.1:1.1', '1-3.10:1.0'];
    expect(names.filter(isUsbDeviceEntry)).toEqual(['1-1', '1-3.1']);
    expect(interfaceEntriesOf('1-3.1', names)).toEqual(['1-3.1:1.0', '1-3.1:1.1']);
    expect(interfaceEntriesOf('1-1', names)).toEqual(['1-1:1.0']);
  });

  it('lists serial ttys only, never virtual consoles', () => {
    expect(['tty0', 'ttyS0', 'ttyUSB12', 'ttyACM0', 'ttyAMA0', 'ptmx', 'ttyprintk'].filter(isSerialTtyName)).toEqual(['ttyS0', 'ttyUSB12', 'ttyACM0', 'ttyAMA0']);
  });

  it('tells placeholder ttyS ports on kernels before and after the 6.5 serial-base change', () => {
    expect(isPlaceholderSerial('/sys/devices/platform/serial8250')).toBe(true);
    expect(isPlaceholderSerial('/sys/devices/platform/serial8250/serial8250:0/serial8250:0.1')).toBe(true);
    // a link resolved relative to /sys/class/tty/ttyS1 keeps the name
    expect(isPlaceholderSerial('/serial8250:0.1')).toBe(true);
    // this build machine's real UART (kernel 6.18): under pnp0
    expect(isPlaceholderSerial('/sys/devices/pnp0/00:00/00:00:0/00:00:0.0')).toBe(false);
    expect(isPlaceholderSerial('/sys/devices/pci0000:00/0000:00:16.3')).toBe(false);
    expect(isPlaceholderSerial(null)).toBe(true);
  });
});

describe('Windows parsers', () => {
  it('reads instance ids: serial, generated id, interface, bridge', () => {
    expect(parseInstanceId('USB\\VID_04B8&PID_0E15\\TWDF012345')).toEqual({ enumerator: 'USB', vendorId: '04b8', productId: '0e15', instance: 'TWDF012345', serial: 'TWDF012345' });
    expect(parseInstanceId('USB\\VID_046D&PID_C31C\\5&1A2B3C4D&0&3')).toEqual({ enumerator: 'USB', vendorId: '046d', productId: 'c31c', instance: '5&1A2B3C4D&0&3' });
    expect(parseInstanceId('USB\\VID_046D&PID_C31C&MI_01\\6&3B4C5D6E&0&0001')?.interfaceNumber).toBe(1);
    expect(parseInstanceId('FTDIBUS\\VID_0403+PID_6001+A50285BIA\\0000')).toMatchObject({ enumerator: 'FTDIBUS', vendorId: '0403', productId: '6001' });
    expect(parseInstanceId('USB\\ROOT_HUB30\\4&2A2B3C4D&0&0')).toBeUndefined();
    expect(parseInstanceId('ACPI\\PNP0501\\1')).toBeUndefined();
  });

  it('takes interface classes from compatible ids, not the device class', () => {
    expect(classesOfCompatibleIds(['USB\\Class_07&SubClass_01&Prot_02', 'USB\\Class_07&SubClass_01', 'USB\\Class_07'])).toEqual([7]);
    expect(classesOfCompatibleIds(['USB\\DevClass_00&SubClass_00', 'USB\\COMPOSITE'])).toEqual([]);
    expect(classesOfCompatibleIds('USB\\Class_0A')).toEqual([10]);
    expect(classesOfCompatibleIds(null)).toEqual([]);
  });

  it('finds the COM name at the end of a localized name', () => {
    expect(comPortOfName('USB Serial Port (COM3)')).toBe('COM3');
    expect(comPortOfName('Устройство с последовательным интерфейсом USB (COM14)')).toBe('COM14');
    expect(comPortOfName('ECP Printer Port (LPT1)')).toBeUndefined();
    expect(comPortOfName(null)).toBeUndefined();
  });

  it('accepts ConvertTo-Json unwrapping a one-element list and printing an empty one as null', () => {
    const one = parseWindowsPeripherals('{"pnp":{"Name":"x","PNPDeviceID":"USB\\\\VID_04B8&PID_0E15\\\\A"},"serialcomm":null}');
    expect(one.ok && one.value.pnp.length).toBe(1);
    expect(one.ok && one.value.serialcomm).toEqual([]);
    const none = parseWindowsPeripherals('\uFEFF{"pnp":null}');
    expect(none.ok && none.value.pnp).toEqual([]);
  });

  it('gives a reason, never a throw, for output it does not know', () => {
    expect(parseWindowsPeripherals('')).toEqual({ ok: false, reason: 'printed nothing' });
    expect(parseWindowsPeripherals('Get-CimInstance : Access denied')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    // a newer script or Windows naming the id DeviceID instead of PNPDeviceID
    expect(parseWindowsPeripherals('{"pnp":[{"Name":"x","DeviceID":"USB\\\\VID_04B8&PID_0E15\\\\A"}]}')).toMatchObject({ ok: false, reason: expect.stringContaining('pnp.0.PNPDeviceID') });
  });
});

import { describe, expect, it } from 'vitest';
import { loadRecordedDevice, ReplayUsb } from './replay/usb-replay';
import type { RecordedDevice } from './replay/recorded-device';
import { listUsbPrinters, usbPrintersForDiscovery } from './usb-printer-list';
import { loadUsbSeam } from './usb-seam';

const fixture = (name: string): RecordedDevice => loadRecordedDevice(new URL(`./fixtures/${name}.json`, import.meta.url));
const noLinux = { platform: 'win32' as const };

describe('listUsbPrinters', () => {
  it('lists printer-class devices whatever their vendor, with their strings and interface', async () => {
    const bus = new ReplayUsb([fixture('gprinter-zh380'), fixture('xprinter-xp-t58h')]);
    const { printers, problems } = await listUsbPrinters(bus, noLinux);
    expect(problems).toEqual([]);
    expect(printers).toEqual([
      {
        target: { kind: 'usb', vendorId: 0x6868, productId: 0x0500, serialNumber: '6A6958721237' },
        description: 'usb 6868:0500 serial 6A6958721237',
        vendorId: 0x6868,
        productId: 0x0500,
        manufacturer: 'Printer',
        product: 'Printer',
        serialNumber: '6A6958721237',
        vendor: { name: 'Gprinter' },
        listedFor: 'printer-class',
        printerInterface: { interfaceNumber: 0, protocol: 2, bidirectional: true },
      },
      expect.objectContaining({ description: 'usb 0483:5743 serial 00000000051C', manufacturer: 'Xprinter', listedFor: 'printer-class' }),
    ]);
    expect(printers[1]).not.toHaveProperty('vendor');
  });

  it('keeps a printer whose device class says Communications, and marks a write-only interface', async () => {
    const { printers } = await listUsbPrinters(new ReplayUsb([fixture('gprinter-r222c'), fixture('detong-dp30s')]), noLinux);
    expect(printers.map((p) => [p.description, p.printerInterface])).toEqual([
      ['usb 6868:0500 serial 0002A0000000', { interfaceNumber: 0, protocol: 2, bidirectional: true }],
      ['usb 0483:5a19 serial 048353482034', { interfaceNumber: 0, protocol: 1, bidirectional: false }],
    ]);
  });

  it('leaves USB-serial bridges and CDC-ACM devices to the serial ports', async () => {
    const cdc: RecordedDevice = { ...fixture('ftdi-usb-serial'), idVendor: '0483', idProduct: '5740', bDeviceClass: 2 };
    const atolCdc: RecordedDevice = { ...cdc, idVendor: '2912' };
    const { printers } = await listUsbPrinters(new ReplayUsb([fixture('ftdi-usb-serial'), cdc, atolCdc]), noLinux);
    expect(printers).toEqual([]);
  });

  it('lists a known vendor by its id when its interfaces cannot be read, and says why', async () => {
    const epson: RecordedDevice = {
      ...fixture('ftdi-usb-serial'),
      idVendor: '04b8',
      idProduct: '0e03',
      iManufacturer: 'EPSON\u0000\u001b[31m',
      iProduct: 'x'.repeat(500),
      openError: 'open error: permission denied (errno 13)',
    };
    const atol: RecordedDevice = { ...fixture('ftdi-usb-serial'), idVendor: '2912', idProduct: '0005' };
    const { printers } = await listUsbPrinters(new ReplayUsb([epson, atol]), noLinux);
    expect(printers[0]).toMatchObject({
      description: 'usb 04b8:0e03',
      vendor: { name: 'Epson' },
      listedFor: 'known-vendor',
      manufacturer: 'EPSON[31m',
      problem: 'cannot read its interfaces: open error: permission denied (errno 13)',
    });
    expect(printers[0]!.product).toHaveLength(64);
    expect(printers[1]).toMatchObject({ description: 'usb 2912:0005', vendor: { name: 'ATOL', singleSource: true }, listedFor: 'known-vendor' });
  });

  it('enumerates afresh: an unplugged printer is gone from the next list, a replugged one back', async () => {
    const bus = new ReplayUsb();
    const device = bus.plug(fixture('gprinter-zh380'));
    expect((await listUsbPrinters(bus, noLinux)).printers).toHaveLength(1);
    bus.unplug(device);
    expect((await listUsbPrinters(bus, noLinux)).printers).toHaveLength(0);
    bus.plug(fixture('gprinter-zh380'));
    expect((await listUsbPrinters(bus, noLinux)).printers).toHaveLength(1);
    expect(bus.enumerations).toBe(3);
  });

  it('lists /dev/usb/lp* on Linux with the ids sysfs gives', async () => {
    const sysfs: Record<string, string> = {
      '/sys/class/usbmisc/lp0/device/../idVendor': '04b8\n',
      '/sys/class/usbmisc/lp0/device/../idProduct': '0e15\n',
      '/sys/class/usbmisc/lp0/device/../product': 'TM-T20II\n',
    };
    const { lpNodes, problems } = await listUsbPrinters(new ReplayUsb(), {
      platform: 'linux',
      readdir: async () => ['lp10', 'lp0', 'hiddev0', 'lp1'],
      readFile: async (path) => sysfs[path] ?? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
    });
    expect(problems).toEqual([]);
    expect(lpNodes).toEqual([
      { path: '/dev/usb/lp0', target: { kind: 'usb', path: '/dev/usb/lp0' }, vendorId: 0x04b8, productId: 0x0e15, product: 'TM-T20II' },
      { path: '/dev/usb/lp1', target: { kind: 'usb', path: '/dev/usb/lp1' } },
      { path: '/dev/usb/lp10', target: { kind: 'usb', path: '/dev/usb/lp10' } },
    ]);
  });

  it('never rejects: a missing binding or a failing enumeration is a problem, not an error', async () => {
    const broken = await loadUsbSeam(() => Promise.reject(new Error('Cannot find module @node-usb/usb-linux-riscv64-gnu')));
    expect(broken).toEqual({ ok: false, reason: expect.stringContaining('could not load its native binding: Cannot find module') });
    const failing = { getDevices: () => Promise.reject(new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)')) };
    expect(await listUsbPrinters(failing, noLinux)).toEqual({ printers: [], lpNodes: [], problems: ['usb: cannot list USB devices: getDevices error: /sys/bus/usb/devices/ not found (errno 2)'] });
  });

  it('loads the real usb package here and answers, listing or saying why not', async () => {
    const real = await loadUsbSeam();
    expect(real.ok).toBe(true);
    const listed = await listUsbPrinters(undefined, { platform: 'linux' });
    for (const problem of listed.problems) expect(problem).toMatch(/^(usb|usblp): /);
  });

  it('gives discovery each printer by ids and each usblp node by path, with what the OS says of them', async () => {
    const bus = new ReplayUsb([fixture('gprinter-zh380'), fixture('detong-dp30s')]);
    const listing = await usbPrintersForDiscovery(bus, {
      platform: 'linux',
      readdir: async () => ['lp0'],
      readFile: async (path) => (path.endsWith('idVendor') ? '6868' : path.endsWith('idProduct') ? '0500' : Promise.reject(new Error('ENOENT'))),
    });
    expect(listing).toEqual({
      printers: [
        { label: 'usb 6868:0500 serial 6A6958721237', osDescription: 'Printer Printer (Gprinter)', target: { kind: 'usb', vendorId: 0x6868, productId: 0x0500, serialNumber: '6A6958721237' } },
        {
          label: 'usb 0483:5a19 serial 048353482034',
          osDescription: 'DeTong DP30 Label Printer write-only printer interface: status cannot be read over USB',
          target: { kind: 'usb', vendorId: 0x0483, productId: 0x5a19, serialNumber: '048353482034' },
        },
        { label: '/dev/usb/lp0', osDescription: 'usb 6868:0500', target: { kind: 'usb', path: '/dev/usb/lp0' } },
      ],
      problems: [],
    });
  });
});

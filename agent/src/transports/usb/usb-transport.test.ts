import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../transport-contract';
import type { TransportPort, UsbTarget } from '../transport';
import type { RecordedDevice } from './replay/recorded-device';
import { loadRecordedDevice, ReplayUsb, type ReplayUsbDevice } from './replay/usb-replay';
import { openUsbTransport } from './usb-transport';

const fixture = (name: string): RecordedDevice => loadRecordedDevice(new URL(`./fixtures/${name}.json`, import.meta.url));
const ZH380: UsbTarget = { kind: 'usb', vendorId: 0x6868, productId: 0x0500 };
const fast = { pollTimeoutMs: 20 };

function openOn(bus: ReplayUsb, target: UsbTarget = ZH380, signal?: AbortSignal): Promise<TransportPort> {
  return openUsbTransport(target, signal, { seam: bus, ...fast });
}

function closedWith(port: TransportPort): Promise<Error | undefined> {
  return new Promise((resolve) => port.onClose(resolve));
}

describeTransportContract('usb (replayed Gprinter ZH-380)', async () => {
  const bus = new ReplayUsb();
  const device = bus.plug(fixture('gprinter-zh380'));
  const port = await openOn(bus);
  return {
    port,
    peer: { send: (bytes) => device.send(bytes), received: () => [...device.received], vanish: () => bus.unplug(device) },
  };
});

describe('openUsbTransport', () => {
  it('writes to bulk OUT and reads the reply from bulk IN, as the script plays it', async () => {
    const bus = new ReplayUsb([{ ...fixture('gprinter-zh380'), script: [{ out: '10 04 01', in: '16' }, { out: '10 04 04', in: '12' }] }]);
    const port = await openOn(bus);
    const bytes: number[] = [];
    port.onData((chunk) => bytes.push(...chunk));
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    await expect.poll(() => bytes).toEqual([0x16]);
    await port.write(Uint8Array.of(0x10, 0x04, 0x04));
    await expect.poll(() => bytes).toEqual([0x16, 0x12]);
    const [device] = (await bus.getDevices()) as ReplayUsbDevice[];
    expect(device!.mismatches).toEqual([]);
    expect(port.description).toBe('usb 6868:0500');
    await port.close();
  });

  it('picks the device by serial number when two alike are plugged in', async () => {
    const bus = new ReplayUsb([fixture('gprinter-r222c'), fixture('gprinter-zh380')]);
    const port = await openOn(bus, { ...ZH380, serialNumber: '6A6958721237' });
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    const devices = (await bus.getDevices()) as ReplayUsbDevice[];
    expect(devices.map((d) => d.received.length)).toEqual([0, 3]);
    await port.close();
  });

  it('is absent when no such device is enumerated', async () => {
    const bus = new ReplayUsb([fixture('xprinter-xp-t58h')]);
    await expect(openOn(bus)).rejects.toMatchObject({ name: 'TransportError', code: 'absent', message: 'usb 6868:0500 is not connected (unplugged, powered off, or other USB ids)' });
    await expect(openOn(bus, { ...ZH380, productId: 0x5743, vendorId: 0x0483, serialNumber: 'other' })).rejects.toMatchObject({ code: 'absent' });
  });

  it('never takes an interface usblp holds: busy, and the message names /dev/usb/lpN', async () => {
    const device = new ReplayUsb([{ ...fixture('gprinter-zh380'), heldBy: 'usblp' }]);
    const error = await openOn(device).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'busy' });
    expect((error as Error).message).toBe('usb 6868:0500 is held by another driver (usblp, the spooler or the POS), never taken: read /dev/usb/lpN on Linux, the print queue on Windows');
    expect((error as Error).cause).toMatchObject({ message: 'claimInterface error: interface is busy (errno 16)' });
    const windows = new ReplayUsb([{ ...fixture('gprinter-zh380'), heldBy: 'usbprint' }]);
    await expect(openOn(windows)).rejects.toMatchObject({ code: 'busy', cause: { message: expect.stringMatching(/incompatible driver/) } });
  });

  it('says what to do when the device cannot be opened, and when it has no printer interface', async () => {
    const denied = new ReplayUsb([{ ...fixture('gprinter-zh380'), openError: 'open error: permission denied (errno 13)' }]);
    await expect(openOn(denied)).rejects.toMatchObject({ code: 'cannot_connect', message: expect.stringMatching(/permission denied.*udev rule/) });
    const ftdi = new ReplayUsb([fixture('ftdi-usb-serial')]);
    await expect(openOn(ftdi, { kind: 'usb', vendorId: 0x0403, productId: 0x6001 })).rejects.toMatchObject({ code: 'cannot_connect', message: expect.stringMatching(/no printer-class interface/) });
  });

  it('opens a write-only interface and says status cannot be read through it', async () => {
    const bus = new ReplayUsb([fixture('detong-dp30s')]);
    const port = await openOn(bus, { kind: 'usb', vendorId: 0x0483, productId: 0x5a19 });
    expect(port.description).toMatch(/write-only interface/);
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    await port.close();
  });

  it('a device pulled out mid-read closes the port with a closed error naming it', async () => {
    const bus = new ReplayUsb([{ ...fixture('gprinter-zh380'), script: [{ out: '10 04 01' }, { detach: true }] }]);
    const port = await openOn(bus);
    const closed = closedWith(port);
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    const error = await closed;
    expect(error).toMatchObject({ name: 'TransportError', code: 'closed', message: 'usb 6868:0500 was unplugged: transferIn error: Disconnected' });
    expect(port.isOpen).toBe(false);
    await expect(port.write(Uint8Array.of(0x10))).rejects.toMatchObject({ code: 'closed' });
    await port.close();
  });

  it('sees an unplugged and replugged printer at the next open: nothing stale is kept', async () => {
    const bus = new ReplayUsb();
    const first = bus.plug(fixture('gprinter-zh380'));
    await (await openOn(bus)).close();
    bus.unplug(first);
    await expect(openOn(bus)).rejects.toMatchObject({ code: 'absent' });
    const second = bus.plug(fixture('gprinter-zh380'));
    const port = await openOn(bus);
    await port.write(Uint8Array.of(0x10, 0x04, 0x04));
    expect([first.received, second.received]).toEqual([[], [0x10, 0x04, 0x04]]);
    await port.close();
    expect(bus.enumerations).toBe(3);
  });

  it('releases the interface and closes the device on close, so the next open claims it again', async () => {
    const bus = new ReplayUsb([fixture('gprinter-zh380')]);
    await (await openOn(bus)).close();
    const again = await openOn(bus);
    await again.close();
    await again.close();
  });

  it('rejects canceled when the signal is already aborted', async () => {
    const bus = new ReplayUsb([fixture('gprinter-zh380')]);
    await expect(openOn(bus, ZH380, AbortSignal.abort())).rejects.toMatchObject({ code: 'canceled' });
  });

  it('with the real usb package, an open here ends in a TransportError, never a crash', async () => {
    // this machine: the binding loads, enumeration may fail (no /sys/bus/usb in a container) or find no such printer
    const error = await openUsbTransport({ kind: 'usb', vendorId: 0x6868, productId: 0x0500, serialNumber: 'tillscope-none' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: expect.stringMatching(/^(absent|cannot_connect)$/) });
  });
});

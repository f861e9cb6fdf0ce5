import { describe, expect, it } from 'vitest';
import { MockTransport } from './mock/mock-transport';
import { createOpenTransport } from './open-transport';
import { loadRecordedDevice, ReplayUsb } from './usb/replay/usb-replay';

describe('createOpenTransport', () => {
  it('dispatches on target.kind', async () => {
    const seen: string[] = [];
    const open = createOpenTransport({
      tcp: async (target) => {
        seen.push(`tcp ${target.host}:${target.port}`);
        return new MockTransport();
      },
      serial: async (target) => {
        seen.push(`serial ${target.path}`);
        return new MockTransport();
      },
    });
    await open({ kind: 'tcp', host: 'printer.local', port: 9100, connectTimeoutMs: 100 });
    await open({ kind: 'serial', path: '/dev/ttyS0', baudRate: 9600 });
    expect(seen).toEqual(['tcp printer.local:9100', 'serial /dev/ttyS0']);
  });

  it('uses the real serial transport by default: a missing device is absent', async () => {
    const open = createOpenTransport();
    await expect(open({ kind: 'serial', path: '/dev/tillscope-no-such-port', baudRate: 9600 })).rejects.toMatchObject({ code: 'absent' });
  });

  it('opens USB targets through the usb transport and its seam', async () => {
    const bus = new ReplayUsb([loadRecordedDevice(new URL('./usb/fixtures/gprinter-zh380.json', import.meta.url))]);
    const open = createOpenTransport({ usbDeps: { seam: bus, pollTimeoutMs: 20 } });
    const port = await open({ kind: 'usb', vendorId: 0x6868, productId: 0x0500 });
    expect(port.description).toBe('usb 6868:0500');
    await port.close();
    await expect(open({ kind: 'usb', vendorId: 0x04b8, productId: 0x0e03 })).rejects.toMatchObject({ code: 'absent' });
    await expect(open({ kind: 'usb', path: '/dev/usb/tillscope-no-such-lp' })).rejects.toMatchObject({ code: 'absent' });
  });
});

import { describe, expect, it } from 'vitest';
import { executableOnPath, listSerialPorts } from './serial-list';

const port = { path: '/dev/ttyUSB0', manufacturer: 'FTDI', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: '6001', vendorId: '0403' };

describe('listSerialPorts', () => {
  it('fails soft without udevadm on Linux: no ports and a reason, list never called', async () => {
    let called = false;
    const result = await listSerialPorts({
      platform: 'linux',
      hasExecutable: () => false,
      list: async () => {
        called = true;
        return [port];
      },
    });
    expect(result).toEqual({ ports: [], reason: 'udevadm not found: cannot list serial ports (install the udev package)' });
    expect(called).toBe(false);
  });

  it('lists ports when udevadm is there', async () => {
    expect(await listSerialPorts({ platform: 'linux', hasExecutable: (name) => name === 'udevadm', list: async () => [port] })).toEqual({ ports: [port] });
  });

  it('does not need udevadm elsewhere', async () => {
    expect(await listSerialPorts({ platform: 'win32', hasExecutable: () => false, list: async () => [port] })).toEqual({ ports: [port] });
  });

  it('turns a failing list into a reason', async () => {
    const result = await listSerialPorts({ platform: 'linux', hasExecutable: () => true, list: () => Promise.reject(new Error('spawn udevadm ENOENT')) });
    expect(result).toEqual({ ports: [], reason: 'listing serial ports failed: spawn udevadm ENOENT' });
  });
});

describe('executableOnPath', () => {
  it('finds a name in one PATH directory', () => {
    const access = (path: string) => {
      if (path !== '/usr/bin/udevadm') throw new Error('ENOENT');
    };
    expect(executableOnPath('udevadm', '/bin:/usr/bin', access)).toBe(true);
    expect(executableOnPath('socat', '/bin:/usr/bin', access)).toBe(false);
  });
});

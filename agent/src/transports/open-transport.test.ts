import { describe, expect, it } from 'vitest';
import { MockTransport } from './mock/mock-transport';
import { createOpenTransport } from './open-transport';

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
});

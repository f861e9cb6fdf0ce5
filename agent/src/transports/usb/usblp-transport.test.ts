// The usblp port on a real character device: a socat pseudo-terminal stands in for /dev/usb/lpN
// (same non-blocking read/write, EAGAIN when empty); the peer end is the printer.
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { socatAvailable, startSocatPty, type SocatPty } from '../../test-support/socat-pty';
import { describeTransportContract } from '../transport-contract';
import type { TransportPort } from '../transport';
import { openUsblpTransport } from './usblp-transport';

const hasSocat = socatAvailable();

/** The printer's end, read through serialport's epoll poller (a blocking fs read would pin a libuv thread). */
interface Peer {
  write(bytes: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

async function openPeer(path: string, received: number[]): Promise<Peer> {
  const serial = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => serial.open((error) => (error ? reject(error) : resolve())));
  serial.on('data', (chunk: Buffer) => received.push(...chunk));
  serial.on('error', () => {});
  return {
    write: (bytes) => new Promise((resolve) => serial.write(Buffer.from(bytes), () => serial.drain(() => resolve()))),
    close: () => new Promise((resolve) => (serial.isOpen ? serial.close(() => resolve()) : resolve())),
  };
}

async function withPeer(): Promise<{ pty: SocatPty; peer: Peer; received: number[]; port: TransportPort }> {
  const pty = await startSocatPty();
  const received: number[] = [];
  const peer = await openPeer(pty.peerPath, received);
  const port = await openUsblpTransport(pty.path, undefined, { pollIntervalMs: 5 });
  return { pty, peer, received, port };
}

describe.skipIf(!hasSocat)('usblp on a pseudo-terminal', () => {
  describeTransportContract('usblp (socat pty as the character device)', async () => {
    const { pty, peer, received, port } = await withPeer();
    return {
      port,
      peer: { send: (bytes) => peer.write(bytes), received: () => received, vanish: () => pty.close() },
      teardown: async () => {
        await peer.close().catch(() => {});
        await pty.close();
      },
    };
  });

  it('closes with an error naming the node when the device is pulled mid-read', async () => {
    const { pty, peer, received, port } = await withPeer();
    const closed = new Promise<Error | undefined>((resolve) => port.onClose(resolve));
    await port.write(Uint8Array.of(0x10, 0x04, 0x01));
    await expect.poll(() => received).toEqual([0x10, 0x04, 0x01]);
    await pty.close();
    expect(await closed).toMatchObject({ code: 'closed', message: expect.stringContaining(`${pty.path} was unplugged`) });
    await port.close();
    await peer.close().catch(() => {});
  });
});

describe('openUsblpTransport', () => {
  const failing = (code: string) => async () => {
    throw Object.assign(new Error(`${code}: open '/dev/usb/lp0'`), { code });
  };

  it('maps a missing node to absent, a node the POS holds to busy, no permission to cannot_connect', async () => {
    await expect(openUsblpTransport('/dev/usb/tillscope-no-lp')).rejects.toMatchObject({ code: 'absent' });
    await expect(openUsblpTransport('/dev/usb/lp0', undefined, { open: failing('EBUSY') })).rejects.toMatchObject({
      code: 'busy',
      message: expect.stringMatching(/^\/dev\/usb\/lp0 is held by another program/),
    });
    await expect(openUsblpTransport('/dev/usb/lp0', undefined, { open: failing('EACCES') })).rejects.toMatchObject({
      code: 'cannot_connect',
      message: expect.stringMatching(/lp group/),
    });
  });

  it('retries a write the device is not ready for, then gives up with timeout', async () => {
    let attempts = 0;
    const file = {
      read: async () => Promise.reject(Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' })),
      write: async () => {
        attempts += 1;
        throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      },
      close: async () => {},
    };
    const port = await openUsblpTransport('/dev/usb/lp0', undefined, { open: async () => file, pollIntervalMs: 5, writeTimeoutMs: 30 });
    await expect(port.write(Uint8Array.of(0x10, 0x04, 0x01))).rejects.toMatchObject({ code: 'timeout' });
    expect(attempts).toBeGreaterThan(1);
    await port.close();
  });
});

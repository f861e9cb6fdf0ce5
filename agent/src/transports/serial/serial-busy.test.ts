// A serial port another program holds, over a real socat pseudo-terminal and the real binding:
// the agent must tell "busy" (the POS has it: report and retry later) from "cannot connect".
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { probeContextFor } from '../../devices/bind-device';
import { probeEscPos } from '../../devices/receipt-printer/escpos/probe';
import { escposDriver } from '../../devices/receipt-printer/escpos';
import { socatAvailable, startSocatPty, type SocatPty } from '../../test-support/socat-pty';
import { createOpenTransport } from '../open-transport';
import { openSerialTransport } from './serial-transport';

const hasSocat = socatAvailable();
const opened: { close(): unknown }[] = [];
let pty: SocatPty | undefined;

afterEach(async () => {
  for (const port of opened.splice(0)) await port.close();
  await pty?.close();
  pty = undefined;
});

/** Another program holding the port the way the POS would: serialport with lock: true (flock). */
async function holdPort(path: string): Promise<SerialPort> {
  const holder = new SerialPort({ path, baudRate: 9600, lock: true, autoOpen: false });
  await new Promise<void>((resolve, reject) => holder.open((error) => (error ? reject(error) : resolve())));
  opened.push({ close: () => new Promise<void>((resolve) => (holder.isOpen ? holder.close(() => resolve()) : resolve())) });
  return holder;
}

describe('serial transport: a port held by another program', () => {
  it.skipIf(!hasSocat)('is TransportError busy, and opens once the holder lets go (pty, needs socat)', async () => {
    pty = await startSocatPty();
    const target = { kind: 'serial' as const, path: pty.path, baudRate: 9600 };
    const holder = await holdPort(pty.path);
    await expect(openSerialTransport(target)).rejects.toMatchObject({
      name: 'TransportError',
      code: 'busy',
      message: expect.stringMatching(/ is held by another program \(the POS application\?\): .*Cannot lock port/),
    });
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    const port = await openSerialTransport(target);
    opened.push(port);
    expect(port.isOpen).toBe(true);
  });

  it.skipIf(!hasSocat)('our own open holds the lock: a second open of the same port is busy (pty, needs socat)', async () => {
    pty = await startSocatPty();
    const target = { kind: 'serial' as const, path: pty.path, baudRate: 9600 };
    opened.push(await openSerialTransport(target));
    await expect(openSerialTransport(target)).rejects.toMatchObject({ code: 'busy' });
  });

  it('a missing path is absent, not busy (real binding)', async () => {
    await expect(openSerialTransport({ kind: 'serial', path: '/dev/tillscope-no-such-port', baudRate: 9600 })).rejects.toMatchObject({
      name: 'TransportError',
      code: 'absent',
    });
  });

  it.skipIf(!hasSocat)('the escpos probe reports the held port as printer.port_busy, never taking it (pty, needs socat)', async () => {
    pty = await startSocatPty();
    await holdPort(pty.path);
    const device = { id: 'printer', driver: 'escpos' as const, transport: { kind: 'serial' as const, path: pty.path, baudRate: 9600 }, options: {} };
    const report = await probeEscPos(probeContextFor(escposDriver, device, { openTransport: createOpenTransport(), now: () => new Date(), signal: new AbortController().signal }));
    expect(report.findings.map((f) => f.code)).toEqual(['printer.port_busy']);
    expect(report.evidence.transportError).toMatch(/is held by another program/);
  });
});

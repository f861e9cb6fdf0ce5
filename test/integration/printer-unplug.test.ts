// Unplugging (issue 9, "Tests and measurements"): a printer pulled out mid-read gives
// printer.no_reply or printer.disconnected at the next probe and the probe loop carries on, on the
// real paths: serial through a socat pty (socat killed mid-read), TCP (the printer closes the
// socket mid-read) and USB (the replayed device detaches mid-transfer; replugged, it is seen again).
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceReport } from '@tillscope/shared';
import { createDriverRegistry } from '../../agent/src/devices/registry';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { createProbeLoop, type ProbeLoop } from '../../agent/src/probe-loop/probe-loop';
import { socatAvailable, startSocatPty } from '../../agent/src/test-support/socat-pty';
import { waitFor } from '../../agent/src/test-support/wait-for';
import { createOpenTransport, type OpenTransportDeps } from '../../agent/src/transports/open-transport';
import type { TransportTarget } from '../../agent/src/transports/transport';
import type { RecordedDevice } from '../../agent/src/transports/usb/replay/recorded-device';
import { loadRecordedDevice, ReplayUsb } from '../../agent/src/transports/usb/replay/usb-replay';

const PULLED = ['printer.disconnected', 'printer.no_reply'];
const DLE_EOT_1 = [0x10, 0x04, 0x01];
/** a healthy Epson-class printer answers every DLE EOT n with 0x12 (devices.md §1.1: fixed bits only) */
const HEALTHY = 0x12;

const codes = (report: DeviceReport | undefined) => report?.findings.map((f) => f.code) ?? [];
const hasSubsequence = (bytes: readonly number[], part: readonly number[]) => bytes.some((_, i) => part.every((b, j) => bytes[i + j] === b));

let running: ProbeLoop | undefined;
let watching: NodeJS.Timeout | undefined;
afterEach(async () => {
  clearInterval(watching);
  await running?.stop();
  running = undefined;
});

/** The real probe loop with the real ESC/POS driver and transports, probing every 150 ms. */
function startLoop(target: TransportTarget, transportDeps: OpenTransportDeps = {}): { reports: () => DeviceReport[] } {
  const device: DeviceConfig = { id: 'till-1-printer', driver: 'escpos', transport: target, options: {} };
  const seen: DeviceReport[] = [];
  let last: DeviceReport | undefined;
  running = createProbeLoop({
    devices: [device],
    drivers: createDriverRegistry(),
    openTransport: createOpenTransport(transportDeps),
    probeIntervalMs: 150,
    reportIntervalMs: 3_600_000,
    onHealth: () => {},
  });
  running.start();
  watching = setInterval(() => {
    const report = running?.latest()[0];
    if (report && report !== last) seen.push((last = report));
  }, 5);
  return { reports: () => seen };
}

/**
 * After the pull: the first probe that saw it reports a pulled code, and the loop goes on probing
 * (two more probes, both still pulled while the device stays away).
 */
async function expectPulledThenCarriesOn(reports: () => DeviceReport[], pulledAt: number): Promise<DeviceReport[]> {
  await waitFor('two probes after the one that saw the pull', () => reports().length >= pulledAt + 3);
  const after = reports().slice(pulledAt);
  expect(codes(after[0]).some((c) => PULLED.includes(c))).toBe(true);
  for (const report of after.slice(1, 3)) expect(codes(report)).toContain('printer.disconnected');
  return after;
}

describe.skipIf(!socatAvailable())('unplugging a serial printer (socat pty)', () => {
  it('socat killed mid-read: disconnected or no reply at once, then disconnected, probing on', async () => {
    const pty = await startSocatPty();
    const printer = new SerialPort({ path: pty.peerPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => printer.open((e) => (e ? reject(e) : resolve())));
    printer.on('error', () => {});
    let pull = false;
    let pulledAt = -1;
    printer.on('data', (chunk: Buffer) => {
      if (pull && pulledAt < 0 && hasSubsequence([...chunk], DLE_EOT_1)) {
        pulledAt = reports().length;
        void pty.close();
      } else if (!pull) for (let i = 0; i < chunk.filter((b) => b === 0x04).length; i++) printer.write([HEALTHY]);
    });
    const { reports } = startLoop({ kind: 'serial', path: pty.path, baudRate: 9600 });
    await waitFor('a first probe of the healthy printer', () => reports().length >= 1);
    expect(codes(reports()[0])).not.toContain('printer.disconnected');
    pull = true;
    await waitFor('the pull', () => pulledAt >= 0);
    await expectPulledThenCarriesOn(reports, pulledAt);
  });
});

describe('unplugging a network printer (TCP)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('the printer closes the socket mid-read: the probe settles with a pulled code, the next probe runs', async () => {
    let hangUp = false;
    let pulledAt = -1;
    const sockets = new Set<Socket>();
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('data', (chunk) => {
        if (hangUp && hasSubsequence([...chunk], DLE_EOT_1)) {
          if (pulledAt < 0) pulledAt = reports().length;
          socket.destroy();
        } else if (!hangUp) for (const b of chunk) if (b === 0x04) socket.write(Uint8Array.of(HEALTHY));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { reports } = startLoop({ kind: 'tcp', host: '127.0.0.1', port, connectTimeoutMs: 500 });
    await waitFor('a first probe of the healthy printer', () => reports().length >= 1);
    expect(codes(reports()[0])).not.toContain('printer.disconnected');
    hangUp = true;
    await waitFor('the hang-up', () => pulledAt >= 0);
    await waitFor('two probes after the one that saw it', () => reports().length >= pulledAt + 3);
    const [first, ...next] = reports().slice(pulledAt, pulledAt + 3);
    expect(codes(first)).toEqual(['printer.disconnected']);
    expect(first!.evidence.transportError).toMatch(/^while waiting for DLE EOT 1: 127\.0\.0\.1:\d+ closed/);
    for (const report of next) expect(codes(report).some((c) => PULLED.includes(c))).toBe(true);
  });
});

describe('unplugging a USB printer (replayed)', () => {
  const zh380 = (): RecordedDevice => loadRecordedDevice(new URL('../../agent/src/transports/usb/fixtures/gprinter-zh380.json', import.meta.url));
  const healthyReplies = { '10 04 01': '12', '10 04 02': '12', '10 04 03': '12', '10 04 04': '12' };

  it('detached mid-transfer: a pulled code, then disconnected while away; replugged, seen at the next probe', async () => {
    const bus = new ReplayUsb();
    bus.plug({ ...zh380(), replies: healthyReplies });
    const { reports } = startLoop({ kind: 'usb', vendorId: 0x6868, productId: 0x0500 }, { usbDeps: { seam: bus, pollTimeoutMs: 50 } });
    await waitFor('a first probe of the healthy printer', () => reports().length >= 1);
    expect(codes(reports()[0])).not.toContain('printer.disconnected');
    expect(reports()[0]!.evidence.exchanges[0]).toMatchObject({ request: '10 04 01', reply: '12' });

    const [healthy] = (await bus.getDevices()) as ReturnType<ReplayUsb['plug']>[];
    bus.unplug(healthy!);
    const pulling = bus.plug({ ...zh380(), script: [{ out: '10 04 01' }, { detach: true }] });
    const pulledAt = reports().length;
    await waitFor('the detach', () => !pulling.isAttached);
    const after = await expectPulledThenCarriesOn(reports, pulledAt);
    expect(codes(after[0])).toEqual(['printer.disconnected']);
    expect(after[0]!.evidence.transportError).toBe('while waiting for DLE EOT 1: usb 6868:0500 closed: usb 6868:0500 was unplugged: transferIn error: Disconnected');
    expect(after[1]!.evidence.transportError).toBe('usb 6868:0500 is not connected (unplugged, powered off, or other USB ids)');

    bus.plug({ ...zh380(), replies: healthyReplies });
    const replugAt = reports().length;
    await waitFor('the next probe after the replug', () => reports().length >= replugAt + 1);
    expect(codes(reports()[replugAt])).not.toContain('printer.disconnected');
    expect(reports()[replugAt]!.evidence.exchanges[0]).toMatchObject({ request: '10 04 01', reply: '12' });
  });
});

import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../devices/driver';
import { escposDriver } from '../devices/receipt-printer/escpos';
import { createDriverRegistry } from '../devices/registry';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../transports/mock/mock-transport';
import { TransportError, type TransportTarget } from '../transports/transport';
import { discover, type DiscoverOptions } from './discover';
import { escposResponder, shtrihResponder } from './fake-devices';
import { formatDiscovery, terminalSafe } from './format';
import { entryFor, proposeEntry } from './propose';

const drivers = createDriverRegistry();
const signal = new AbortController().signal;
const now = () => new Date('2026-11-30T12:00:00Z');

/** Ports by path (serial) or host:port (tcp), each a responder; any other serial path is absent, any other host refuses. */
function ports(byTarget: Record<string, MockResponder | 'busy'>) {
  const opens: string[] = [];
  const mock = createMockOpenTransport((target: TransportTarget) => {
    const key = target.kind === 'tcp' ? `${target.host}:${target.port}` : (target.path ?? target.kind);
    opens.push(key);
    const device = byTarget[key];
    if (device === 'busy') return new TransportError('busy', `${key} is held by another program`);
    if (device) return new MockTransport({ responder: device });
    return target.kind === 'tcp' ? new TransportError('cannot_connect', `${key}: connection refused`) : new TransportError('absent', `${key} does not exist`);
  });
  return { open: mock.open, opens };
}

function options(open: DiscoverOptions['openTransport'], extra: Partial<DiscoverOptions> = {}): DiscoverOptions {
  return {
    drivers,
    devices: [],
    openTransport: open,
    listSerial: async () => ({ ports: [{ path: '/dev/ttyS0' }, { path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }, { path: '/dev/ttyUSB1' }] }),
    realpath: async (p) => p,
    listUsbPrinters: async () => ({ printers: [] }),
    now,
    signal,
    ...extra,
  };
}

const configuredPrinter: DeviceConfig = { id: 'printer', driver: 'escpos', transport: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }, options: {} };

describe('discover', () => {
  it('classifies each listed port, probes what answered and proposes entries with free ids; absent ports are problems', async () => {
    const { open } = ports({ '/dev/ttyUSB0': shtrihResponder, '/dev/ttyUSB1': escposResponder });
    // The fake register answers 0x10 and 0xFC only: its probe's health is unknown (partial answers), and it is proposed because it answered.
    const result = await discover(options(open, { devices: [{ ...configuredPrinter, id: 'escpos-1', transport: { kind: 'tcp', host: '10.9.9.9', port: 9100, connectTimeoutMs: 50 } }] }));
    const byTarget = Object.fromEntries(result.ports.map((p) => [p.target, p]));
    expect(byTarget['/dev/ttyUSB0']).toMatchObject({ classification: 'shtrih-m', osDescription: 'FTDI, usb 0403:6001 (FTDI USB-serial adapter)', probeHealth: 'unknown', model: 'ШТРИХ-М-01Ф' });
    expect(byTarget['/dev/ttyUSB0']!.proposedConfig).toEqual({ id: 'shtrih-m-1', driver: 'shtrih-m', transport: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 }, model: 'ШТРИХ-М-01Ф' });
    // escpos-1 is taken by the config: the proposal gets the next free id.
    expect(byTarget['/dev/ttyUSB1']).toMatchObject({ classification: 'escpos', probeHealth: 'ok', model: 'TM-T20', proposedConfig: { id: 'escpos-2', driver: 'escpos', transport: { path: '/dev/ttyUSB1', baudRate: 9600 } } });
    expect(byTarget['/dev/ttyS0']).toBeUndefined();
    expect(result.problems).toContain('/dev/ttyS0: /dev/ttyS0 does not exist');
    expect(byTarget['10.9.9.9:9100']).toMatchObject({ configuredAs: 'escpos-1', classification: 'unreachable' });
    expect(byTarget['10.9.9.9:9100']!.proposedConfig).toBeUndefined();
  });

  it('in the running agent, configured ports are reported from the latest probe and never opened', async () => {
    const { open, opens } = ports({ '/dev/ttyUSB0': escposResponder, '/dev/ttyUSB1': 'busy' });
    const latest = [{ deviceId: 'printer', health: 'warning', identity: { model: 'TM-T88V' } } as DeviceReport];
    const result = await discover(options(open, { devices: [configuredPrinter], latestReports: () => latest }));
    expect(opens.filter((o) => o === '/dev/ttyUSB0')).toEqual([]);
    expect(result.ports.find((p) => p.target === '/dev/ttyUSB0')).toMatchObject({ configuredAs: 'printer', classification: 'escpos', probeHealth: 'warning', model: 'TM-T88V' });
    // The busy port is opened exactly once.
    expect(opens.filter((o) => o === '/dev/ttyUSB1')).toEqual(['/dev/ttyUSB1']);
    expect(result.ports.find((p) => p.target === '/dev/ttyUSB1')).toMatchObject({ classification: 'busy' });
  });

  it('from the CLI (no probe loop), a configured port is identified but not proposed again', async () => {
    const { open, opens } = ports({ '/dev/ttyUSB0': escposResponder });
    const result = await discover(options(open, { devices: [configuredPrinter] }));
    expect(opens).toContain('/dev/ttyUSB0');
    const port = result.ports.find((p) => p.target === '/dev/ttyUSB0');
    expect(port).toMatchObject({ configuredAs: 'printer', classification: 'escpos' });
    expect(port?.proposedConfig).toBeUndefined();
  });

  it('a USB printer is identified over the usb transport and proposed with its ids as lsusb prints them; a configured one is matched', async () => {
    const spare = { kind: 'usb' as const, vendorId: 0x04b8, productId: 0x0e03 };
    const mine = { kind: 'usb' as const, path: '/dev/usb/lp0' };
    const mock = createMockOpenTransport(() => new MockTransport({ responder: escposResponder }));
    const result = await discover(
      options(mock.open, {
        listSerial: async () => ({ ports: [] }),
        devices: [{ id: 'printer', driver: 'escpos', transport: mine, options: {} }],
        listUsbPrinters: async () => ({ printers: [{ label: '/dev/usb/lp0', target: mine }, { label: 'usb 04b8:0e03', osDescription: 'EPSON, TM-T20', target: spare }], problems: ['no /dev/usb'] }),
      }),
    );
    const ports = result.ports.filter((p) => p.transport === 'usb');
    expect(ports.map((p) => [p.target, p.classification, p.configuredAs])).toEqual([
      ['/dev/usb/lp0', 'escpos', 'printer'],
      ['usb 04b8:0e03', 'escpos', undefined],
    ]);
    expect(ports[1]!.proposedConfig).toEqual({ id: 'escpos-1', driver: 'escpos', transport: { kind: 'usb', vendorId: '04b8', productId: '0e03' }, model: 'TM-T20' });
    expect(result.problems).toContain('usb: no /dev/usb');
  });

  it('a USB listing without a transport is listed, not identified; a failing USB listing is a problem', async () => {
    const { open } = ports({});
    const withUsb = await discover(options(open, { listUsbPrinters: async () => ({ printers: [{ label: 'usb 04b8:0e03', osDescription: 'EPSON TM-T20' }] }) }));
    expect(withUsb.ports.find((p) => p.transport === 'usb')).toMatchObject({ target: 'usb 04b8:0e03', classification: 'unreachable', osDescription: 'EPSON TM-T20' });
    const failing = await discover(options(open, { listUsbPrinters: () => Promise.reject(new Error('no native binding')) }));
    expect(failing.problems).toContain('usb: listing USB printers failed: no native binding');
  });
});

describe('probe before proposing', () => {
  it('an entry the config schema refuses is not proposed', async () => {
    const entry = { ...entryFor(escposDriver, { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }, undefined), transport: { kind: 'serial' as const, path: '/dev/ttyUSB0', baudRate: 1 } };
    const proposal = await proposeEntry(escposDriver, entry, { drivers, openTransport: ports({}).open, now, signal });
    expect(proposal).toMatchObject({ kind: 'not_proposed', step: expect.stringMatching(/^config check refused the entry: transport.baudRate/) });
  });

  it('a device the probe does not hear is not proposed', async () => {
    const { open } = ports({ '/dev/ttyUSB0': () => null });
    const proposal = await proposeEntry(escposDriver, entryFor(escposDriver, { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }, undefined), { drivers, openTransport: open, now, signal });
    expect(proposal).toMatchObject({ kind: 'not_proposed', health: 'fault', step: expect.stringMatching(/^probe \(escpos\): 0 of \d requests answered, health fault \(printer.no_reply\): not proposed$/) });
  });
});

describe('the CLI text', () => {
  it('shows device strings without control characters', () => {
    expect(terminalSafe('TM\u001b[2J-T20\u009b')).toBe('TM?[2J-T20?');
    const text = formatDiscovery({
      startedAt: '2026-11-30T12:00:00.000Z',
      finishedAt: '2026-11-30T12:00:01.000Z',
      problems: [],
      ports: [{ transport: 'serial', target: '/dev/ttyUSB0', classification: 'escpos', steps: ['DLE EOT 1'], model: 'X\u001b]0;pwned\u0007', proposedConfig: { id: 'escpos-1', model: 'X\u001b]0;pwned\u0007' } }],
    });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('принтер ESC/POS / ESC/POS printer');
    expect(text).toContain('"id": "escpos-1"');
  });
});

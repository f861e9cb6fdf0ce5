import type { DriverId } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { requestReply } from '../devices/common/request-reply';
import type { DeviceDriver, DriverRegistry } from '../devices/driver';
import { escposDriver } from '../devices/receipt-printer/escpos';
import { createDriverRegistry } from '../devices/registry';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../transports/mock/mock-transport';
import { TransportError, type TransportTarget } from '../transports/transport';
import type { ByteCandidate } from './candidates';
import { attemptsFor, classifyPort } from './classify';
import { allWritten, containsRun, escposResponder, shtrihResponder, starResponder } from './fake-devices';

const ESC_ACK_SOH = [0x1b, 0x06, 0x01];
const DLE_EOT = [0x10, 0x04];

/**
 * A Star line-mode identifier standing in for the star helper's driver (ESC ACK SOH → an ASB
 * header `0**0***1`), so the order test covers all three printer families.
 */
const fakeStar: DeviceDriver = {
  ...escposDriver,
  id: 'star-line' as DriverId,
  identification: {
    order: 200,
    serialBaudRates: [9600],
    async identify(port, signal) {
      const { received } = await requestReply(port, Uint8Array.from(ESC_ACK_SOH), { timeoutMs: 200, signal, complete: (r) => r.length >= 9 });
      const header = received[0];
      return { matched: header !== undefined && (header & 0x91) === 0x01, steps: ['ESC ACK SOH'] };
    },
  },
};

function registryWithStar(): DriverRegistry {
  return new Map([...createDriverRegistry(), ['star-line' as DriverId, fakeStar]]);
}

const serial = (path = '/dev/ttyUSB0'): ByteCandidate => ({ kind: 'byte', transport: 'serial', label: path, target: { kind: 'serial', path, baudRate: 9600 } });

function run(candidate: ByteCandidate, connect: (target: TransportTarget) => MockTransport | TransportError, drivers = registryWithStar()) {
  const targets: TransportTarget[] = [];
  const mock = createMockOpenTransport((target) => {
    targets.push(target);
    return connect(target);
  });
  const verdict = classifyPort(candidate, { drivers, openTransport: mock.open, signal: new AbortController().signal });
  return { verdict, targets, opened: mock.opened };
}

const device = (responder: MockResponder) => () => new MockTransport({ responder });

describe('discovery: classifying a port in the drivers order', () => {
  it('a Shtrih-M register answers the first handshake and never receives DLE EOT or ESC ACK SOH', async () => {
    const { verdict, opened } = run(serial(), device(shtrihResponder));
    expect(await verdict).toMatchObject({ kind: 'matched', driver: { id: 'shtrih-m' }, model: 'ШТРИХ-М-01Ф', target: { baudRate: 115200 } });
    const written = allWritten(opened.flatMap((p) => p.writes));
    expect(written[0]).toBe(0x05);
    expect(containsRun(written, DLE_EOT)).toBe(false);
    expect(containsRun(written, ESC_ACK_SOH)).toBe(false);
    expect(opened).toHaveLength(1);
    expect(opened.every((p) => !p.isOpen)).toBe(true);
  });

  it('on a silent port every fiscal attempt, at every baud rate, comes before the first printer byte', async () => {
    const { verdict, targets, opened } = run(serial(), device(() => null));
    expect(await verdict).toMatchObject({ kind: 'silent' });
    expect(targets.map((t) => (t.kind === 'serial' ? t.baudRate : 0))).toEqual([115200, 4800, 9600, 38400, 9600]);
    const firstBytes = opened.map((p) => p.writes[0]?.[0]);
    expect(firstBytes).toEqual([0x05, 0x05, 0x10, 0x10, 0x1b]);
    expect(attemptsFor(registryWithStar(), serial().target).map((a) => a.driver.id)).toEqual(['shtrih-m', 'shtrih-m', 'escpos', 'escpos', 'star-line']);
  });

  it('a busy port is reported at the first open and never opened again', async () => {
    const { verdict, targets } = run(serial(), () => new TransportError('busy', '/dev/ttyUSB0 is held by another program (the POS application?): Cannot lock port'));
    const result = await verdict;
    expect(result.kind).toBe('busy');
    expect(result.steps.join(' ')).toMatch(/held by another program, not taken/);
    expect(targets).toHaveLength(1);
  });

  it('a port that is not there is a problem line, opened once', async () => {
    const { verdict, targets } = run(serial('/dev/ttyUSB9'), () => new TransportError('absent', '/dev/ttyUSB9 does not exist'));
    expect(await verdict).toMatchObject({ kind: 'absent', problem: '/dev/ttyUSB9 does not exist' });
    expect(targets).toHaveLength(1);
  });

  it('a network printer that refuses the connection is unreachable after one attempt', async () => {
    const tcp: ByteCandidate = { kind: 'byte', transport: 'tcp', label: '10.0.0.9:9100', target: { kind: 'tcp', host: '10.0.0.9', port: 9100, connectTimeoutMs: 1500 } };
    const { verdict, targets } = run(tcp, () => new TransportError('cannot_connect', 'connection refused'));
    expect(await verdict).toMatchObject({ kind: 'unreachable' });
    expect(targets).toHaveLength(1);
  });

  it('an ESC/POS printer is identified by DLE EOT 1, with its model from GS I 67, after the fiscal handshakes', async () => {
    const { verdict, opened } = run(serial(), device(escposResponder));
    const result = await verdict;
    expect(result).toMatchObject({ kind: 'matched', driver: { id: 'escpos' }, model: 'TM-T20', target: { baudRate: 9600 } });
    expect(result.steps.some((s) => s.includes('DLE EOT 1 (10 04 01) → 12'))).toBe(true);
    expect(opened.map((p) => p.writes[0]?.[0])).toEqual([0x05, 0x05, 0x10]);
  });

  it('a Star answering ENQ with 0x06 (the ACK byte) is not taken for a Shtrih: no reply frame followed', async () => {
    const { verdict, opened } = run(serial(), device(starResponder));
    const result = await verdict;
    expect(result).toMatchObject({ kind: 'matched', driver: { id: 'star-line' } });
    expect(result.steps.some((s) => s.includes('ENQ → ACK (held answer); not a Shtrih-M register'))).toBe(true);
    // No Shtrih command frame (STX LEN 0xFC) ever went to the Star, and its EOT status 0x10 is not an ESC/POS status byte.
    const written = allWritten(opened.flatMap((p) => p.writes));
    expect(containsRun(written, [0x02, 0x01, 0xfc])).toBe(false);
    expect(result.steps.some((s) => s.includes('DLE EOT 1 (10 04 01) → 10: not an ESC/POS status byte'))).toBe(true);
  });
});

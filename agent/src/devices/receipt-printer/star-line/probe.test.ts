import { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { probeContextFor } from '../../bind-device';
import type { DeviceConfig } from '../../driver';
import { starLineDriver } from './index';
import { createStarLineMemory, type StarLineMemory } from './options';
import { probeStarLine } from './probe';

const HEALTHY = [0x23, 0x04, 0, 0, 0, 0, 0, 0, 0];
const COVER_OPEN = [0x23, 0x04, 0x28, 0, 0, 0, 0, 0, 0];
const tcp: DeviceConfig = { id: 'till-3-printer', driver: 'star-line', transport: { kind: 'tcp', host: '10.0.0.9', port: 9100, connectTimeoutMs: 1500 }, options: { listenMs: 20, automaticWaitMs: 100 } };
const serial: DeviceConfig = { ...tcp, transport: { kind: 'serial', path: '/dev/ttyS3', baudRate: 9600 } };

/** A Star printer answering ESC ACK SOH with `frame`, and nothing else. */
const star =
  (frame: readonly number[] | null): MockResponder =>
  (written) =>
    written.length === 3 && written[0] === 0x1b && written[1] === 0x06 && written[2] === 0x01 ? frame : null;

async function probe(port: MockTransport | TransportError, device = tcp, memory: StarLineMemory = createStarLineMemory()) {
  const mock = createMockOpenTransport(() => port);
  const ctx = { ...probeContextFor(starLineDriver, device, { openTransport: mock.open, now: () => new Date(), signal: new AbortController().signal }), memory };
  const report = await probeStarLine(ctx, { replyTimeoutMs: 60 });
  expect(DeviceReport.safeParse(report).success).toBe(true);
  for (const opened of mock.opened) expect(opened.isOpen).toBe(false);
  return report;
}
const codes = (r: DeviceReport) => r.findings.map((f) => f.code);
const writes = (port: MockTransport) => port.writes.map((w) => Array.from(w));

describe('Star line probe against MockTransport', () => {
  it('a healthy printer: stale input drained, one ESC ACK SOH, ok, port closed', async () => {
    const port = new MockTransport({ responder: star(HEALTHY), staleInput: COVER_OPEN });
    const report = await probe(port);
    expect(port.discardCount).toBe(1);
    expect(writes(port)).toEqual([[0x1b, 0x06, 0x01]]);
    expect(report).toMatchObject({ driver: 'star-line', health: 'ok', findings: [], printer: { statusSupport: [{ request: 'ESC ACK SOH', answers: true }] } });
    expect(report.evidence.exchanges).toMatchObject([{ request: '1b 06 01', reply: '23 04 00 00 00 00 00 00 00', discarded: '', valid: true }]);
    expect(report.checked).toContain('printer.cover_open');
  });

  it('a fault in the reply becomes its finding', async () => {
    const report = await probe(new MockTransport({ responder: star(COVER_OPEN) }));
    expect(codes(report)).toEqual(['printer.cover_open']);
  });

  it('silence: no reply, and the printer is recorded as not answering ESC ACK SOH', async () => {
    const report = await probe(new MockTransport({ responder: star(null) }));
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.printer?.statusSupport).toEqual([{ request: 'ESC ACK SOH', answers: false }]);
  });

  it('frames arriving unasked: used, nothing sent, and later probes only listen', async () => {
    const memory = createStarLineMemory();
    const port = new MockTransport({ responder: star(HEALTHY) });
    // after the probe drained the input and listens (bytes before that are stale and dropped)
    setTimeout(() => port.emitData(COVER_OPEN), 5);
    const report = await probe(port, tcp, memory);
    expect(writes(port)).toEqual([]);
    expect(codes(report)).toEqual(['printer.cover_open']);
    expect(report.evidence.exchanges[0]).toMatchObject({ request: '', valid: true });
    expect(memory.automaticSeen).toBe(true);

    const quiet = new MockTransport({ responder: star(HEALTHY) });
    const later = await probe(quiet, tcp, memory);
    expect(writes(quiet)).toEqual([]);
    expect(later.health).toBe('unknown');
    expect(later.checked).toEqual(['printer.disconnected', 'printer.port_busy']);
  });

  it('options.status "automatic" never asks', async () => {
    const port = new MockTransport({ responder: star(HEALTHY) });
    const report = await probe(port, { ...tcp, options: { status: 'automatic', automaticWaitMs: 100 } });
    expect(writes(port)).toEqual([]);
    expect(report.health).toBe('unknown');
  });

  it('serial: a frame after an unanswered request is that late answer, set aside, and the printer asked again', async () => {
    const memory = createStarLineMemory();
    await probe(new MockTransport({ responder: star(null) }), serial, memory);
    expect(memory.unanswered).toBe(true);
    const port = new MockTransport({ responder: star(HEALTHY) });
    // after the probe drained the input and listens (bytes before that are stale and dropped)
    setTimeout(() => port.emitData(COVER_OPEN), 5);
    const report = await probe(port, serial, memory);
    expect(writes(port)).toEqual([[0x1b, 0x06, 0x01]]);
    expect(report.health).toBe('ok');
    expect(report.evidence.exchanges[0]).toMatchObject({ discarded: '23 04 28 00 00 00 00 00 00' });
    expect(memory).toEqual({ automaticSeen: false, unanswered: false });
  });

  it.each([
    ['absent', 'printer.disconnected'],
    ['busy', 'printer.port_busy'],
    ['cannot_connect', 'printer.no_reply'],
  ] as const)('open fails with %s: %s', async (code, finding) => {
    const report = await probe(new TransportError(code, `port ${code}`));
    expect(codes(report)).toEqual([finding]);
    expect(report.evidence.transportError).toBe(`port ${code}`);
  });

  it('the printer vanishing mid-read: disconnected', async () => {
    const port: MockTransport = new MockTransport({
      responder: () => {
        port.emitClose(new Error('unplugged'));
        return null;
      },
    });
    const report = await probe(port);
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(report.checklist.find((a) => a.step === 'printer.connection')?.result).toBe('failed');
  });
});

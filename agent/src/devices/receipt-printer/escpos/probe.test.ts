import { describe, expect, it } from 'vitest';
import { DeviceReport, isStructuredExchange } from '@tillscope/shared';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { probeContextFor } from '../../bind-device';
import type { DeviceConfig } from '../../driver';
import { escposDriver } from './index';
import { probeEscPos } from './probe';

const device: DeviceConfig = { id: 'printer-1', driver: 'escpos', transport: { kind: 'tcp', host: '10.0.0.5', port: 9100, connectTimeoutMs: 1500 }, options: {} };

/** A printer answering DLE EOT n with the given byte per n. */
function printer(bytes: Record<1 | 2 | 3 | 4, number | null>): MockResponder {
  return (written) => {
    const n = written[2] as 1 | 2 | 3 | 4;
    if (written.length !== 3 || written[0] !== 0x10 || written[1] !== 0x04) return null;
    const byte = bytes[n];
    return byte === null ? null : [byte];
  };
}

function context(port: MockTransport | TransportError, signal = new AbortController().signal) {
  const mock = createMockOpenTransport(() => port);
  const ctx = probeContextFor(escposDriver, device, { openTransport: mock.open, now: () => new Date(), signal });
  return { ctx, mock };
}

async function probe(port: MockTransport | TransportError, replyTimeoutMs = 50, signal?: AbortSignal) {
  const { ctx, mock } = context(port, signal);
  const report = await probeEscPos(ctx, { replyTimeoutMs });
  // Every report must pass the wire schema the console parses it with.
  expect(DeviceReport.safeParse(report).success).toBe(true);
  for (const opened of mock.opened) expect(opened.isOpen).toBe(false);
  return report;
}

const codes = (report: DeviceReport) => report.findings.map((f) => f.code);
const step = (report: DeviceReport, name: string) => report.checklist.find((a) => a.step === name);

describe('ESC/POS probe against MockTransport', () => {
  it('a healthy printer: four exchanges, one query at a time, health ok, port closed', async () => {
    const port = new MockTransport({ responder: printer({ 1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12 }) });
    const report = await probe(port);
    expect(port.writes.map((w) => Array.from(w))).toEqual([
      [0x10, 0x04, 1],
      [0x10, 0x04, 2],
      [0x10, 0x04, 3],
      [0x10, 0x04, 4],
      [0x1d, 0x49, 1], // GS I 1, unanswered by this mock: identity tried again later
      [0x1d, 0x67, 0x32, 0x00, 178, 0x00], // GS g 2 n=178 (cut counter), unanswered: no counters
    ]);
    expect(report.health).toBe('ok');
    expect(report.findings).toEqual([]);
    expect(report.evidence.exchanges.slice(0, 4).map((e) => [e.request, e.reply, e.valid])).toEqual([
      ['10 04 01', '16', true],
      ['10 04 02', '12', true],
      ['10 04 03', '12', true],
      ['10 04 04', '12', true],
    ]);
    expect(report.evidence.exchanges[0]?.decoded.find((f) => f.field === 'bit 2')?.set).toBe(true);
    expect(report).toMatchObject({ deviceId: 'printer-1', kind: 'receipt-printer', driver: 'escpos', evidence: { transport: 'tcp', target: '10.0.0.5:9100' } });
    expect(step(report, 'printer.test_print')).toEqual({ step: 'printer.test_print', result: 'unknown', observed: 'not run: a status probe never prints; run a test print from the ticket, or the cashier agrees to one on the cashier page' });
  });

  it('never has more than one query outstanding', async () => {
    let outstanding = 0;
    let maxOutstanding = 0;
    const port: MockTransport = new MockTransport({
      responder: () => {
        outstanding += 1;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        setTimeout(() => {
          outstanding -= 1;
          port.emitData([0x12]);
        }, 5);
        return null;
      },
    });
    const report = await probe(port, 200);
    expect(report.health).toBe('ok');
    expect(maxOutstanding).toBe(1);
  });

  it('paper end over DLE EOT 4 with the printer offline: paper_end, not offline', async () => {
    const report = await probe(new MockTransport({ responder: printer({ 1: 0x1a, 2: 0x32, 3: 0x12, 4: 0x72 }) }));
    expect(codes(report)).toEqual(['printer.paper_end']);
    expect(report.findings[0]?.detail).toBe('DLE EOT 4 = 0x72: paper end sensor: no paper');
    expect(report.health).toBe('fault');
    expect(step(report, 'printer.paper')?.result).toBe('failed');
    expect(step(report, 'printer.online')?.result).toBe('failed');
  });

  it('no reply at all → printer.no_reply, silence, stops after DLE EOT 1', async () => {
    const port = new MockTransport({ responder: () => null });
    const report = await probe(port);
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.findings[0]?.detail).toMatch(/^no reply to DLE EOT 1 within \d+ ms: silence/);
    expect(report.health).toBe('fault');
    expect(port.writes).toHaveLength(1);
    expect(report.evidence.exchanges).toMatchObject([{ request: '10 04 01', reply: null, valid: false, discarded: '', decoded: [] }]);
    expect(step(report, 'printer.answers')?.result).toBe('failed');
    expect(step(report, 'printer.paper')?.result).toBe('unknown');
  });

  it('garbage only → printer.no_reply whose detail names the invalid bytes', async () => {
    const report = await probe(new MockTransport({ responder: () => [0xff, 0x00] }));
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.findings[0]?.detail).toMatch(/only invalid bytes \(ff 00\)/);
    expect(report.evidence.exchanges[0]).toMatchObject({ reply: null, discarded: 'ff 00', valid: false });
  });

  it('port closes mid-read → printer.disconnected with evidence.transportError', async () => {
    const port: MockTransport = new MockTransport({
      responder: () => {
        port.emitClose(new Error('device disconnected'));
        return null;
      },
    });
    const report = await probe(port, 5_000);
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(step(report, 'printer.connection')?.result).toBe('failed');
    expect(report.evidence.transportError).toBe('while waiting for DLE EOT 1: mock closed: device disconnected');
    expect(report.findings[0]?.detail).toContain('device disconnected');
  });

  it('the port vanishing after DLE EOT 1 keeps what was learned and records the transport error', async () => {
    const port: MockTransport = new MockTransport({
      responder: (written) => {
        if (written[2] === 1) return [0x12];
        port.emitClose(new Error('EIO'));
        return null;
      },
    });
    const report = await probe(port, 5_000);
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(report.health).toBe('fault');
    expect(step(report, 'printer.online')?.result).toBe('passed');
    expect(report.evidence.transportError).toMatch(/while waiting for DLE EOT 2: .*EIO/);
    expect(step(report, 'printer.cover')?.result).toBe('unknown');
  });

  it('cannot connect → printer.no_reply with the connection step failed, no exchanges', async () => {
    const report = await probe(new TransportError('cannot_connect', 'cannot connect to 10.0.0.5:9100: connection refused'));
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.evidence.transportError).toBe('cannot connect to 10.0.0.5:9100: connection refused');
    expect(report.findings[0]?.detail).toBe('connection failed: cannot connect to 10.0.0.5:9100: connection refused');
    expect(step(report, 'printer.connection')).toEqual({ step: 'printer.connection', result: 'failed', observed: 'cannot connect to 10.0.0.5:9100: connection refused' });
    expect(report.evidence.exchanges).toEqual([]);
  });

  it('drains stale bytes waiting in the port before the first query', async () => {
    // 0x1a (offline) is a stale reply to someone else's earlier DLE EOT 1; the printer is fine now.
    const port = new MockTransport({ staleInput: [0x1a, 0x72], responder: printer({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }) });
    const report = await probe(port);
    expect(port.discardCount).toBe(1);
    const dle = report.evidence.exchanges.slice(0, 4);
    expect(dle.map((e) => e.reply)).toEqual(['12', '12', '12', '12']);
    expect(dle.map((e) => (isStructuredExchange(e) ? null : e.discarded))).toEqual(['', '', '', '']);
    expect(report.health).toBe('ok');
  });

  it('an ASB frame and XOFF sent before the reply are set aside, not read as the status', async () => {
    const port: MockTransport = new MockTransport({
      responder: (written) => {
        if (written[2] === 1) return [0x18, 0x00, 0x13, 0x00, 0x00, 0x12];
        return [0x12];
      },
    });
    const report = await probe(port);
    expect(report.evidence.exchanges[0]).toMatchObject({ reply: '12', discarded: '18 00 13 00 00' });
    expect(report.health).toBe('ok');
  });

  it('a delayed reply still counts when it arrives within the timeout', async () => {
    const port = new MockTransport({ responder: printer({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1e }), replyDelayMs: 10 });
    const report = await probe(port, 1_000);
    expect(codes(report)).toEqual(['printer.paper_near_end']);
    expect(report.health).toBe('warning');
  });

  it('a late reply is not taken for the next query: the probe stops at the first timeout', async () => {
    const port = new MockTransport({ responder: printer({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }), replyDelayMs: 100 });
    const report = await probe(port, 20);
    expect(port.writes).toHaveLength(1);
    expect(codes(report)).toEqual(['printer.no_reply']);
  });

  it('an aborted signal ends the probe with a report, closing the port', async () => {
    const controller = new AbortController();
    const port: MockTransport = new MockTransport({
      responder: () => {
        controller.abort();
        return null;
      },
    });
    const report = await probe(port, 5_000, controller.signal);
    expect(report.evidence.transportError).toMatch(/canceled/);
    expect(port.isOpen).toBe(false);
    // The agent gave up, the printer did not fail: unknown, and no "does not answer" alarm.
    expect(report.health).toBe('unknown');
    expect(codes(report)).toEqual([]);
  });

  it('escposDriver is the registry entry: id, kind, transports, probe', async () => {
    expect(escposDriver).toMatchObject({ id: 'escpos', kind: 'receipt-printer', transports: ['tcp', 'serial', 'usb'] });
    const { ctx } = context(new TransportError('cannot_connect', 'nope'));
    const report = await escposDriver.probe(ctx);
    expect(codes(report)).toEqual(['printer.no_reply']);
  });
});

import { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { probeContextFor } from '../../bind-device';
import type { DeviceConfig } from '../../driver';
import { parseHex, toHex } from '../../common/hex';
import { shtrihDriver } from './index';
import { probeShtrih } from './probe';
import { encodeFrame, frameCommand, isAllowedCommand } from './protocol';

// The register keeps local time: pin the zone and the host clock to the fixtures' register clock.
process.env.TZ = 'Europe/Moscow';
const NOW = new Date('2026-02-03T11:25:36.000Z');

const device: DeviceConfig = { id: 'kkt-1', driver: 'shtrih-m', transport: { kind: 'tcp', host: '10.0.0.9', port: 7778, connectTimeoutMs: 1500 }, options: { replyTimeoutMs: 100 } };

const HEALTHY: Record<number, string> = {
  0x10: '10 00 1e 92 02 02 00 00 9a b4 00 00 00 00 00 00',
  0x11: '11 00 1e 41 34 34 12 11 05 17 01 02 01 92 02 02 00 01 41 31 01 00 01 01 14 03 02 1a 0e 19 24 00 4e 61 bc 00 07 00 00 00 01 0b 00 00 00 00 00 00',
  0xfc: 'fc 00 00 00 01 0d 13 00 53 48 54 52 49 48',
  0xff01: 'ff 01 00 03 00 00 01 00 1a 02 03 0e 19 39 39 39 39 30 37 38 39 30 30 30 31 32 33 34 35 34 12 00 00',
  0xff03: 'ff 03 00 1b 03 1f 0b 01',
  0xff39: 'ff 39 00 01 00 00 00 00 00 00 00 00 00 00 00 00',
  0xff3f: 'ff 3f 00 00 00',
  0xff40: 'ff 40 00 01 2a 00 05 00',
};

/** A register on a mock port: NAK to ENQ, then ACK and the reply from `replies` to each frame. */
function register(replies: Record<number, string>, log: number[] = []): MockResponder {
  return (written) => {
    if (written.length === 1 && written[0] === 0x05) return [0x15];
    if (written[0] !== 0x02) return null;
    const code = frameCommand(written.slice(2, -1))?.code ?? -1;
    log.push(code);
    const reply = replies[code];
    return reply === undefined ? [0x06] : [0x06, ...encodeFrame(parseHex(reply))];
  };
}

async function probe(connect: () => MockTransport | TransportError, memory = shtrihDriver.createMemory(), signal = new AbortController().signal) {
  const mock = createMockOpenTransport(connect);
  const ctx = { ...probeContextFor(shtrihDriver, device, { openTransport: mock.open, now: () => NOW, signal }), memory };
  const report = await probeShtrih(ctx);
  expect(DeviceReport.safeParse(report).success).toBe(true);
  for (const opened of mock.opened) expect(opened.isOpen).toBe(false);
  return report;
}
const codes = (report: DeviceReport) => report.findings.map((f) => f.code);

describe('Shtrih-M probe against MockTransport', () => {
  it('0x10 first, then the rest in order, one exchange at a time; 0xFC only on the first probe', async () => {
    const log: number[] = [];
    const memory = shtrihDriver.createMemory();
    const first = await probe(() => new MockTransport({ responder: register(HEALTHY, log) }), memory);
    expect(log).toEqual([0x10, 0x11, 0xfc, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40]);
    expect(first).toMatchObject({ deviceId: 'kkt-1', kind: 'fiscal', driver: 'shtrih-m', health: 'ok', findings: [], evidence: { transport: 'tcp', target: '10.0.0.9:7778' } });
    expect(first.identity).toMatchObject({ model: 'SHTRIH', serial: '12345678', fnSerial: '9999078900012345' });
    expect(first.evidence.exchanges[0]).toMatchObject({ label: '0x10 short status', request: '05 02 05 10 1e 00 00 00 0b 06', valid: true, discarded: '15 06' });

    log.length = 0;
    const second = await probe(() => new MockTransport({ responder: register(HEALTHY, log) }), memory);
    expect(log).toEqual([0x10, 0x11, 0xff01, 0xff03, 0xff39, 0xff3f, 0xff40]);
    expect(second.identity?.model).toBe('SHTRIH'); // from memory
  });

  it('mode 8: one status read, then the port is closed', async () => {
    const log: number[] = [];
    const port = new MockTransport({ responder: register({ ...HEALTHY, 0x10: '10 00 1e 92 02 08 00 00 9a b4 00 00 00 00 00 00' }, log) });
    const report = await probe(() => port);
    expect(log).toEqual([0x10]);
    expect(report).toMatchObject({ health: 'unknown', findings: [], fiscal: { documentOpen: true } });
    expect(port.writes.map((w) => toHex(w))).toEqual(['05', '02 05 10 1e 00 00 00 0b', '06']);
  });

  it('every frame the probe writes is on the allow-list, with the configured password', async () => {
    const port = new MockTransport({ responder: register(HEALTHY) });
    const mock = createMockOpenTransport(() => port);
    const ctx = probeContextFor(shtrihDriver, { ...device, options: { password: 0x01020304 } }, { openTransport: mock.open, now: () => NOW, signal: new AbortController().signal });
    await probeShtrih(ctx);
    const frames = port.writes.filter((w) => w[0] === 0x02);
    expect(frames).toHaveLength(8);
    for (const frame of frames) {
      const code = frameCommand(frame.slice(2, -1))!.code;
      expect(isAllowedCommand(code)).toBe(true);
      if (code !== 0xfc) expect(toHex(frame.slice(2 + (code > 0xff ? 2 : 1), -1))).toBe('04 03 02 01');
    }
  });

  it('port busy: fiscal.port_busy, nothing written', async () => {
    const report = await probe(() => new TransportError('busy', '/dev/ttyACM0 is held by another program'));
    expect(codes(report)).toEqual(['fiscal.port_busy']);
    expect(report.evidence).toMatchObject({ exchanges: [], transportError: '/dev/ttyACM0 is held by another program' });
  });

  it('a silent register: one status read (ENQ × 3), no_reply, nothing more sent', async () => {
    const port = new MockTransport({ responder: () => null });
    const report = await probe(() => port);
    expect(codes(report)).toEqual(['fiscal.no_reply']);
    expect(port.writes.map((w) => toHex(w))).toEqual(['05', '05', '05']);
  });

  it('a register that stops answering mid-probe: its findings so far, health unknown', async () => {
    const replies: Record<number, string> = { 0x10: '10 00 1e 10 02 02 02 00 9a b4 00 00 00 00 00 00', 0x11: HEALTHY[0x11]! };
    const report = await probe(() => new MockTransport({ responder: register(replies) }));
    expect(codes(report)).toEqual(['fiscal.paper_end']);
    expect(report.health).toBe('unknown');
    expect(report.evidence.exchanges.map((e) => e.valid)).toEqual([true, true, false, false, false, false, false, false]);
  });

  it('the port closing under the probe ends it with the transport error; what was read stays', async () => {
    const answer = register(HEALTHY);
    const port = new MockTransport({
      responder: (written) => {
        if (written[0] === 0x02 && written[2] === 0x11) {
          port.emitClose(new Error('ECONNRESET'));
          return null;
        }
        return answer(written);
      },
    });
    const report = await probe(() => port);
    expect(report).toMatchObject({ health: 'unknown', findings: [], evidence: { transportError: 'mock closed: ECONNRESET' } });
    expect(report.evidence.exchanges.map((e) => e.label)).toEqual(['0x10 short status', '0x11 full status: mock closed: ECONNRESET']);
  });

  it('aborted before the first answer: unknown, no finding', async () => {
    const controller = new AbortController();
    const port = new MockTransport({
      responder: () => {
        controller.abort();
        return null;
      },
    });
    const report = await probe(() => port, undefined, controller.signal);
    expect(report).toMatchObject({ health: 'unknown', findings: [] });
  });

  it('a shift seen closed, then open under a new number: opened-at observed', async () => {
    const memory = shtrihDriver.createMemory();
    await probe(() => new MockTransport({ responder: register({ ...HEALTHY, 0x10: HEALTHY[0x10]!.replace('92 02 02', '92 02 04'), 0xff40: 'ff 40 00 00 29 00 00 00' }) }), memory);
    expect(memory.shift).toEqual({ open: false, number: 41 });
    const report = await probe(() => new MockTransport({ responder: register(HEALTHY) }), memory);
    expect(report.fiscal?.shift).toMatchObject({ state: 'open', number: 42, openedAtSource: 'observed' });
    expect(report.fiscal?.shift?.openedAt).toBe(memory.shift?.openedAt);
  });
});

describe('Shtrih-M probe: a TCP register that closes the connection at once', () => {
  it('is port busy, not no reply', async () => {
    const port = new MockTransport({
      responder: () => {
        port.emitClose();
        return null;
      },
    });
    const report = await probe(() => port);
    expect(codes(report)).toEqual(['fiscal.port_busy']);
    expect(report.evidence.transportError).toBe('mock closed by the device: the register closed the connection before answering ENQ');
  });
});

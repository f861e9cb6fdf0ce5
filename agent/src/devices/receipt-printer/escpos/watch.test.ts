import { DeviceReport } from '@tillscope/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../config';
import { waitFor } from '../../../test-support/wait-for';
import { recordingLogger, type Logger } from '../../../logger';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { probeContextFor } from '../../bind-device';
import { endpointOf } from '../../common/report';
import type { DeviceConfig, DeviceWatch } from '../../driver';
import { escposDriver } from './index';
import type { EscPosOptions } from './options';
import { createEscPosMemory } from './memory';
import { watchEscPos, type AsbWatchOptions } from './watch';

const device: DeviceConfig = {
  id: 'printer-1',
  driver: 'escpos',
  options: { status: 'asb' },
  transport: { kind: 'tcp', host: '10.0.0.5', port: 9100, connectTimeoutMs: 1500 },
};
const asb: EscPosOptions = { status: 'asb' };

/** A simulated printer behind MockTransport: GS a n → its frame, DLE EOT n → its status byte. */
interface Printer {
  frame: number[];
  dle: Record<1 | 2 | 3 | 4, number>;
  ignoresGsA: boolean;
  silent: boolean;
}

const HEALTHY = { frame: [0x10, 0x00, 0x00, 0x00], dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 } } as const;
const COVER_OPEN = { frame: [0x38, 0x00, 0x00, 0x00], dle: { 1: 0x1a, 2: 0x16, 3: 0x12, 4: 0x12 } } as const;

function printer(initial: Partial<Printer> = {}) {
  const state: Printer = { frame: [...HEALTHY.frame], dle: { ...HEALTHY.dle }, ignoresGsA: false, silent: false, ...initial };
  const responder: MockResponder = (written) => {
    if (state.silent) return null;
    if (written.length === 3 && written[0] === 0x1d && written[1] === 0x61) return state.ignoresGsA || written[2] === 0 ? null : state.frame;
    if (written.length === 3 && written[0] === 0x10 && written[1] === 0x04) return [state.dle[written[2] as 1 | 2 | 3 | 4]];
    // GS I: model ID 0x20, blocks "_TM\0" (answered, so no probe waits for a silent GS I)
    if (written.length === 3 && written[0] === 0x1d && written[1] === 0x49) return written[2]! < 65 ? [0x20] : [0x5f, 0x54, 0x4d, 0x00];
    if (written[0] === 0x1d && written[1] === 0x67) return [0x5f, 0x31, 0x00]; // GS g 2: counter value 1
    return null;
  };
  return { state, responder };
}

interface Harness {
  watch: DeviceWatch;
  reports: DeviceReport[];
  ports: MockTransport[];
  logger: ReturnType<typeof recordingLogger>;
  probe: () => Promise<DeviceReport>;
  /** `fail`: the printer cannot be reached; `calls`: every openTransport call, failed or not */
  connect: { fail: boolean; calls: number };
}

/**
 * With fake timers, waits for `check` by letting I/O callbacks (process.nextTick, setImmediate:
 * not faked) run, without moving the fake clock as vi.waitFor would.
 */
async function settled(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

const running: DeviceWatch[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

function start(p: ReturnType<typeof printer>, options: AsbWatchOptions = {}, logger: Logger & { lines: string[] } = recordingLogger()): Harness {
  const connect = { fail: false, calls: 0 };
  const mock = createMockOpenTransport(() => {
    connect.calls += 1;
    return connect.fail ? new TransportError('cannot_connect', 'cannot connect to 10.0.0.5:9100: connection refused') : new MockTransport({ responder: p.responder });
  });
  const reports: DeviceReport[] = [];
  const watch = watchEscPos(
    {
      device,
      options: asb,
      memory: createEscPosMemory(),
      endpoint: endpointOf(device),
      openTransport: mock.open,
      now: () => new Date(),
      logger,
      onReport: (report) => {
        // every pushed report must pass the wire schema the console parses it with
        expect(DeviceReport.safeParse(report).success).toBe(true);
        reports.push(report);
      },
    },
    { enableTimeoutMs: 50, replyTimeoutMs: 50, backoff: { initialMs: 20, maxMs: 200 }, retryIgnoredAfterMs: 60_000, ...options },
  );
  if (!watch) throw new Error('no watch for an asb device');
  running.push(watch);
  const probe = () => {
    return watch.probe(probeContextFor(escposDriver, device, { openTransport: mock.open, now: () => new Date(), signal: new AbortController().signal }));
  };
  return { watch, reports, ports: mock.opened, logger, probe, connect };
}

const codes = (report: DeviceReport | undefined) => report?.findings.map((f) => f.code);
const written = (port: MockTransport | undefined) => port?.writes.map((w) => Array.from(w)) ?? [];

describe('config: options.status', () => {
  const config = (device: Record<string, unknown>) =>
    JSON.stringify({
      server: 'http://console:8080',
      storeId: 's1',
      registerId: 'r1',
      dataDir: './data',
      devices: [{ id: 'printer', driver: 'escpos', transport: { kind: 'tcp', host: '10.0.0.5' }, ...device }],
    });
  const statusOf = (device: Record<string, unknown>) => {
    const parsed = parseConfig(config(device), '/etc/agent.json').devices[0]!;
    return probeContextFor(escposDriver, parsed, { openTransport: createMockOpenTransport(() => new MockTransport()).open, now: () => new Date(), signal: new AbortController().signal }).options.status;
  };
  it('accepts "asb" and "poll" in options, and defaults to "poll"', () => {
    expect(statusOf({ options: { status: 'asb' } })).toBe('asb');
    expect(statusOf({ options: { status: 'poll' } })).toBe('poll');
    expect(statusOf({})).toBe('poll');
  });
  it('still accepts a top-level "status" (config files from before per-driver options) and moves it into options', () => {
    expect(parseConfig(config({ status: 'asb' }), '/etc/agent.json').devices[0]).toMatchObject({ options: { status: 'asb' } });
    expect(statusOf({ status: 'asb' })).toBe('asb');
    expect(statusOf({ status: 'poll', options: {} })).toBe('poll');
  });
  it('rejects anything else with a message naming the field and the choices', () => {
    expect(() => parseConfig(config({ options: { status: 'push' } }), '/etc/agent.json')).toThrow(
      /^config error: devices\.0\.options\.status: must be "poll" \(the default\) or "asb"/,
    );
    expect(() => parseConfig(config({ status: 'push' }), '/etc/agent.json')).toThrow(/^config error: devices\.0\.options\.status: must be "poll"/);
    expect(() => parseConfig(config({ options: { stauts: 'asb' } }), '/etc/agent.json')).toThrow(/^config error: devices\.0\.options: Unrecognized key: "stauts"/);
    expect(() => parseConfig(config({ status: 'asb', options: { status: 'poll' } }), '/etc/agent.json')).toThrow(
      /^config error: devices\.0\.status: set both here and in options\.status/,
    );
  });
  it('a poll device gets no watch', () => {
    const mock = createMockOpenTransport(() => new MockTransport());
    const poll = { ...device, options: {} };
    const ctx = { device: poll, options: { status: 'poll' as const }, memory: createEscPosMemory(), endpoint: endpointOf(poll) };
    expect(watchEscPos({ ...ctx, openTransport: mock.open, now: () => new Date(), logger: recordingLogger(), onReport: () => {} })).toBeUndefined();
    expect(mock.opened).toEqual([]);
  });
});

describe('ASB watch against MockTransport', () => {
  it('enables ASB with GS a 0x0f and reports the frame it answers with at once', async () => {
    const p = printer({ frame: [...COVER_OPEN.frame], dle: { ...COVER_OPEN.dle } });
    const h = start(p);
    await waitFor('the enabling frame', () => h.reports.length === 1);
    expect(written(h.ports[0])).toEqual([[0x1d, 0x61, 0x0f]]);
    expect(h.ports[0]?.discardCount).toBe(1);
    const [report] = h.reports;
    expect(codes(report)).toEqual(['printer.cover_open']);
    expect(report?.health).toBe('fault');
    expect(report?.evidence.exchanges).toHaveLength(1);
    expect(report?.evidence.exchanges[0]).toMatchObject({ request: '1d 61 0f', reply: '38 00 00 00', valid: true });
    expect(report?.evidence.exchanges[0]?.decoded.find((f) => f.field === 'byte 1 bit 5')).toMatchObject({ set: true, alarm: true });
  });

  it('reports every changed frame, split across reads or with XOFF and garbage around it, and not a repeated one', async () => {
    const h = start(printer());
    await waitFor('the enabling frame', () => h.reports.length === 1);
    const port = h.ports[0]!;
    port.emitData([0xff, 0x13, 0x18]);
    port.emitData([0x00]);
    port.emitData([0x13, 0x0c, 0x00, 0x11]);
    await waitFor('the paper-end frame', () => h.reports.length === 2);
    expect(codes(h.reports[1])).toEqual(['printer.paper_end']);
    expect(h.reports[1]?.evidence.exchanges[0]).toMatchObject({ request: '', reply: '18 00 0c 00' });
    port.emitData([0x18, 0x00, 0x0c, 0x00]); // the same status again: nothing new
    port.emitData([0x10, 0x00, 0x00, 0x00]);
    await waitFor('the recovery frame', () => h.reports.length === 3);
    expect(h.reports[2]?.health).toBe('ok');
    expect(h.ports).toHaveLength(1);
  });

  it('garbage alone never becomes a report and never stops the watch', async () => {
    const h = start(printer());
    await waitFor('the enabling frame', () => h.reports.length === 1);
    h.ports[0]!.emitData([0xff, 0xfe, 0x80, 0x00, 0x12, 0x13, 0x11, 0x7f, 0x10, 0x80]);
    const report = await h.probe(); // a round trip through the same port: the garbage was read by then
    expect(report.health).toBe('ok');
    expect(h.reports).toHaveLength(1);
    expect(h.ports[0]!.isOpen).toBe(true);
  });

  it('probes over the held connection (the safety net), with frames interleaved', async () => {
    const p = printer();
    const h = start(p);
    await waitFor('the enabling frame', () => h.reports.length === 1);
    p.state.dle = { ...COVER_OPEN.dle };
    const port = h.ports[0]!;
    port.emitData(COVER_OPEN.frame); // the printer's own report, arriving as the poll starts
    const report = await h.probe();
    expect(h.ports).toHaveLength(1);
    expect(written(port).slice(1)).toEqual([
      [0x10, 0x04, 1],
      [0x10, 0x04, 2],
      [0x10, 0x04, 3],
      [0x10, 0x04, 4],
    ]);
    expect(codes(report)).toEqual(['printer.cover_open']);
    expect(port.isOpen).toBe(true);
    await waitFor('the pushed frame too', () => h.reports.length === 2);
  });

  it('a printer that ignores GS a: logged once, its port closed, then polled on connections of their own', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = start(printer({ ignoresGsA: true }), { retryIgnoredAfterMs: 60_000 });
    await settled('the attempt', () => h.ports.length === 1 && h.ports[0]!.writes.length === 1);
    await vi.advanceTimersByTimeAsync(50); // the enable timeout
    await settled('the DLE EOT check', () => h.ports[0]?.isOpen === false);
    expect(written(h.ports[0])).toEqual([
      [0x1d, 0x61, 0x0f],
      [0x10, 0x04, 1],
    ]);
    const warnings = () => h.logger.lines.filter((l) => l.startsWith('warn asb:'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/answers DLE EOT but sent no Automatic Status Back frame/);
    expect(h.reports).toEqual([]);

    const report = await h.probe();
    expect(report.health).toBe('ok');
    expect(h.ports).toHaveLength(2);
    expect(h.ports[1]?.isOpen).toBe(false);

    // Much later it tries again, quietly.
    await vi.advanceTimersByTimeAsync(60_000);
    await settled('the second attempt', () => h.ports.length === 3 && h.ports[2]!.writes.length === 1);
    await vi.advanceTimersByTimeAsync(50);
    await settled('the second DLE EOT check', () => h.ports[2]?.isOpen === false);
    expect(warnings()).toHaveLength(1);
  });

  it('a dropped connection: one fallback probe reported at once, then reconnection and ASB again', async () => {
    const p = printer();
    const h = start(p);
    await waitFor('the enabling frame', () => h.reports.length === 1);
    p.state.frame = [...COVER_OPEN.frame];
    p.state.dle = { ...COVER_OPEN.dle };
    h.ports[0]!.emitClose(new Error('ECONNRESET'));
    await waitFor('the fallback probe report', () => h.reports.length === 2);
    expect(h.reports[1]?.evidence.exchanges.map((e) => e.request)).toEqual(['10 04 01', '10 04 02', '10 04 03', '10 04 04']);
    expect(codes(h.reports[1])).toEqual(['printer.cover_open']);
    expect(h.ports[1]?.isOpen).toBe(false);
    await waitFor('ASB again on a new connection', () => h.reports.length === 3);
    expect(written(h.ports[2])).toEqual([[0x1d, 0x61, 0x0f]]);
    expect(h.reports[2]?.evidence.exchanges[0]?.reply).toBe('38 00 00 00');
    expect(h.logger.lines.filter((l) => l.startsWith('warn asb:'))).toEqual([expect.stringMatching(/the connection dropped; polling until Automatic Status Back is back/)]);
    expect(h.logger.lines.at(-1)).toMatch(/active again/);
  });

  it('a vanished printer: backoff doubles between attempts up to its cap, polls meanwhile report no_reply, and it comes back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = start(printer(), { backoff: { initialMs: 1_000, maxMs: 4_000 } });
    await settled('the enabling frame', () => h.reports.length === 1);
    h.connect.fail = true;
    h.ports[0]!.emitClose(new Error('EHOSTUNREACH'));
    await settled('the fallback report', () => h.reports.length === 2);
    expect(codes(h.reports[1])).toEqual(['printer.no_reply']);
    expect(h.reports[1]?.evidence.transportError).toMatch(/cannot connect/);

    // Attempts 1 s, 2 s, 4 s and 4 s (the cap) apart, counted by fake time, not measured.
    const base = h.connect.calls;
    const logLines = h.logger.lines.length;
    for (const [n, gap] of [1_000, 2_000, 4_000, 4_000].entries()) {
      await vi.advanceTimersByTimeAsync(gap - 1);
      expect(h.connect.calls, `attempt ${n + 1} not before its backoff`).toBe(base + n);
      await vi.advanceTimersByTimeAsync(1);
      await settled(`attempt ${n + 1}`, () => h.connect.calls === base + n + 1);
    }
    expect(h.logger.lines).toHaveLength(logLines); // one warning for the trouble, not one per attempt

    const report = await h.probe();
    expect(codes(report)).toEqual(['printer.no_reply']);

    h.connect.fail = false;
    await vi.advanceTimersByTimeAsync(4_000);
    await settled('ASB again', () => h.reports.length === 3);
    expect(h.reports[2]?.health).toBe('ok');
  });

  it('silence on the held connection closes it: the poll reports no_reply and the watch reconnects', async () => {
    const p = printer();
    const h = start(p);
    await waitFor('the enabling frame', () => h.reports.length === 1);
    p.state.silent = true;
    const report = await h.probe();
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(h.ports[0]?.isOpen).toBe(false);
    await waitFor('the fallback probe', () => h.reports.length === 2);
    expect(codes(h.reports[1])).toEqual(['printer.no_reply']);
    p.state.silent = false;
    await waitFor('ASB again', () => h.reports.some((r, i) => i >= 2 && r.health === 'ok'));
  });

  it('stop() closes the held connection and never sends GS a 0', async () => {
    const h = start(printer());
    await waitFor('the enabling frame', () => h.reports.length === 1);
    await h.watch.stop();
    expect(h.ports[0]?.isOpen).toBe(false);
    for (const port of h.ports) expect(written(port)).not.toContainEqual([0x1d, 0x61, 0x00]);
    h.ports[0]!.emitData(COVER_OPEN.frame);
    expect(h.reports).toHaveLength(1);
  });

  it('stop() while connecting to a printer that never answers settles, and leaves nothing open', async () => {
    const h = start(printer({ silent: true }), { enableTimeoutMs: 60_000 });
    await waitFor('the attempt', () => h.ports.length === 1);
    await h.watch.stop();
    expect(h.ports.every((port) => !port.isOpen)).toBe(true);
  });
});

describe('ASB watch on a serial port that is a fiscal register’s', () => {
  it('ENQ answered NAK before GS a: no GS a is sent, the port is not opened again, probes report printer.wrong_device', async () => {
    const serialDevice: DeviceConfig = { id: 'printer', driver: 'escpos', transport: { kind: 'serial', path: '/dev/ttyS0', baudRate: 9600 }, options: { status: 'asb' } };
    const ports: MockTransport[] = [];
    const mock = createMockOpenTransport(() => {
      const port = new MockTransport({ responder: (w) => (w.length === 1 && w[0] === 0x05 ? [0x15] : null) });
      ports.push(port);
      return port;
    });
    const memory = createEscPosMemory();
    const base = { device: serialDevice, options: asb, memory, endpoint: endpointOf(serialDevice), openTransport: mock.open, now: () => new Date() };
    const watch = watchEscPos({ ...base, logger: recordingLogger(), onReport: () => {} }, { enableTimeoutMs: 50, replyTimeoutMs: 50, backoff: { initialMs: 20, maxMs: 200 } });
    if (!watch) throw new Error('no watch');
    running.push(watch);
    await waitFor('the ENQ check', () => memory.fiscalPort !== undefined);
    const report = await watch.probe({ ...base, signal: new AbortController().signal });
    expect(report.findings.map((f) => f.code)).toEqual(['printer.wrong_device']);
    expect(ports).toHaveLength(1);
    expect(ports[0]!.writes.map((w) => Array.from(w))).toEqual([[0x05]]);
  });
});

// Probes across an agent run (one device memory): partial answerers, late replies, GS I identity,
// the fiscal-port check on serial, and what the port's failures become.
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '@tillscope/shared';
import { createMockOpenTransport, MockTransport, type MockResponder } from '../../../transports/mock/mock-transport';
import { TransportError } from '../../../transports/transport';
import { probeContextFor } from '../../bind-device';
import type { DeviceConfig } from '../../driver';
import { escposDriver } from './index';
import { REASK_EVERY_PROBES } from './memory';
import { probeEscPos, type EscPosProbeContext } from './probe';

const tcp: DeviceConfig = { id: 'printer-1', driver: 'escpos', transport: { kind: 'tcp', host: '10.0.0.5', port: 9100, connectTimeoutMs: 1500 }, options: {} };
const serial: DeviceConfig = { id: 'printer-2', driver: 'escpos', transport: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }, options: {} };
const TIMING = { replyTimeoutMs: 30, lateReplyWindowMs: 30, enqTimeoutMs: 30, idTimeoutMs: 30 };
/** When a `late` reply arrives after its request. */
const LATE_REPLY_AT_MS = 300;

interface FakePrinter {
  /** DLE EOT n → byte, or null (silent) */
  dle: Partial<Record<number, number | null>>;
  /** GS I n → reply bytes */
  gsI?: Partial<Record<number, number[]>>;
  /** GS g 2 counter number → reply bytes */
  counters?: Partial<Record<number, number[]>>;
  /** the reply to ENQ (a fiscal register's NAK) */
  enq?: number[];
  /** replies to these queries come late, after the reply timeout */
  late?: number[];
}

function fake(p: FakePrinter): { responder: MockResponder; lateSend: (port: MockTransport) => void } {
  let port: MockTransport | undefined;
  const responder: MockResponder = (w) => {
    if (w.length === 1 && w[0] === 0x05) return p.enq ?? null;
    if (w[0] === 0x10 && w[1] === 0x04) {
      const byte = p.dle[w[2]!];
      if (byte === undefined || byte === null) return null;
      if (p.late?.includes(w[2]!)) {
        const target = port;
        // 100 ms after the late-reply test's 200 ms reply timeout, deep inside its 800 ms late-reply
        // window; without that window it would land 100 ms into the next query's 200 ms wait and be
        // taken for its answer. Margins of 100 ms: a loaded machine's timer jitter cannot reorder them.
        setTimeout(() => target?.isOpen && target.emitData([byte]), LATE_REPLY_AT_MS);
        return null;
      }
      return [byte];
    }
    if (w[0] === 0x1d && w[1] === 0x49) return p.gsI?.[w[2]!] ?? null;
    if (w[0] === 0x1d && w[1] === 0x67 && w[2] === 0x32) return p.counters?.[w[4]! + w[5]! * 256] ?? null;
    return null;
  };
  return { responder, lateSend: (p2) => (port = p2) };
}

/** One device across probes: the same memory, a new MockTransport per probe. */
function device(p: FakePrinter, config: DeviceConfig = tcp, timing: Partial<typeof TIMING> = {}) {
  const ports: MockTransport[] = [];
  const { responder, lateSend } = fake(p);
  const mock = createMockOpenTransport(() => {
    const port = new MockTransport({ responder });
    lateSend(port);
    ports.push(port);
    return port;
  });
  const ctx: EscPosProbeContext = probeContextFor(escposDriver, config, { openTransport: mock.open, now: () => new Date(), signal: new AbortController().signal });
  const probe = async () => {
    const report = await probeEscPos(ctx, { ...TIMING, ...timing });
    expect(DeviceReport.safeParse(report).success).toBe(true);
    for (const port of ports) expect(port.isOpen).toBe(false);
    return report;
  };
  return { probe, ports, ctx, opened: () => mock.opened.length };
}

const codes = (r: DeviceReport) => r.findings.map((f) => f.code);
const step = (r: DeviceReport, name: string) => r.checklist.find((a) => a.step === name);
const dleAsked = (port: MockTransport | undefined) => (port?.writes ?? []).filter((w) => w[0] === 0x10).map((w) => w[2]);

describe('a clone that answers DLE EOT 1 and 4 only', () => {
  const clone = (paperEnd: boolean): FakePrinter => ({ dle: { 1: paperEnd ? 0x1a : 0x12, 2: null, 3: null, 4: paperEnd ? 0x72 : 0x12 } });

  it('paper end: diagnosed from DLE EOT 4 though 2 and 3 are silent; checked vouches for paper', async () => {
    const d = device(clone(true));
    const report = await d.probe();
    expect(dleAsked(d.ports[0])).toEqual([1, 2, 3, 4]);
    expect(codes(report)).toEqual(['printer.paper_end']);
    expect(step(report, 'printer.paper')?.result).toBe('failed');
    expect(step(report, 'printer.cover')).toMatchObject({ result: 'unknown', observed: 'DLE EOT 2 (offline cause) got no valid reply' });
    expect(report.checked).toEqual(expect.arrayContaining(['printer.paper_end', 'printer.paper_near_end', 'printer.no_reply', 'printer.offline']));
    expect(report.checked).not.toContain('printer.cover_open');
  });

  it('paper back: no finding, health unknown, but checked includes printer.paper_end (the ticket can resolve)', async () => {
    const p = clone(true);
    const d = device(p);
    await d.probe();
    Object.assign(p, clone(false));
    const report = await d.probe();
    expect(report.findings).toEqual([]);
    expect(report.health).toBe('unknown');
    expect(report.checked).toContain('printer.paper_end');
  });

  it('after two silences DLE EOT 2 and 3 are skipped, named as unanswerable, and asked again every Nth probe', async () => {
    const d = device(clone(false));
    await d.probe();
    await d.probe();
    const third = await d.probe();
    expect(dleAsked(d.ports[2])).toEqual([1, 4]);
    expect(step(third, 'printer.cover')?.observed).toBe('this printer does not answer DLE EOT 2 (offline cause)');
    expect(step(third, 'printer.error')?.observed).toBe('this printer does not answer DLE EOT 3 (error cause)');
    expect(third.printer?.statusSupport).toEqual(
      expect.arrayContaining([
        { request: 'DLE EOT 1', answers: true },
        { request: 'DLE EOT 2', answers: false },
        { request: 'DLE EOT 3', answers: false },
        { request: 'DLE EOT 4', answers: true },
      ]),
    );
    for (let i = 3; i < 2 + REASK_EVERY_PROBES; i += 1) await d.probe();
    expect(dleAsked(d.ports.at(-1))).toEqual([1, 2, 3, 4]);
  });

  it('a late reply to a silent query is discarded, never taken for the next query’s answer', async () => {
    // DLE EOT 2 answers 0x36 (cover open) 300 ms late, after its 200 ms timeout; DLE EOT 3 is silent.
    const d = device({ dle: { 1: 0x12, 2: 0x36, 3: null, 4: 0x12 }, late: [2] }, tcp, { replyTimeoutMs: 200, lateReplyWindowMs: 800 });
    const report = await d.probe();
    expect(dleAsked(d.ports[0])).toEqual([1, 2, 3, 4]);
    const [, second, third, fourth] = report.evidence.exchanges;
    expect(second).toMatchObject({ request: '10 04 02', reply: null, discarded: '36' });
    expect(third).toMatchObject({ request: '10 04 03', reply: null });
    expect(fourth).toMatchObject({ request: '10 04 04', reply: '12' });
    expect(codes(report)).toEqual([]);
  });
});

describe('GS I identity', () => {
  const block = (text: string) => [0x5f, ...Array.from(text, (c) => c.charCodeAt(0)), 0x00];
  const epson: FakePrinter = {
    dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 },
    gsI: { 1: [0x20], 2: [0x02], 3: [0x01], 65: block('1.28'), 66: block('EPSON'), 67: block('TM-T88V'), 68: block('X5ZE012345') },
  };

  it('read once per run when online: model, firmware, serial; never ESC @ or GS a', async () => {
    const d = device(epson);
    const first = await d.probe();
    expect(first.identity).toEqual({ model: 'EPSON TM-T88V', firmware: '1.28', serial: 'X5ZE012345' });
    expect(first.evidence.exchanges.map((e) => e.label)).toContain('GS I 67: model name');
    const second = await d.probe();
    expect(second.identity).toEqual(first.identity);
    expect(d.ports[1]!.writes.some((w) => w[0] === 0x1d)).toBe(false);
    const kinds = d.ports.flatMap((port) => port.writes.map((w) => Array.from(w.slice(0, 2)).join(' ')));
    expect(new Set(kinds)).toEqual(new Set(['16 4', '29 73', '29 103'])); // DLE EOT, GS I and GS g only (never ESC @, GS a)
    expect(d.ports.flatMap((port) => port.writes).filter((w) => w[1] === 0x67).every((w) => w[2] === 0x32)).toBe(true); // GS g 2, never GS g 0
  });

  it('not asked while offline', async () => {
    const d = device({ ...epson, dle: { 1: 0x1a, 2: 0x36, 3: 0x12, 4: 0x12 } });
    const report = await d.probe();
    expect(report.identity).toBeUndefined();
    expect(d.ports[0]!.writes.some((w) => w[0] === 0x1d)).toBe(false);
  });

  it('1-byte IDs only (no printer information B): model ID and ROM ID', async () => {
    const d = device({ ...epson, gsI: { 1: [0x20], 2: [0x02], 3: [0x01] } });
    expect((await d.probe()).identity).toEqual({ model: 'model ID 0x20', firmware: 'ROM ID 0x01' });
  });
});

describe('wear counters (GS g 2, cumulative)', () => {
  const block = (text: string) => [0x5f, ...Array.from(text, (c) => c.charCodeAt(0)), 0x00];
  it('read when online, about once an hour, into report.printer.counters with their source', async () => {
    const d = device({ dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }, counters: { 178: block('4321'), 149: block('98765432'), 148: block('1234567'), 198: block('1500') } });
    const first = await d.probe();
    expect(first.printer?.counters).toEqual([
      { name: 'cuts', value: 4321, unit: 'count', source: 'GS g 2 n=178' },
      { name: 'head_energized', value: 98765432, unit: 'count', source: 'GS g 2 n=149' },
      { name: 'head_lines', value: 1234567, unit: 'lines', source: 'GS g 2 n=148' },
      { name: 'operating_hours', value: 1500, unit: 'hours', source: 'GS g 2 n=198' },
    ]);
    const second = await d.probe();
    expect(second.printer?.counters).toEqual(first.printer?.counters);
    expect(d.ports[1]!.writes.some((w) => w[1] === 0x67)).toBe(false);
  });

  it('a printer without GS g 2: the cut counter unanswered, the others not asked; a non-digit block is no value', async () => {
    const d = device({ dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }, counters: { 178: block('12a') } });
    const report = await d.probe();
    expect(report.printer?.counters).toBeUndefined();
    expect(d.ports[0]!.writes.filter((w) => w[1] === 0x67)).toHaveLength(1);
  });
});

describe('what the port’s failures become', () => {
  it.each<[string, TransportError, string, string]>([
    ['busy', new TransportError('busy', '/dev/ttyUSB0 is busy (held by another program)'), 'printer.port_busy', 'unknown'],
    ['absent', new TransportError('absent', '/dev/ttyUSB0 does not exist'), 'printer.disconnected', 'failed'],
    ['timeout', new TransportError('timeout', 'no connection to 10.0.0.5:9100 within 1500 ms'), 'printer.no_reply', 'failed'],
  ])('%s', async (_name, error, code, connection) => {
    const mock = createMockOpenTransport(() => error);
    const ctx = probeContextFor(escposDriver, serial, { openTransport: mock.open, now: () => new Date(), signal: new AbortController().signal });
    const report = await probeEscPos(ctx, TIMING);
    expect(codes(report)).toEqual([code]);
    expect(step(report, 'printer.connection')?.result).toBe(connection);
    expect(step(report, 'printer.queue')).toMatchObject({ result: 'unknown', observed: 'no OS print queue configured' });
    expect(report.checked).toContain(code);
  });
});

describe('a fiscal register on the port (serial)', () => {
  it('ENQ answered NAK: printer.wrong_device, no DLE EOT, and the port is not opened again this run', async () => {
    const d = device({ dle: { 1: 0x12 }, enq: [0x15] }, serial);
    const first = await d.probe();
    expect(codes(first)).toEqual(['printer.wrong_device']);
    expect(first.findings[0]?.detail).toMatch(/ENQ \(05\) answered NAK \(15\)/);
    expect(d.ports[0]!.writes.map((w) => Array.from(w))).toEqual([[0x05]]);
    const second = await d.probe();
    expect(codes(second)).toEqual(['printer.wrong_device']);
    expect(d.opened()).toBe(1);
  });

  it('ACK then a frame (a register holding an unread answer) is a register; a lone ACK (a Star status byte) is not', async () => {
    const register = device({ dle: { 1: 0x12 }, enq: [0x06, 0x02, 0x03, 0x10, 0x00] }, serial);
    expect(codes(await register.probe())).toEqual(['printer.wrong_device']);
    const star = device({ dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 }, enq: [0x06] }, serial);
    expect(codes(await star.probe())).toEqual([]);
  });

  it('a printer ignores ENQ: checked once per run, then DLE EOT as usual', async () => {
    const d = device({ dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 } }, serial);
    const first = await d.probe();
    expect(d.ports[0]!.writes[0]).toEqual(Uint8Array.of(0x05));
    expect(first.checked).toContain('printer.wrong_device');
    await d.probe();
    expect(d.ports[1]!.writes.some((w) => w.length === 1 && w[0] === 0x05)).toBe(false);
  });

  it('over TCP no ENQ is sent', async () => {
    const d = device({ dle: { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 } });
    await d.probe();
    expect(d.ports[0]!.writes.some((w) => w.length === 1 && w[0] === 0x05)).toBe(false);
  });
});

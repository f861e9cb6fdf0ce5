// Real I/O: the star-line driver probes the Star simulator through the real TCP transport and,
// over a socat pseudo-terminal, through the real serial transport (serialport + bindings-cpp).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeviceReport, type DiagnosisCode, type TransportKind } from '@tillscope/shared';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { starLineDriver } from '../../agent/src/devices/receipt-printer/star-line';
import { createStarLineMemory, type StarLineMemory } from '../../agent/src/devices/receipt-printer/star-line/options';
import { probeStarLine } from '../../agent/src/devices/receipt-printer/star-line/probe';
import { classifyPort } from '../../agent/src/discovery/classify';
import { createDriverRegistry } from '../../agent/src/devices/registry';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import type { TransportTarget } from '../../agent/src/transports/transport';
import type { StarFaultsPatch } from '../../scripts/sim/star/printer-state';
import { ptyModeAvailable, startStarSimulator, type StarSimulator } from '../../scripts/sim/star/simulator';

const hasSocat = ptyModeAvailable();

async function probe(target: TransportTarget, memory: StarLineMemory = createStarLineMemory(), options: Record<string, unknown> = {}): Promise<DeviceReport> {
  const device: DeviceConfig = { id: 'till-3-printer', driver: 'star-line', transport: target, options: { listenMs: 30, ...options } };
  const base = probeContextFor(starLineDriver, device, { openTransport: createOpenTransport(), now: () => new Date(), signal: new AbortController().signal });
  const report = await probeStarLine({ ...base, memory }, { replyTimeoutMs: 300 });
  expect(DeviceReport.safeParse(report).success).toBe(true);
  return report;
}
const codes = (report: DeviceReport) => report.findings.map((f) => f.code);

const FAULTS: [string, StarFaultsPatch, DiagnosisCode[]][] = [
  ['paper end', { paperEnd: true }, ['printer.paper_end']],
  ['paper near end', { paperNearEnd: true }, ['printer.paper_near_end']],
  ['cover open', { coverOpen: true }, ['printer.cover_open']],
  ['cutter error', { cutterError: true }, ['printer.cutter_error']],
  ['mechanical error', { mechanicalError: true }, ['printer.recoverable_error']],
  ['unrecoverable error', { unrecoverableError: true }, ['printer.unrecoverable_error']],
  ['head overheat (offline too)', { headOverheat: true }, ['printer.auto_recoverable_error', 'printer.offline']],
  ['offline', { offline: true }, ['printer.offline']],
  ['no reply', { noReply: true }, ['printer.no_reply']],
  ['garbage', { garbage: true }, ['printer.no_reply']],
];

const transports: { kind: TransportKind; available: boolean }[] = [
  { kind: 'tcp', available: true },
  { kind: 'serial', available: hasSocat },
];

for (const { kind, available } of transports) {
  describe.runIf(available)(`star-line over real ${kind}`, () => {
    let sim: StarSimulator;
    let target: TransportTarget;
    beforeAll(async () => {
      sim = await startStarSimulator(kind === 'tcp' ? { tcp: { port: 0 } } : { pty: true });
      target = kind === 'tcp' ? { kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 } : { kind: 'serial', path: sim.ptyPath!, baudRate: 9600 };
    });
    afterAll(() => sim.close());
    beforeEach(() => void sim.resetFaults());

    it('a healthy printer: ok, one ESC ACK SOH, every code checked, nothing held', async () => {
      const report = await probe(target);
      expect(report.health).toBe('ok');
      expect(report.evidence.exchanges.map((e) => [e.request, e.reply])).toEqual([['1b 06 01', '23 04 00 00 00 00 00 00 00']]);
      expect([...(report.checked ?? [])].sort()).toEqual([...starLineDriver.codes].sort());
      expect(sim.stats()).toMatchObject({ dleEotIgnored: 0, openTcpConnections: 0 });
    });

    it.each(FAULTS)('%s: the code, and once cleared, checked with no finding', async (_name, faults, expected) => {
      sim.setFaults(faults);
      const faulty = await probe(target);
      expect(codes(faulty)).toEqual(expected);
      sim.resetFaults();
      const cleared = await probe(target);
      expect(cleared.findings).toEqual([]);
      expect(cleared.health).toBe('ok');
      for (const code of expected) expect(cleared.checked).toContain(code);
    });

    it('discovery classifies it as star-line (after ESC/POS, whose DLE EOT it never answers)', async () => {
      const candidate = { kind: 'byte' as const, transport: target.kind, label: 'star', target };
      const verdict = await classifyPort(candidate, { drivers: createDriverRegistry(), openTransport: createOpenTransport(), signal: new AbortController().signal });
      expect(verdict).toMatchObject({ kind: 'matched', driver: { id: 'star-line' } });
      expect(sim.stats().dleEotIgnored).toBeGreaterThan(0);
    });

    it('a slow reply within the timeout still counts', async () => {
      sim.setFaults({ slowReplyMs: 100, coverOpen: true });
      expect(codes(await probe(target))).toEqual(['printer.cover_open']);
    });

    it('automatic status: frames used, no request ever sent, cleared by the next frame', async () => {
      sim.setFaults({ automaticStatus: true, coverOpen: true });
      const memory = createStarLineMemory();
      const before = sim.stats().statusRequests;
      if (kind === 'serial') setTimeout(() => sim.setFaults({ coverOpen: true, paperEnd: true }), 10);
      const first = await probe(target, memory, { automaticWaitMs: 400 });
      expect(codes(first)).toContain('printer.cover_open');
      expect(memory.automaticSeen).toBe(true);
      // TCP: a new connection gets a frame at once; serial: the change itself sends one.
      const clear = () => sim.setFaults({ coverOpen: false, paperEnd: false });
      if (kind === 'tcp') clear();
      else setTimeout(clear, 50);
      const second = await probe(target, memory, { automaticWaitMs: 1000 });
      expect(second.findings).toEqual([]);
      expect(second.checked).toContain('printer.cover_open');
      expect(sim.stats().statusRequests - before).toBe(0);
      expect(sim.stats().requestsWhileAutomatic).toBe(0);
    });
  });
}

describe('star-line link failures over real transports', () => {
  it('a serial port that is not there: disconnected', async () => {
    const report = await probe({ kind: 'serial', path: '/dev/tillscope-no-such-star', baudRate: 9600 });
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(report.checklist[0]).toMatchObject({ step: 'printer.connection', result: 'failed' });
  });

  it('nothing listening on the TCP port: no reply, connection failed', async () => {
    const sim = await startStarSimulator({ tcp: { port: 0 } });
    const port = sim.tcpPort!;
    await sim.close();
    const report = await probe({ kind: 'tcp', host: '127.0.0.1', port, connectTimeoutMs: 500 });
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.checklist[0]).toMatchObject({ step: 'printer.connection', result: 'failed' });
  });
});

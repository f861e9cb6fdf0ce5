// Real I/O: the ESC/POS driver probes the printer simulator through the real TCP transport and,
// over a socat pseudo-terminal, through the real serial transport (serialport + bindings-cpp).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeviceReport, type TransportKind } from '@tillscope/shared';
import { probeEscPos } from '../../agent/src/devices/receipt-printer/escpos/probe';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { escposDriver } from '../../agent/src/devices/receipt-printer/escpos';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import type { TransportTarget } from '../../agent/src/transports/transport';
import type { PrinterFaultsPatch } from '../../scripts/sim/escpos/printer-state';
import { ptyModeAvailable, startEscPosSimulator, type EscPosSimulator } from '../../scripts/sim/escpos/simulator';

const hasSocat = ptyModeAvailable();

async function probe(target: TransportTarget, replyTimeoutMs?: number): Promise<DeviceReport> {
  const device: DeviceConfig = { id: 'till-1-printer', driver: 'escpos', transport: target, options: {} };
  const ctx = probeContextFor(escposDriver, device, { openTransport: createOpenTransport(), now: () => new Date(), signal: new AbortController().signal });
  const report = await probeEscPos(ctx, replyTimeoutMs === undefined ? {} : { replyTimeoutMs });
  expect(DeviceReport.safeParse(report).success).toBe(true);
  return report;
}

const codes = (report: DeviceReport) => report.findings.map((f) => f.code);
/** The DLE EOT exchanges (serial probes start with the ENQ check; GS I follows when online). */
const dle = (report: DeviceReport) => report.evidence.exchanges.filter((e) => typeof e.request === 'string' && e.request.startsWith('10 04'));
const replyTo = (report: DeviceReport, n: number) => report.evidence.exchanges.find((e) => e.request === `10 04 0${n}`);

interface Case {
  name: string;
  faults: PrinterFaultsPatch;
  replyTimeoutMs?: number;
  check: (report: DeviceReport) => void;
}

const CASES: Case[] = [
  {
    name: 'healthy printer: ok, four valid replies',
    faults: {},
    check: (r) => {
      expect(r.health).toBe('ok');
      expect(dle(r).map((e) => e.reply)).toEqual(['12', '12', '12', '12']);
    },
  },
  {
    name: 'paper end',
    faults: { paperEnd: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.paper_end']);
      expect(r.findings[0]?.detail).toBe('DLE EOT 4 = 0x72: paper end sensor: no paper');
      expect(replyTo(r, 1)?.reply).toBe('1a');
      expect(replyTo(r, 4)?.reply).toBe('72');
    },
  },
  {
    name: 'cover open',
    faults: { coverOpen: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.cover_open']);
      expect(replyTo(r, 2)?.reply).toBe('16');
      expect(r.checklist.find((a) => a.step === 'printer.cover')?.result).toBe('failed');
    },
  },
  {
    name: 'cutter error',
    faults: { cutterError: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.cutter_error']);
      expect(replyTo(r, 3)?.reply).toBe('1a');
      expect(replyTo(r, 2)?.reply).toBe('52');
    },
  },
  {
    name: 'offline with no cause',
    faults: { offline: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.offline']);
      expect(replyTo(r, 1)?.reply).toBe('1a');
    },
  },
  {
    name: 'no reply',
    faults: { noReply: true },
    replyTimeoutMs: 200,
    check: (r) => {
      expect(codes(r)).toEqual(['printer.no_reply']);
      expect(r.findings[0]?.detail).toMatch(/silence/);
      expect(dle(r)).toHaveLength(1);
      expect(dle(r)[0]).toMatchObject({ reply: null, discarded: '' });
    },
  },
  {
    name: 'garbage replies',
    faults: { garbage: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.no_reply']);
      expect(dle(r)[0]).toMatchObject({ reply: null, discarded: 'ff 00' });
      expect(r.findings[0]?.detail).toMatch(/only invalid bytes \(ff 00\)/);
    },
  },
  {
    name: 'reply slower than the timeout → no_reply',
    faults: { slowReplyMs: 600 },
    replyTimeoutMs: 150,
    check: (r) => {
      expect(codes(r)).toEqual(['printer.no_reply']);
      expect(dle(r)).toHaveLength(1);
    },
  },
  {
    name: 'slow reply within the timeout → ok',
    faults: { slowReplyMs: 60 },
    replyTimeoutMs: 2_000,
    check: (r) => {
      expect(r.health).toBe('ok');
      expect(dle(r).map((e) => e.reply)).toEqual(['12', '12', '12', '12']);
    },
  },
  {
    name: 'ASB frames on the line do not confuse the reader',
    faults: { asb: true, paperEnd: true },
    check: (r) => {
      expect(codes(r)).toEqual(['printer.paper_end']);
      expect(dle(r).map((e) => e.reply)).toEqual(['1a', '32', '12', '72']);
    },
  },
];

function describeTransport(kind: TransportKind, available: boolean, needs: string, start: () => Promise<{ sim: EscPosSimulator; target: TransportTarget }>) {
  describe(`ESC/POS driver over real ${kind}`, () => {
    let sim: EscPosSimulator | undefined;
    let target: TransportTarget;
    beforeAll(async () => {
      if (!available) return;
      ({ sim, target } = await start());
    });
    afterAll(async () => {
      await sim?.close();
    });
    beforeEach(() => {
      sim?.resetFaults();
    });
    for (const c of CASES) {
      it.skipIf(!available)(`${c.name}${needs}`, async () => {
        sim!.setFaults(c.faults);
        c.check(await probe(target, c.replyTimeoutMs));
      });
    }
  });
}

describeTransport('tcp', true, '', async () => {
  const sim = await startEscPosSimulator({ tcp: { port: 0 } });
  return { sim, target: { kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 } };
});

describeTransport('serial', hasSocat, ' (pty, needs socat)', async () => {
  const sim = await startEscPosSimulator({ pty: true });
  return { sim, target: { kind: 'serial', path: sim.ptyPath!, baudRate: 9600 } };
});

describe('ESC/POS transport edge cases with real I/O', () => {
  it('TCP: the probe closes its connection (a held 9100 connection blocks the POS)', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 } });
    try {
      await probe({ kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 });
      for (let i = 0; i < 100 && sim.stats().openTcpConnections > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sim.stats()).toMatchObject({ tcpConnections: 1, openTcpConnections: 0, statusQueries: 4 });
    } finally {
      await sim.close();
    }
  });

  it('TCP: nothing listening → no_reply with the cannot-connect transport error', async () => {
    const sim = await startEscPosSimulator({ tcp: { port: 0 } });
    const port = sim.tcpPort!;
    await sim.close();
    const report = await probe({ kind: 'tcp', host: '127.0.0.1', port, connectTimeoutMs: 1500 });
    expect(codes(report)).toEqual(['printer.no_reply']);
    expect(report.evidence.transportError).toMatch(/^cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(report.evidence.exchanges).toEqual([]);
  });

  it('serial: a missing device path → printer.disconnected with the cannot-open transport error', async () => {
    const report = await probe({ kind: 'serial', path: '/dev/tillscope-missing-printer', baudRate: 9600 });
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(report.checklist.find((a) => a.step === 'printer.connection')?.result).toBe('failed');
    expect(report.evidence.transportError).toMatch(/^\/dev\/tillscope-missing-printer @ 9600 is not there/);
  });

  it.skipIf(!hasSocat)('serial: the pty vanishing mid-read → printer.disconnected with transportError (pty, needs socat)', async () => {
    const sim = await startEscPosSimulator({ pty: true, faults: { slowReplyMs: 5_000 } });
    const target: TransportTarget = { kind: 'serial', path: sim.ptyPath!, baudRate: 9600 };
    // Close the simulator (socat dies, the pty disappears) once the first query has arrived.
    const vanish = (async () => {
      while (sim.stats().statusQueries === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await sim.close();
    })();
    const report = await probe(target, 10_000);
    await vanish;
    expect(codes(report)).toEqual(['printer.disconnected']);
    expect(report.evidence.transportError).toMatch(/while waiting for DLE EOT 1: /);
  });
});

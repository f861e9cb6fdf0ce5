// Real I/O, one device across probes (one driver memory, as in an agent run): the simulator's
// printer models over TCP and a socat pseudo-terminal, and an escpos device configured on a
// Shtrih-M register's port.
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceReport } from '@tillscope/shared';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import type { DeviceConfig } from '../../agent/src/devices/driver';
import { escposDriver } from '../../agent/src/devices/receipt-printer/escpos';
import { probeEscPos } from '../../agent/src/devices/receipt-printer/escpos/probe';
import { createOpenTransport } from '../../agent/src/transports/open-transport';
import type { TransportTarget } from '../../agent/src/transports/transport';
import type { PrinterModel } from '../../scripts/sim/escpos/models';
import { ptyModeAvailable, startEscPosSimulator, type EscPosSimulator } from '../../scripts/sim/escpos/simulator';
import { startShtrihSimulator } from '../../scripts/sim/shtrih-m/simulator';

const hasSocat = ptyModeAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** One configured printer: every probe() shares the driver memory, as probes in one agent run do. */
function printerAt(target: TransportTarget) {
  const device: DeviceConfig = { id: 'till-1-printer', driver: 'escpos', transport: target, options: {} };
  const ctx = probeContextFor(escposDriver, device, { openTransport: createOpenTransport(), now: () => new Date(), signal: new AbortController().signal });
  return async () => {
    const report = await probeEscPos(ctx, { replyTimeoutMs: 300, lateReplyWindowMs: 100 });
    expect(DeviceReport.safeParse(report).success).toBe(true);
    return report;
  };
}

const codes = (r: DeviceReport) => r.findings.map((f) => f.code);
const step = (r: DeviceReport, name: string) => r.checklist.find((a) => a.step === name);

async function simulatorOn(kind: 'tcp' | 'serial', model: PrinterModel): Promise<{ sim: EscPosSimulator; target: TransportTarget }> {
  const sim = await startEscPosSimulator(kind === 'tcp' ? { tcp: { port: 0 }, model } : { pty: true, model });
  cleanups.push(() => sim.close());
  const target: TransportTarget = kind === 'tcp' ? { kind: 'tcp', host: '127.0.0.1', port: sim.tcpPort!, connectTimeoutMs: 1500 } : { kind: 'serial', path: sim.ptyPath!, baudRate: 9600 };
  return { sim, target };
}

for (const kind of ['tcp', 'serial'] as const) {
  const available = kind === 'tcp' || hasSocat;
  const needs = kind === 'serial' ? ' (pty, needs socat)' : '';

  describe(`printer models over real ${kind}`, () => {
    it.skipIf(!available)(`a clone (DLE EOT 1 and 4 only) at paper end, then paper back: checked vouches for paper${needs}`, async () => {
      const { sim, target } = await simulatorOn(kind, 'clone');
      const probe = printerAt(target);
      sim.setFaults({ paperEnd: true });
      const empty = await probe();
      expect(codes(empty)).toEqual(['printer.paper_end']);
      expect(step(empty, 'printer.paper')?.result).toBe('failed');
      expect(step(empty, 'printer.cover')?.result).toBe('unknown');
      sim.setFaults({ paperEnd: false });
      const refilled = await probe();
      expect(refilled.findings).toEqual([]);
      expect(refilled.checked).toContain('printer.paper_end');
      expect(step(refilled, 'printer.paper')?.result).toBe('passed');
      // By now DLE EOT 2 and 3 went unanswered twice: the next probe no longer asks them.
      const third = await probe();
      expect(third.printer?.statusSupport).toEqual(expect.arrayContaining([{ request: 'DLE EOT 2', answers: false }, { request: 'DLE EOT 4', answers: true }]));
      expect(third.evidence.exchanges.map((e) => e.request).filter((r) => typeof r === 'string' && r.startsWith('10 04'))).toEqual(['10 04 01', '10 04 04']);
    });

    it.skipIf(!available)(`head overheat while offline: printer.offline (critical) and the auto-recoverable error${needs}`, async () => {
      const { sim, target } = await simulatorOn(kind, 'epson');
      sim.setFaults({ autoRecoverableError: true });
      const report = await printerAt(target)();
      expect(codes(report)).toEqual(['printer.auto_recoverable_error', 'printer.offline']);
      expect(report.findings[1]?.detail).toMatch(/prints again by itself once the head cools/);
      expect(report.health).toBe('fault');
    });

    it.skipIf(!available)(`an Epson-like printer tells its identity through GS I once per run, and its wear counters (GS g 2)${needs}`, async () => {
      const { sim, target } = await simulatorOn(kind, 'epson');
      const probe = printerAt(target);
      const first = await probe();
      expect(first.identity).toEqual({ model: 'EPSON TM-T88V', firmware: '1.28', serial: 'SIM0000001' });
      expect(first.printer?.counters).toContainEqual({ name: 'cuts', value: 4321, unit: 'count', source: 'GS g 2 n=178' });
      const asked = sim.stats().idRequests;
      const second = await probe();
      expect(second.identity).toEqual(first.identity);
      expect(sim.stats().idRequests).toBe(asked);
    });

    it.skipIf(!available)(`a printer that never answers: printer.no_reply after DLE EOT 1 alone${needs}`, async () => {
      const { target } = await simulatorOn(kind, 'silent');
      const report = await printerAt(target)();
      expect(codes(report)).toEqual(['printer.no_reply']);
      expect(report.evidence.exchanges.filter((e) => e.request === '10 04 01')).toHaveLength(1);
    });
  });
}

describe('an escpos device on a fiscal register’s port', () => {
  it.skipIf(!hasSocat)('the Shtrih-M simulator’s pty: printer.wrong_device, and the register never gets a byte but ENQ (pty, needs socat)', async () => {
    const register = await startShtrihSimulator({ pty: true });
    cleanups.push(() => register.close());
    const probe = printerAt({ kind: 'serial', path: register.ptyPath!, baudRate: 9600 });
    const first = await probe();
    expect(codes(first)).toEqual(['printer.wrong_device']);
    expect(first.findings[0]?.detail).toMatch(/ENQ \(05\) answered NAK \(15\)/);
    const second = await probe();
    expect(codes(second)).toEqual(['printer.wrong_device']);
    const stats = register.stats();
    expect(stats.enqReceived).toBe(1);
    expect(stats.bytesReceived).toBe(1);
    expect(register.commandLog()).toEqual([]);
  });
});

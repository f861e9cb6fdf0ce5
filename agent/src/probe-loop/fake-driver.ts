// Test support: drivers and reports that need no hardware.
import { PROTOCOL_VERSION, type CashierReport, type DeviceReport, type DiagnosisCode, type Health } from '@tillscope/shared';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DeviceConfig, DeviceDriver, ProbeContext } from '../devices/driver';

export function fakeReport(deviceId: string, health: DeviceReport['health'] = 'ok', codes: DiagnosisCode[] = []): DeviceReport {
  return {
    deviceId,
    kind: 'receipt-printer',
    driver: 'escpos',
    health,
    findings: codes.map((code) => ({ code, detail: `fake ${code}` })),
    checklist: [],
    evidence: { transport: 'tcp', target: '127.0.0.1:9100', exchanges: [] },
    probedAt: new Date().toISOString(),
    durationMs: 1,
  };
}

/** A health message with one fake report, as the outbox queues it. */
export function fakeHealth(): Health {
  return { v: PROTOCOL_VERSION, type: 'health', id: randomUUID(), ts: new Date().toISOString(), payload: { devices: [fakeReport('p1')] } };
}

/** A cashier report ("no receipt", the printer out of paper) with the cashier's `note`, as the outbox queues it. */
export function fakeCashierReport(note = '', symptom: CashierReport['payload']['symptom'] = 'no_receipt'): CashierReport {
  return {
    v: PROTOCOL_VERSION,
    type: 'cashier_report',
    id: randomUUID(),
    ts: new Date().toISOString(),
    payload: { symptom, note, locale: 'ru', reportedAt: new Date().toISOString(), diagnosis: [fakeReport('p1', 'fault', ['printer.paper_end'])] },
  };
}

export function fakeDevice(id: string): DeviceConfig {
  return { id, driver: 'escpos', transport: { kind: 'tcp', host: '127.0.0.1', port: 9100, connectTimeoutMs: 1500 }, options: {} };
}

/** The fake driver's options: any keys, so tests can set e.g. `status: "asb"`. */
const FakeOptions = z.record(z.string(), z.unknown());

/** A driver whose probe is whatever the test says; counts its calls. Its memory counts probes per device. */
export function fakeDriver(
  probe: (ctx: ProbeContext<Record<string, unknown>, { probes: number }>) => Promise<DeviceReport>,
): DeviceDriver<Record<string, unknown>, { probes: number }> & { calls: number } {
  const driver: DeviceDriver<Record<string, unknown>, { probes: number }> & { calls: number } = {
    id: 'escpos',
    kind: 'receipt-printer',
    transports: ['tcp', 'serial'],
    codes: ['printer.paper_end', 'printer.cover_open'],
    options: FakeOptions,
    createMemory: () => ({ probes: 0 }),
    calls: 0,
    probe(ctx) {
      ctx.memory.probes += 1;
      driver.calls += 1;
      return probe(ctx);
    },
  };
  return driver;
}

export function healthyDriver(): ReturnType<typeof fakeDriver> {
  return fakeDriver(async (ctx) => fakeReport(ctx.device.id));
}

import type { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config';
import { createDriverRegistry } from '../../devices/registry';
import { fakeDevice, fakeDriver, fakeReport } from '../../probe-loop/fake-driver';
import { createProbeLoop } from '../../probe-loop/probe-loop';
import type { OpenTransport } from '../../transports/transport';
import { bindDevice } from '../../devices/bind-device';
import { silentLogger } from '../../logger';
import { mergeQueueIntoReport, withPrintQueue } from './merge';
import { createPrintQueueReader, PrintQueueConfig } from './reader';
import { loadQueueFixture, replayCommands } from './replay';

const noTransport: OpenTransport = () => Promise.reject(new Error('no transport in this test'));

/** A printer report as a driver gives it: its own queue step unknown (it cannot see the OS queue). */
function driverReport(id: string, over: Partial<DeviceReport> = {}): DeviceReport {
  return {
    ...fakeReport(id),
    checklist: [
      { step: 'printer.connection', result: 'passed', observed: 'tcp connected' },
      { step: 'printer.queue', result: 'unknown', observed: 'the driver does not read the OS queue' },
      { step: 'printer.test_print', result: 'unknown', observed: 'not asked' },
    ],
    checked: ['printer.paper_end', 'printer.cover_open'],
    ...over,
  };
}

async function probeWithQueue(fixture: string, report: DeviceReport) {
  const reader = createPrintQueueReader({ run: replayCommands(loadQueueFixture('cups', fixture)), platform: 'linux' });
  const device = { ...fakeDevice('p1'), printQueue: PrintQueueConfig.parse({ name: 'tillscope-test' }) };
  const loop = createProbeLoop({
    devices: [device],
    drivers: new Map([['escpos', fakeDriver(async () => report)]]),
    openTransport: noTransport,
    probeIntervalMs: 60_000,
    reportIntervalMs: 60_000,
    onHealth: () => {},
    printQueue: reader,
  });
  const [probed] = await loop.probeNow();
  return probed!;
}

describe('the queue view in printer reports (probe loop)', () => {
  it('a paused CUPS queue turns a healthy printer into a fault, with the queue step, checked codes, facts and evidence', async () => {
    const report = await probeWithQueue('disabled', driverReport('p1'));
    expect(report.health).toBe('fault');
    expect(report.findings.map((f) => f.code)).toEqual(['printer.queue_paused']);
    expect(report.checklist.map((a) => `${a.step}:${a.result}`)).toEqual(['printer.connection:passed', 'printer.queue:failed', 'printer.test_print:unknown']);
    expect(report.checked).toEqual(expect.arrayContaining(['printer.paper_end', 'printer.cover_open', 'printer.queue_paused', 'printer.spooler_stopped', 'printer.queue_stuck']));
    expect(report.printer?.queue).toMatchObject({ system: 'cups', queue: 'tillscope-test', paused: true, jobCount: 0 });
    expect(report.evidence.exchanges.map((e) => e.label)).toContain('lpstat -l -p tillscope-test: queue state');
  });

  it('a printer whose port the POS holds still gets its queue view; only the queue codes are vouched for', async () => {
    const busy = driverReport('p1', { health: 'unknown', findings: [{ code: 'printer.port_busy', detail: 'port held by the POS' }], checked: undefined });
    const report = await probeWithQueue('idle', busy);
    expect(report.findings.map((f) => f.code)).toEqual(['printer.port_busy']);
    expect(report.health).toBe('warning'); // port_busy is minor; the queue read does not make it 'ok'
    expect(report.checked?.sort()).toEqual(['printer.queue_paused', 'printer.queue_stuck', 'printer.spooler_offline', 'printer.spooler_stopped']);
    expect(report.checklist.find((a) => a.step === 'printer.queue')?.result).toBe('passed');
    expect(report.printer?.queue?.serviceRunning).toBe(true);
  });

  it('an unreadable queue leaves the printer health alone and the queue codes unvouched', () => {
    const verdict = { findings: [], step: { step: 'printer.queue' as const, result: 'unknown' as const, observed: 'could not check: lpstat not found' }, checked: [], view: undefined, exchanges: [], memory: undefined };
    const merged = mergeQueueIntoReport(driverReport('p1', { checked: undefined }), verdict, ['printer.paper_end', 'printer.queue_paused']);
    expect(merged.health).toBe('ok');
    expect(merged.checked).toEqual(['printer.paper_end']); // the old rule written out, minus the queue's codes
    expect(merged.checklist.find((a) => a.step === 'printer.queue')).toEqual(verdict.step);
    expect(merged.printer).toBeUndefined();
  });

  it('inserts the queue step in checklist order when the driver gave none', () => {
    const verdict = { findings: [], step: { step: 'printer.queue' as const, result: 'passed' as const, observed: 'idle' }, checked: [], view: undefined, exchanges: [], memory: undefined };
    const report = driverReport('p1', { checklist: [{ step: 'printer.paper', result: 'passed', observed: '' }, { step: 'printer.test_print', result: 'unknown', observed: '' }] });
    expect(mergeQueueIntoReport(report, verdict, []).checklist.map((a) => a.step)).toEqual(['printer.paper', 'printer.queue', 'printer.test_print']);
  });

  it('a queue that reads fine never makes a printer that did not answer "ok"', () => {
    const verdict = { findings: [], step: { step: 'printer.queue' as const, result: 'passed' as const, observed: 'idle' }, checked: [], view: undefined, exchanges: [], memory: undefined };
    expect(mergeQueueIntoReport(driverReport('p1', { health: 'unknown' }), verdict, []).health).toBe('unknown');
  });
});

describe('withPrintQueue and a watched printer (ASB)', () => {
  it('a report the watch pushes carries the latest queue verdict, so queue findings do not flicker away', async () => {
    let push: (report: DeviceReport) => void = () => {};
    const driver = {
      ...fakeDriver(async () => driverReport('p1')),
      watch: (ctx: { onReport: (report: DeviceReport) => void }) => {
        push = ctx.onReport;
        return { probe: async () => driverReport('p1'), stop: async () => {} };
      },
    };
    const reader = createPrintQueueReader({ run: replayCommands(loadQueueFixture('cups', 'disabled')), platform: 'linux' });
    const bound = withPrintQueue(bindDevice(driver, fakeDevice('p1')), PrintQueueConfig.parse({ name: 'tillscope-test' }), reader);
    const pushed: DeviceReport[] = [];
    const watch = bound.watch({ openTransport: noTransport, now: () => new Date(), logger: silentLogger, onReport: (report) => pushed.push(report) });
    const probed = await watch!.probe({ openTransport: noTransport, now: () => new Date(), signal: new AbortController().signal });
    expect(probed.findings.map((f) => f.code)).toEqual(['printer.queue_paused']);
    push(driverReport('p1'));
    expect(pushed.map((r) => r.findings.map((f) => f.code))).toEqual([['printer.queue_paused']]);
  });
});

describe('printQueue in the agent config', () => {
  const config = (device: Record<string, unknown>) =>
    JSON.stringify({ server: 'https://console.example.ru', storeId: 's', registerId: 'r', enrollmentToken: 'tok-12345678', dataDir: 'data', devices: [{ id: 'dev', ...device }] });
  const parse = (device: Record<string, unknown>) => parseConfig(config(device), '/etc/agent.json', createDriverRegistry());

  it('a receipt printer takes it, with defaults', () => {
    const devices = parse({ driver: 'escpos', transport: { kind: 'tcp', host: 'x' }, printQueue: { name: 'TM-T20' } }).devices;
    expect(devices[0]?.printQueue).toEqual({ name: 'TM-T20', system: 'auto', stuckAfterSec: 180 });
  });

  it('a fiscal register with it, or a bad entry, is a config error naming the field', () => {
    expect(() => parse({ driver: 'shtrih-m', transport: { kind: 'tcp', host: 'x' }, printQueue: { name: 'TM-T20' } })).toThrow(/devices\.0\.printQueue: only a receipt printer has an OS print queue/);
    expect(() => parse({ driver: 'escpos', transport: { kind: 'tcp', host: 'x' }, printQueue: { name: 'TM-T20', system: 'lpd' } })).toThrow(/devices\.0\.printQueue\.system/);
  });
});


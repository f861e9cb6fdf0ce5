import { describe, expect, it } from 'vitest';
import type { CommandRequest } from '../run-command';
import { createPrintQueueReader, PrintQueueConfig } from './reader';
import { loadQueueFixture, replayCommands } from './replay';
import { parsePsDate, parseService, windowsScripts } from './windows';

// TRANSCRIBED (not recorded) spooler outputs: fixtures/windows/*.json, each marked "transcribed".
const MINUTE = 60_000;
const SUBMITTED = Date.UTC(2026, 10, 30, 11, 40, 0);

async function read(name: string, now = new Date(SUBMITTED + MINUTE), seen: string[][] = []) {
  const fixture = loadQueueFixture('windows', name);
  expect(fixture.origin).toBe('transcribed');
  const reader = createPrintQueueReader({ run: replayCommands(fixture, seen), now: () => now, platform: 'win32' });
  return reader.read(PrintQueueConfig.parse({ name: fixture.queue }));
}

describe('Windows spooler, transcribed outputs', () => {
  it('ready: passes; runs powershell.exe -NoProfile -NonInteractive -Command, each cmdlet piped to ConvertTo-Json', async () => {
    const seen: string[][] = [];
    const verdict = await read('ready-ps51', undefined, seen);
    expect(verdict.findings).toEqual([]);
    expect(verdict.step.result).toBe('passed');
    expect(verdict.view).toEqual({ system: 'windows-spooler', queue: 'EPSON TM-T20X Receipt', serviceRunning: true, paused: false, offline: false, jobCount: 0, driver: 'EPSON TM-T(203dpi) Receipt6', printing: false });
    expect(seen.map((args) => args.slice(0, 4))).toEqual(Array(3).fill(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command']));
    expect(seen.every((args) => args[4]?.endsWith('| ConvertTo-Json -Depth 3 -Compress'))).toBe(true);
  });

  it('paused with jobs (5.1 dates, an array): queue paused; stuck once the oldest job has not moved past the threshold', async () => {
    const fixture = loadQueueFixture('windows', 'paused-jobs-ps51');
    let now = new Date(SUBMITTED + 5 * MINUTE);
    const reader = createPrintQueueReader({ run: replayCommands(fixture), now: () => now, platform: 'win32' });
    const config = PrintQueueConfig.parse({ name: fixture.queue });
    const first = await reader.read(config);
    expect(first.findings.map((f) => f.code)).toEqual(['printer.queue_paused']);
    expect(first.view).toMatchObject({ paused: true, jobCount: 2, oldestJobAt: new Date(SUBMITTED).toISOString() });
    now = new Date(now.getTime() + MINUTE);
    expect((await reader.read(config)).findings.map((f) => f.code)).toEqual(['printer.queue_paused', 'printer.queue_stuck']);
  });

  it('WorkOffline with one job printing (7: a single object, ISO date): spooler offline, printing, never a paper finding', async () => {
    const verdict = await read('offline-printing-ps7');
    expect(verdict.findings.map((f) => f.code)).toEqual(['printer.spooler_offline']);
    expect(verdict.view).toMatchObject({ offline: true, printing: true, jobCount: 1, oldestJobAt: new Date(SUBMITTED).toISOString() });
  });

  it('spooler stopped: spooler_stopped, whatever Get-Printer says after', async () => {
    const verdict = await read('spooler-stopped');
    expect(verdict.findings.map((f) => f.code)).toEqual(['printer.spooler_stopped']);
    expect(verdict.step.observed).toContain('the Spooler service is Stopped');
    expect(verdict.view).toEqual({ system: 'windows-spooler', queue: 'EPSON TM-T20X Receipt', serviceRunning: false });
  });

  it('unknown printer: could not check, naming the config field', async () => {
    const verdict = await read('unknown-printer');
    expect(verdict.findings).toEqual([]);
    expect(verdict.step.result).toBe('unknown');
    expect(verdict.step.observed).toContain('Windows has no printer named "EPSON TM-T20X Receipt"');
  });

  it('powershell.exe missing or hanging: could not check', async () => {
    const missing = createPrintQueueReader({ run: async () => ({ kind: 'missing', message: 'powershell.exe not found (is it installed and on PATH?)' }), platform: 'win32' });
    const verdict = await missing.read(PrintQueueConfig.parse({ name: 'X' }));
    expect(verdict.step).toMatchObject({ result: 'unknown', observed: expect.stringContaining('powershell.exe not found') });
    const hanging = createPrintQueueReader({ run: async (r: CommandRequest) => ({ kind: 'timeout', timeoutMs: r.timeoutMs }), platform: 'win32', timeoutMs: 4_000 });
    expect((await hanging.read(PrintQueueConfig.parse({ name: 'X' }))).step.observed).toContain('did not finish within 4000 ms');
  });
});

describe('Windows parsers', () => {
  it('quotes a printer name for PowerShell (a single quote doubled), never through a shell', () => {
    expect(windowsScripts("Kassa's TM-T20").printer).toContain("Get-Printer -Name 'Kassa''s TM-T20' |");
  });

  it('reads ConvertTo-Json dates from 5.1 ("\\/Date(ms)\\/", also wrapped in {value, DateTime}) and 7 (ISO)', () => {
    expect(parsePsDate('/Date(1796038800000)/')?.toISOString()).toBe('2026-11-30T11:40:00.000Z');
    expect(parsePsDate({ value: '/Date(1796038800000)/', DisplayHint: 2, DateTime: 'Monday, November 30, 2026 2:40:00 PM' })?.getTime()).toBe(1796038800000);
    expect(parsePsDate('2026-11-30T14:40:00+03:00')?.toISOString()).toBe('2026-11-30T11:40:00.000Z');
    expect(parsePsDate('30.11.2026 14:40')).toBeUndefined();
  });

  it('reads a service status given as a name or as the bare enum number ConvertTo-Json renders', () => {
    expect(parseService('{"Name":"Spooler","Status":"Running"}')).toBe('Running');
    expect(parseService('{"Name":"Spooler","Status":1}')).toBe('Stopped');
    expect(parseService('not json')).toBeUndefined();
  });
});

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunCommand, type CommandRequest, type RunCommand } from '../run-command';
import { parseCupsDate } from './cups';
import { createPrintQueueReader, PrintQueueConfig } from './reader';
import { loadQueueFixture, replayCommands } from './replay';

// Real lpstat outputs recorded from CUPS 2.4.2 (fixtures/cups/*.json), replayed through the seam.
const MINUTE = 60_000;
/** lpstat prints local time without a zone; the reader reads it as the host's local time, so do we. */
const local = (text: string) => parseCupsDate(text)!;

function readerFor(name: string, now: () => Date, seen?: CommandRequest[]) {
  const fixture = loadQueueFixture('cups', name);
  const replay = replayCommands(fixture);
  const run: RunCommand = (request) => {
    seen?.push(request);
    return replay(request);
  };
  return { reader: createPrintQueueReader({ run, now, platform: 'linux' }), config: PrintQueueConfig.parse({ name: fixture.queue }) };
}

async function readOnce(name: string, at: Date) {
  const { reader, config } = readerFor(name, () => at);
  return reader.read(config);
}

describe('CUPS queue, recorded outputs', () => {
  it('idle: the step passes and every queue code is ruled out', async () => {
    const seen: CommandRequest[] = [];
    const { reader, config } = readerFor('idle', () => new Date(), seen);
    const verdict = await reader.read(config);
    expect(verdict.findings).toEqual([]);
    expect(verdict.step).toMatchObject({ step: 'printer.queue', result: 'passed' });
    expect(verdict.step.observed).toContain('idle, accepting jobs, not paused, 0 job(s)');
    expect(verdict.checked.sort()).toEqual(['printer.queue_paused', 'printer.queue_stuck', 'printer.spooler_offline', 'printer.spooler_stopped']);
    expect(verdict.view).toEqual({ system: 'cups', queue: 'tillscope-test', serviceRunning: true, paused: false, offline: false, jobCount: 0, printing: false });
    // LC_ALL=C on every run, `-l` before `-p` (lpstat applies options in order)
    expect(seen.map((r) => [r.file, ...r.args].join(' '))).toEqual(['lpstat -r', 'lpstat -l -p tillscope-test', 'lpstat -a tillscope-test', 'lpstat -o tillscope-test']);
    expect(seen.every((r) => r.env?.LC_ALL === 'C')).toBe(true);
    expect(verdict.exchanges.map((e) => e.status)).toEqual(['exit 0', 'exit 0', 'exit 0', 'exit 0']);
    expect(verdict.exchanges[1]?.reply).toMatchObject({ state: 'idle' });
  });

  it('disabled with a reason: queue paused, with the reason in the finding', async () => {
    const verdict = await readOnce('disabled', new Date());
    expect(verdict.findings).toEqual([{ code: 'printer.queue_paused', detail: expect.stringContaining('disabled (paused) (Paused by Tillscope recording; alert: paused)') }]);
    expect(verdict.step.result).toBe('failed');
    expect(verdict.view).toMatchObject({ paused: true, jobCount: 0 });
  });

  it('not accepting (cupsreject): queue paused', async () => {
    const verdict = await readOnce('rejecting', new Date());
    expect(verdict.findings.map((f) => f.code)).toEqual(['printer.queue_paused']);
    expect(verdict.findings[0]?.detail).toContain('is not accepting jobs (Rejecting by Tillscope recording)');
  });

  it('jobs waiting behind a disabled queue: paused now, stuck once the same oldest job is seen again past the threshold', async () => {
    const submitted = local('Mon Nov 30 14:44:01 2026');
    let now = new Date(submitted.getTime() + 5 * MINUTE);
    const { reader, config } = readerFor('disabled-jobs', () => now);
    const first = await reader.read(config);
    expect(first.view).toMatchObject({ jobCount: 2, oldestJobAt: submitted.toISOString(), printing: false });
    expect(first.findings.map((f) => f.code)).toEqual(['printer.queue_paused']);
    expect(first.checked).not.toContain('printer.queue_stuck'); // first sight of an old job: undetermined
    now = new Date(now.getTime() + MINUTE);
    const second = await reader.read(config);
    expect(second.findings.map((f) => f.code)).toEqual(['printer.queue_paused', 'printer.queue_stuck']);
    expect(second.findings[1]?.detail).toContain('job tillscope-test-1');
  });

  it('a job printing for seconds is printing, not stuck; the same job minutes later is stuck', async () => {
    const submitted = local('Mon Nov 30 14:44:03 2026');
    const fresh = await readOnce('printing-stuck', new Date(submitted.getTime() + 5_000));
    expect(fresh.view).toMatchObject({ printing: true, jobCount: 1 });
    expect(fresh.step.result).toBe('passed');
    expect(fresh.checked).toContain('printer.queue_stuck');
    let now = new Date(submitted.getTime() + 4 * MINUTE);
    const { reader, config } = readerFor('printing-stuck', () => now);
    expect((await reader.read(config)).step.result).toBe('unknown');
    now = new Date(now.getTime() + 10_000);
    const stuck = await reader.read(config);
    expect(stuck.findings.map((f) => f.code)).toEqual(['printer.queue_stuck']);
    expect(stuck.step.result).toBe('failed');
  });

  it('a threshold option moves the line', async () => {
    const submitted = local('Mon Nov 30 14:44:03 2026');
    const { reader } = readerFor('printing-stuck', () => new Date(submitted.getTime() + 4 * MINUTE));
    const verdict = await reader.read(PrintQueueConfig.parse({ name: 'tillscope-stuck', stuckAfterSec: 600 }));
    expect(verdict.step.result).toBe('passed');
  });

  it('scheduler stopped: spooler stopped, and the "Invalid destination" errors are not read as a missing queue', async () => {
    const verdict = await readOnce('scheduler-stopped', new Date());
    expect(verdict.findings.map((f) => f.code)).toEqual(['printer.spooler_stopped']);
    expect(verdict.step.result).toBe('failed');
    expect(verdict.checked).toEqual(['printer.spooler_stopped']);
    expect(verdict.view).toEqual({ system: 'cups', queue: 'tillscope-test', serviceRunning: false });
  });

  it('unknown queue: could not check, naming the config field; no finding', async () => {
    const verdict = await readOnce('unknown-queue', new Date());
    expect(verdict.findings).toEqual([]);
    expect(verdict.step.result).toBe('unknown');
    expect(verdict.step.observed).toContain('CUPS has no queue "no-such-queue"');
    expect(verdict.step.observed).toContain('printQueue.name');
    expect(verdict.exchanges[1]?.status).toBe('exit 1');
  });
});

describe('CUPS queue, tool trouble (real child processes)', () => {
  const reader = (lpstat: string) => createPrintQueueReader({ run: createRunCommand(), platform: 'linux', timeoutMs: 300, tools: { lpstat } });
  const config = PrintQueueConfig.parse({ name: 'tillscope-test' });
  /** A real executable standing in for lpstat, running `body` in sh. */
  function fakeLpstat(body: string): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tillscope-lpstat-')), 'lpstat');
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('lpstat missing: could not check, never OK', async () => {
    const verdict = await reader('/nonexistent/tillscope/lpstat').read(config);
    expect(verdict.findings).toEqual([]);
    expect(verdict.step).toMatchObject({ result: 'unknown' });
    expect(verdict.step.observed).toContain('/nonexistent/tillscope/lpstat not found');
    expect(verdict.checked).toEqual([]);
    expect(verdict.view).toBeUndefined();
  });

  it('lpstat hanging: killed at the timeout, could not check', async () => {
    const verdict = await reader(fakeLpstat('exec sleep 30')).read(config);
    expect(verdict.step.result).toBe('unknown');
    expect(verdict.step.observed).toContain('did not finish within 300 ms');
    expect(verdict.exchanges[0]?.status).toBe('timeout');
  });

  it('lpstat answering garbage: could not check', async () => {
    const verdict = await reader(fakeLpstat('echo "Planificateur en cours"')).read(config);
    expect(verdict.step.result).toBe('unknown');
    expect(verdict.step.observed).toContain('lpstat -r answered "Planificateur en cours"');
  });
});

// restart_print_service against replayed tool outputs: recorded here (systemd not PID 1) and
// transcribed from the documentation (systemctl, Restart-Service), plus a missing and a hanging tool.
import type { DeviceReport } from '@tillscope/shared';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHostFixture, replayHostOs, withRuns, type HostFixture } from '../os/host-os-replay';
import { fakeReport } from '../probe-loop/fake-driver';
import { createPrintServiceRestarter, printingNow, PRINT_SERVICE_RUNS, type PrintServiceDeps } from './restart-print-service';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const command = { commandId: 'c-1', verb: 'restart_print_service' as const };

function restarter(fixture: HostFixture, extra: Partial<PrintServiceDeps> = {}) {
  const seen: string[][] = [];
  const restart = createPrintServiceRestarter({
    run: replayHostOs(fixture, { seen }).run,
    platform: fixture.platform,
    busy: async () => undefined,
    reportsAfter: async () => [fakeReport('host-print')],
    fitFrame: (reports, build) => build(reports),
    ...extra,
  });
  return { restart, seen };
}

describe('restart_print_service', () => {
  it('restarts CUPS with systemctl (fixed argv, no shell) and answers with the reports read afterwards', async () => {
    const { restart, seen } = restarter(loadHostFixture(FIXTURES, 'linux-restarted'));
    expect(await restart(command)).toMatchObject({ commandId: 'c-1', ok: true, devices: [{ deviceId: 'host-print' }] });
    expect(seen).toEqual([
      ['systemctl', '--no-ask-password', 'restart', 'cups.service'],
      ['systemctl', 'is-active', 'cups.service'],
    ]);
  });

  it('restarts Spooler with Restart-Service -Force and reads its status after the warning line', async () => {
    const { restart, seen } = restarter(loadHostFixture(FIXTURES, 'windows-restarted'));
    expect(await restart(command)).toMatchObject({ ok: true });
    expect(seen).toEqual([[PRINT_SERVICE_RUNS.windows.restart.file, ...PRINT_SERVICE_RUNS.windows.restart.args]]);
    expect(seen[0]).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', 'Restart-Service -Name Spooler -Force -ErrorAction Stop; [string](Get-Service -Name Spooler).Status']);
  });

  it.each([
    ['linux-no-systemd', /^systemctl restart cups\.service failed: exit code 1: System has not been booted with systemd/],
    ['linux-start-failed', /^systemctl restart cups\.service failed: exit code 1: Job for cups\.service failed because the control process exited/],
    ['windows-access-denied', /^Restart-Service Spooler failed: exit code 1: .*Cannot open Spooler service on computer/],
  ])('fails %s with the OS words', async (name, message) => {
    const { restart } = restarter(loadHostFixture(FIXTURES, name));
    const result = await restart(command);
    expect(result).toMatchObject({ ok: false, code: 'internal' });
    expect(result.ok === false && result.message).toMatch(message);
  });

  it('fails clearly when the tool is missing or hangs, and when the service does not come back', async () => {
    const linux = loadHostFixture(FIXTURES, 'linux-restarted');
    const [restartRun, checkRun] = [PRINT_SERVICE_RUNS.linux.restart, PRINT_SERVICE_RUNS.linux.check];
    const missing = restarter(withRuns(linux, { file: restartRun.file, args: [...restartRun.args], result: 'missing' }));
    expect(await missing.restart(command)).toMatchObject({ ok: false, code: 'unsupported', message: expect.stringMatching(/systemctl not found/) });
    const hanging = restarter(withRuns(linux, { file: restartRun.file, args: [...restartRun.args], result: 'hang' }), { timeoutMs: 20 });
    expect(await hanging.restart(command)).toMatchObject({ ok: false, code: 'timeout', message: expect.stringMatching(/did not finish within 20 ms and was killed/) });
    const inactive = restarter(withRuns(linux, { file: checkRun.file, args: [...checkRun.args], exitCode: 3, stdout: 'failed\n' }));
    expect(await inactive.restart(command)).toMatchObject({ ok: false, code: 'internal', message: 'cups.service restarted but is "failed", not active' });
  });

  it('is refused while a receipt prints, and runs one restart at a time, without running a tool', async () => {
    const printing = restarter(loadHostFixture(FIXTURES, 'linux-restarted'), { busy: async () => 'a receipt is printing on printer' });
    expect(await printing.restart(command)).toMatchObject({ ok: false, code: 'busy', message: 'not restarted: a receipt is printing on printer; try again when it has printed' });
    expect(printing.seen).toEqual([]);

    let release!: () => void;
    const slow = restarter(loadHostFixture(FIXTURES, 'linux-restarted'), { busy: () => new Promise((resolve) => (release = () => resolve(undefined))) });
    const first = slow.restart(command);
    expect(await slow.restart({ ...command, commandId: 'c-2' })).toMatchObject({ ok: false, code: 'busy', message: expect.stringMatching(/already running/) });
    release();
    expect(await first).toMatchObject({ ok: true });
  });

  it('is unsupported on other systems', async () => {
    const { restart, seen } = restarter({ ...loadHostFixture(FIXTURES, 'linux-restarted'), platform: 'darwin' });
    expect(await restart(command)).toMatchObject({ ok: false, code: 'unsupported' });
    expect(seen).toEqual([]);
  });
});

describe('printingNow', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const withQueue = (printing: boolean, oldestJobAt?: string, codes: DeviceReport['findings'][number]['code'][] = []): DeviceReport => ({
    ...fakeReport('printer', codes.length ? 'fault' : 'ok', codes),
    printer: { queue: { system: 'cups', queue: 'TM-T20', printing, jobCount: printing ? 1 : 0, ...(oldestJobAt ? { oldestJobAt } : {}) } },
  });
  const judge = (report: DeviceReport) => printingNow([{ deviceId: 'printer', report, stuckAfterSec: 180 }], now);

  it('says a receipt prints when a fresh job is printing', () => {
    expect(judge(withQueue(true, '2026-12-01T09:59:30Z'))).toBe('a receipt is printing on printer (cups queue "TM-T20")');
    expect(judge(withQueue(true))).toBe('a receipt is printing on printer (cups queue "TM-T20")');
  });

  it('does not hold the restart for an idle queue or a stuck one (what the restart is for)', () => {
    expect(judge(withQueue(false))).toBeUndefined();
    expect(judge(withQueue(true, '2026-12-01T09:50:00Z'))).toBeUndefined();
    expect(judge(withQueue(true, '2026-12-01T09:59:30Z', ['printer.queue_stuck']))).toBeUndefined();
    expect(judge(fakeReport('printer'))).toBeUndefined();
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrintServiceRestarter } from '../../../agent/src/actions/restart-print-service';
import { createPrintQueueReader, PrintQueueConfig } from '../../../agent/src/os/print-queue/reader';
import { createRunCommand } from '../../../agent/src/os/run-command';
import { loadQueueFixture } from '../../../agent/src/os/print-queue/replay';
import { CupsState, SIMULATED_QUEUE, startCupsSimulator, type CupsSimulator } from './simulator';

// The agent's real queue reader, through the real command seam, running the simulator's lpstat
// stand-in as a child process: the path the demo agent takes.
let sim: CupsSimulator;
beforeAll(async () => {
  sim = await startCupsSimulator({ binDir: mkdtempSync(path.join(tmpdir(), 'tillscope-cups-sim-')) });
});
afterAll(() => sim.close());

const run = promisify(execFile);

function lpstat(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return run(sim.lpstatPath, args).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

async function setState(state: string): Promise<number> {
  const response = await fetch(`${sim.url}/state`, { method: 'PUT', body: JSON.stringify({ state }) });
  return response.status;
}

describe('CUPS simulator', () => {
  it('its lpstat prints the recorded outputs byte for byte, with their exit codes, in every state', async () => {
    for (const state of CupsState.options) {
      expect(await setState(state)).toBe(200);
      for (const recorded of loadQueueFixture('cups', state).runs) {
        expect(await lpstat(recorded.args), `${state}: lpstat ${recorded.args.join(' ')}`).toEqual({ exitCode: recorded.exitCode, stdout: recorded.stdout, stderr: recorded.stderr });
      }
    }
  });

  it('answers a queue the recording does not name as lpstat does for an unknown destination', async () => {
    await setState('idle');
    expect(await lpstat(['-l', '-p', 'Касса 1'])).toEqual({ exitCode: 1, stdout: '', stderr: 'lpstat: Invalid destination name in list "Касса 1".\n' });
  });

  it('refuses an unknown state', async () => {
    expect(await setState('on-fire')).toBe(400);
  });

  it('the agent reader follows the states set over HTTP: idle, paused, jobs stuck, scheduler stopped', async () => {
    let now = new Date();
    const reader = createPrintQueueReader({ now: () => now, platform: 'linux', timeoutMs: 15_000 });
    const config = PrintQueueConfig.parse({ name: SIMULATED_QUEUE, system: 'cups', tool: sim.lpstatPath });
    const codes = async () => (await reader.read(config)).findings.map((f) => f.code);

    await setState('idle');
    const idle = await reader.read(config);
    expect(idle.step.result).toBe('passed');
    expect(idle.view).toMatchObject({ serviceRunning: true, paused: false, jobCount: 0 });

    await setState('disabled');
    expect(await codes()).toEqual(['printer.queue_paused']);

    await setState('disabled-jobs'); // the recorded jobs are from 2026-11-30: long past the threshold
    now = new Date(Date.UTC(2026, 11, 1));
    expect(await codes()).toEqual(['printer.queue_paused']);
    now = new Date(now.getTime() + 10_000);
    expect(await codes()).toEqual(['printer.queue_paused', 'printer.queue_stuck']);

    await setState('scheduler-stopped');
    expect(await codes()).toEqual(['printer.spooler_stopped']);

    await setState('printing-stuck'); // recorded for queue tillscope-stuck: tillscope-test is unknown there
    const unknown = await reader.read(config);
    expect(unknown.step.result).toBe('unknown');
    expect(unknown.step.observed).toContain('CUPS has no queue "tillscope-test"');
  });

  it('state changes take effect at the next lpstat run', async () => {
    await setState('scheduler-stopped');
    expect((await lpstat(['-r'])).stdout).toBe('scheduler is not running\n');
    expect(await (await fetch(`${sim.url}/state`)).json()).toMatchObject({ state: 'scheduler-stopped' });
  });

  it('its systemctl lets restart_print_service (real tool seam, fixed arguments) start a stopped scheduler; a paused queue stays paused', async () => {
    const restart = createPrintServiceRestarter({
      run: createRunCommand(),
      platform: 'linux',
      tool: sim.systemctlPath,
      busy: async () => undefined,
      reportsAfter: async () => [],
      fitFrame: (reports, build) => build(reports),
      timeoutMs: 15_000,
    });
    await setState('scheduler-stopped');
    expect(await restart({ commandId: 'c-1', verb: 'restart_print_service' })).toEqual({ commandId: 'c-1', ok: true, devices: [] });
    expect(sim.state()).toBe('idle');
    expect(await (await fetch(`${sim.url}/state`)).json()).toMatchObject({ state: 'idle' });
    expect((await lpstat(['-r'])).stdout).toBe('scheduler is running\n');
    expect(sim.systemctlRuns()).toEqual(['--no-ask-password restart cups.service', 'is-active cups.service']);

    await setState('disabled');
    expect(await restart({ commandId: 'c-2', verb: 'restart_print_service' })).toMatchObject({ ok: true });
    expect(sim.state()).toBe('disabled');
  });
});

// restart_print_service: restarts the OS print service of the register with a fixed argument
// vector through the one tool seam (os/run-command.ts: execFile, never a shell, killed at its
// timeout). Windows: PowerShell's Restart-Service on `Spooler`; Linux: systemd's CUPS unit.
//
// Why Restart-Service and not `sc.exe stop` + `sc.exe start`: `sc stop` only sends the stop
// control and returns while the service is STOP_PENDING, so an immediate `sc start` fails (1056,
// "already running") and a correct restart would need a polling loop of our own; `sc stop` on a
// stopped spooler fails too (1062). Restart-Service waits until the service has stopped and
// started again, starts a stopped service without an error, and with -Force also restarts the
// services that depend on Spooler (Fax on some editions) instead of refusing. PowerShell 5.1 is on
// every Windows 10/11 register and the print-queue reader already runs it the same way.
// Linux: `systemctl restart` waits for the restart job to finish; --no-ask-password keeps it from
// waiting on a password prompt when the agent's account may not restart units.
import type { DeviceReport } from '@tillscope/shared';
import type { CommandPayload, CommandResultPayload } from '../link/link';
import { describeCommandFailure, type CommandResult, type RunCommand } from '../os/run-command';
import { powershellArgs } from '../os/print-queue/windows';

/** The argument vectors run, fixed: nothing from the command reaches them. */
export const PRINT_SERVICE_RUNS = {
  windows: {
    restart: { file: 'powershell.exe', args: powershellArgs('Restart-Service -Name Spooler -Force -ErrorAction Stop; [string](Get-Service -Name Spooler).Status') },
  },
  linux: {
    restart: { file: 'systemctl', args: ['--no-ask-password', 'restart', 'cups.service'] },
    check: { file: 'systemctl', args: ['is-active', 'cups.service'] },
  },
} as const;

export interface PrintServiceDeps {
  run: RunCommand;
  /** process.platform of the register: win32 → Spooler, linux → CUPS, others unsupported */
  platform: NodeJS.Platform;
  /** Why the service must not be restarted now (a receipt printing), or undefined. */
  busy: () => Promise<string | undefined>;
  /** Fresh reports after the restart (the print services host probe, printers with a queue). */
  reportsAfter: () => Promise<DeviceReport[]>;
  /** Builds the result under the frame limit (create-agent's fitFrame). */
  fitFrame: <M>(reports: DeviceReport[], build: (reports: DeviceReport[]) => M) => M;
  /** The systemctl / powershell.exe to run when not the one on PATH (config actions.printServiceTool: the demo's simulator). */
  tool?: string | undefined;
  /** For the restart itself (default 90 s: a spooler with stuck jobs takes long to stop). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How one restart ended, in plain words for the result. */
type Outcome = { ok: true; state: string } | { ok: false; code: 'timeout' | 'unsupported' | 'canceled' | 'internal'; message: string };

const MAX_OUTPUT_BYTES = 64 * 1024;

/** One restart at a time; a second request while one runs is refused with `busy`. */
export function createPrintServiceRestarter(deps: PrintServiceDeps): (command: CommandPayload) => Promise<CommandResultPayload> {
  let running = false;
  return async (command) => {
    const fail = (code: Extract<CommandResultPayload, { ok: false }>['code'], message: string): CommandResultPayload => ({ commandId: command.commandId, ok: false, code, message: message.slice(0, 500) });
    if (deps.platform !== 'win32' && deps.platform !== 'linux') return fail('unsupported', `no print service restart on ${deps.platform}`);
    if (running) return fail('busy', 'a print service restart is already running on this register');
    running = true;
    try {
      const busy = await deps.busy();
      if (busy) return fail('busy', `not restarted: ${busy}; try again when it has printed`);
      const outcome = deps.platform === 'win32' ? await restartSpooler(deps) : await restartCups(deps);
      if (!outcome.ok) return fail(outcome.code, outcome.message);
      const reports = await deps.reportsAfter();
      return deps.fitFrame(reports, (devices) => ({ commandId: command.commandId, ok: true as const, devices }));
    } finally {
      running = false;
    }
  };
}

function request(deps: PrintServiceDeps, run: { file: string; args: readonly string[] }, timeoutMs: number) {
  return { file: deps.tool ?? run.file, args: run.args, timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES, env: { LC_ALL: 'C' }, ...(deps.signal ? { signal: deps.signal } : {}) };
}

async function restartSpooler(deps: PrintServiceDeps): Promise<Outcome> {
  const { restart } = PRINT_SERVICE_RUNS.windows;
  const result = await deps.run(request(deps, restart, deps.timeoutMs ?? 90_000));
  if (result.kind !== 'ok') return failed('Restart-Service Spooler', deps.tool ?? restart.file, result);
  const state = lastLine(result.stdout);
  return state === 'Running' ? { ok: true, state } : { ok: false, code: 'internal', message: `Spooler restarted but is "${state || 'no status'}", not Running` };
}

async function restartCups(deps: PrintServiceDeps): Promise<Outcome> {
  const { restart, check } = PRINT_SERVICE_RUNS.linux;
  const restarted = await deps.run(request(deps, restart, deps.timeoutMs ?? 90_000));
  if (restarted.kind !== 'ok') return failed('systemctl restart cups.service', deps.tool ?? restart.file, restarted);
  // is-active exits 3 for "inactive"/"failed": the state is in stdout either way.
  const checked = await deps.run(request(deps, check, 10_000));
  const state = checked.kind === 'ok' || checked.kind === 'exit' ? lastLine(checked.stdout) : '';
  if (state === 'active') return { ok: true, state };
  if (checked.kind !== 'ok' && checked.kind !== 'exit') return failed('systemctl is-active cups.service', deps.tool ?? check.file, checked);
  return { ok: false, code: 'internal', message: `cups.service restarted but is "${state || 'no status'}", not active` };
}

function failed(what: string, file: string, result: Exclude<CommandResult, { kind: 'ok' }>): Outcome {
  const code = result.kind === 'missing' ? 'unsupported' : result.kind === 'timeout' ? 'timeout' : result.kind === 'canceled' ? 'canceled' : 'internal';
  const words = result.kind === 'exit' ? osWords(result) : describeCommandFailure(file, result);
  return { ok: false, code, message: `${what} failed: ${words}` };
}

/** What the tool said, its first lines: the OS's own words are what the engineer needs. */
function osWords(result: Extract<CommandResult, { kind: 'exit' }>): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split(/\r?\n/).map((line) => line.trim()).filter(Boolean).slice(0, 3).join(' / ');
  return `exit code ${result.exitCode}${text ? `: ${text}` : ''}`;
}

function lastLine(text: string): string {
  return text.trim().split(/\r?\n/).at(-1)?.trim() ?? '';
}

/**
 * Why a restart must wait, from fresh reports of printers whose OS queue is read: a job printing
 * now, unless the queue is stuck (a job printing for longer than the queue's `stuckAfterSec`, or
 * the `printer.queue_stuck` finding): a stuck queue is what the restart is for.
 */
export function printingNow(reports: readonly { deviceId: string; report: DeviceReport; stuckAfterSec: number }[], now: Date): string | undefined {
  for (const { deviceId, report, stuckAfterSec } of reports) {
    const queue = report.printer?.queue;
    if (!queue?.printing) continue;
    if (report.findings.some((finding) => finding.code === 'printer.queue_stuck')) continue;
    const oldest = queue.oldestJobAt ? Date.parse(queue.oldestJobAt) : undefined;
    if (oldest !== undefined && now.getTime() - oldest >= stuckAfterSec * 1000) continue;
    return `a receipt is printing on ${deviceId} (${queue.system} queue "${queue.queue}")`;
  }
  return undefined;
}

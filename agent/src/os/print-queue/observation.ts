// What one read of an OS print queue saw, whatever the OS: the common shape the CUPS and Windows
// readers produce and the diagnosis judges. Pure types and the evidence helper.
import type { PrintQueueView, StructuredExchange } from '@tillscope/shared';
import { describeCommandFailure, type CommandResult, type RunCommand } from '../run-command';

export type QueueSystem = PrintQueueView['system'];

export interface QueueJob {
  /** the OS's job id ("TM-T20-12", "7") */
  id: string;
  /** when it was submitted, as the OS gave it; undefined when the OS's date could not be read */
  submittedAt: Date | undefined;
  /** the OS says this job is printing now */
  printing: boolean;
}

/** The queue as the OS described it, when the service runs and the queue exists. */
export interface QueueObservation {
  system: QueueSystem;
  queue: string;
  /** CUPS "disabled" (cupsdisable), Windows PrinterStatus Paused */
  paused: boolean;
  /** CUPS only: false after cupsreject (new jobs refused); Windows has no such state */
  accepting: boolean;
  /** Windows WorkOffline or PrinterStatus Offline / NotAvailable; CUPS has no such state */
  offline: boolean;
  /** a job is printing right now */
  printing: boolean;
  /** the OS's own words: CUPS reason lines, Windows status names */
  reasons: string[];
  /** queued jobs, in the order the OS listed them */
  jobs: QueueJob[];
  /** the OS driver's name, when the OS names it (Windows DriverName) */
  driver?: string;
}

/**
 * One read: `read` (the queue as observed), `stopped` (the print service is not running),
 * `no_queue` (the service runs but has no queue of that name), or `unreadable` (the tool is
 * missing, hung, failed or answered something we cannot parse: could not check, never "OK").
 */
export type QueueReading =
  | { kind: 'read'; observation: QueueObservation; exchanges: StructuredExchange[] }
  | { kind: 'stopped'; system: QueueSystem; queue: string; detail: string; exchanges: StructuredExchange[] }
  | { kind: 'no_queue'; system: QueueSystem; queue: string; detail: string; exchanges: StructuredExchange[] }
  | { kind: 'unreadable'; system: QueueSystem; queue: string; reason: string; exchanges: StructuredExchange[] };

const RAW_EVIDENCE_CHARS = 1_500;
const MAX_REPLY_CHARS = 6_000;

/**
 * A StructuredExchange for one tool run: the command as request, the parsed answer as reply (or the
 * raw output, bounded, when nothing was parsed), the run's outcome as status.
 */
export function commandExchange(
  label: string,
  command: { file: string; args: readonly string[] },
  result: CommandResult,
  parsed: unknown,
  elapsedMs: number,
): StructuredExchange {
  const ok = result.kind === 'ok';
  const status = ok ? 'exit 0' : result.kind === 'exit' ? `exit ${result.exitCode}` : result.kind;
  const raw: Record<string, string> =
    result.kind === 'ok' || result.kind === 'exit' ? { stdout: result.stdout.slice(0, RAW_EVIDENCE_CHARS), stderr: result.stderr.slice(0, 500) } : { error: describeCommandFailure(command.file, result) };
  return {
    type: 'structured',
    label: label.slice(0, 200),
    request: { command: command.file, args: [...command.args] },
    reply: parsed === undefined ? raw : boundedJson(parsed),
    status,
    valid: parsed !== undefined,
    decoded: [],
    elapsedMs: Math.max(0, elapsedMs),
  };
}

/** The parsed answer as JSON, cut to a text excerpt when it would pass the wire's 8 KiB evidence bound (a queue of hundreds of jobs). */
function boundedJson(value: unknown): StructuredExchange['reply'] {
  const text = JSON.stringify(value);
  return text.length <= MAX_REPLY_CHARS ? (JSON.parse(text) as StructuredExchange['reply']) : { truncated: true, excerpt: text.slice(0, MAX_REPLY_CHARS / 2) };
}

/** What a queue reader needs: the command seam, a clock, limits per tool run, the probe's signal. */
export interface ReadContext {
  run: RunCommand;
  now: () => Date;
  /** per tool run; a hanging lpstat or powershell.exe is killed past it */
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal | undefined;
}

export interface ToolRun {
  command: { file: string; args: readonly string[] };
  result: CommandResult;
  elapsedMs: number;
}

/** Runs one tool through the seam and times it with the injected clock. */
export async function runTool(ctx: ReadContext, file: string, args: readonly string[], env?: Record<string, string>): Promise<ToolRun> {
  const started = ctx.now().getTime();
  const result = await ctx.run({ file, args, timeoutMs: ctx.timeoutMs, maxOutputBytes: ctx.maxOutputBytes, ...(env ? { env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return { command: { file, args }, result, elapsedMs: ctx.now().getTime() - started };
}

/** The failure of a run that did not exit 0, in words; undefined when it did. */
export function runFailure(run: ToolRun): string | undefined {
  return run.result.kind === 'ok' ? undefined : describeCommandFailure(run.command.file, run.result);
}

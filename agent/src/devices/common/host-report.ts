// What every host probe does the same way: run a tool through ctx.os.run and keep the run as
// evidence, note a fact it could not read, and build the report (kind 'host', transport 'os',
// one "could not check" finding for everything unread). Pure except for the tool runs it is asked for.
import type { ChecklistAnswer, DiagnosisCode, Finding, HostProbeId, HostSection, StructuredExchange, UncheckedFact } from '@tillscope/shared';
import type { DeviceReport } from '@tillscope/shared';
import type { HostOs } from '../../os/host-os';
import { describeCommandFailure, type CommandResult } from '../../os/run-command';
import { buildReport, clipText, healthOf, type Endpoint } from './report';

/** The evidence endpoint of every host probe: the register's own OS. */
export const HOST_ENDPOINT: Endpoint = { transport: 'os', target: 'localhost' };

/** A tool's default limits: PowerShell's start alone can take seconds on a busy register. */
export const DEFAULT_TOOL_TIMEOUT_MS = 20_000;
export const DEFAULT_TOOL_MAX_OUTPUT_BYTES = 1024 * 1024;
/** How much of a tool's output a report keeps as evidence. */
const REPLY_EXCERPT_CHARS = 2_000;
/** The wire's limits (DeviceReport, UncheckedFact). */
const MAX_EXCHANGES = 32;
const MAX_UNCHECKED = 32;

export interface ToolOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** e.g. LC_ALL=C, so a Linux tool does not translate its output */
  env?: Readonly<Record<string, string>>;
  /**
   * What the evidence keeps of the tool's output (stdout of a run that ended `ok` or with an exit
   * code), instead of its start: the parsed facts that matter, or a summary, when the raw output
   * may hold what must not leave the register (command lines with passwords, log messages before
   * redaction). Default: the start of the output.
   */
  evidence?: (stdout: string) => unknown;
}

/**
 * One probe run's notes: the tool runs (as structured exchanges) and the facts it could not read.
 * Make one per probe() call; `report` turns it into the DeviceReport.
 */
export interface HostProbeRun {
  /** Runs `file args` through `os.run` with the probe's signal; never rejects for OS trouble. */
  tool(file: string, args: readonly string[], options?: ToolOptions): Promise<CommandResult>;
  /** Records a fact the probe could not read ("clock.synced", "timedatectl: not installed"). */
  unchecked(fact: string, reason: string): void;
  /** `unchecked(fact, why the tool failed)`, for a run that did not end `ok`. */
  toolFailed(fact: string, file: string, result: Exclude<CommandResult, { kind: 'ok' }>): void;
  /** The facts recorded as unchecked so far (they go into the section's `unchecked`). */
  readonly uncheckedFacts: readonly UncheckedFact[];
  readonly exchanges: readonly StructuredExchange[];
  report(parts: HostReportParts): DeviceReport;
}

export interface HostReportParts {
  id: HostProbeId;
  /** the section, `unchecked` left out: the run fills it */
  section: HostSection;
  findings: Finding[];
  /** the codes the probe could rule in or out this time; host.check_failed is added always */
  checked: DiagnosisCode[];
  /** the probe's answers to its checklist steps (host.print_service …), when it has any */
  checklist?: ChecklistAnswer[];
  finished?: Date;
}

export interface HostProbeRunContext {
  os: HostOs;
  signal: AbortSignal;
  now: () => Date;
}

export function startHostProbeRun(ctx: HostProbeRunContext): HostProbeRun {
  const started = ctx.now();
  const exchanges: StructuredExchange[] = [];
  const uncheckedFacts: UncheckedFact[] = [];
  const run: HostProbeRun = {
    uncheckedFacts,
    exchanges,
    async tool(file, args, options = {}) {
      const at = Date.now();
      const result = await ctx.os.run({
        file,
        args,
        timeoutMs: options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
        maxOutputBytes: options.maxOutputBytes ?? DEFAULT_TOOL_MAX_OUTPUT_BYTES,
        ...(options.env ? { env: options.env } : {}),
        signal: ctx.signal,
      });
      exchanges.push(toolExchange(file, args, result, Math.max(0, Date.now() - at), options.evidence));
      return result;
    },
    unchecked(fact, reason) {
      if (uncheckedFacts.length < MAX_UNCHECKED) uncheckedFacts.push({ fact: clipText(fact, 64), reason: clipText(reason, 300) });
    },
    toolFailed(fact, file, result) {
      run.unchecked(fact, describeCommandFailure(file, result));
    },
    report(parts) {
      const findings = [...parts.findings];
      if (uncheckedFacts.length > 0) findings.push(checkFailedFinding(uncheckedFacts));
      const checked = [...new Set<DiagnosisCode>([...parts.checked, 'host.check_failed'])];
      const section = { ...parts.section, unchecked: [...uncheckedFacts] } as HostSection;
      return {
        ...buildReport({
          deviceId: parts.id,
          kind: 'host',
          driver: parts.id,
          diagnosis: { health: healthOf(findings, uncheckedFacts.length === 0), findings, checklist: parts.checklist ?? [], checked },
          endpoint: HOST_ENDPOINT,
          exchanges: exchanges.slice(-MAX_EXCHANGES),
          started,
          finished: parts.finished ?? ctx.now(),
        }),
        host: section,
      };
    },
  };
  return run;
}

/** "could not check: clock.synced (timedatectl not found …); …": one finding for all unread facts. */
export function checkFailedFinding(facts: readonly UncheckedFact[]): Finding {
  return { code: 'host.check_failed', detail: clipText(`could not check: ${facts.map((f) => `${f.fact} (${f.reason})`).join('; ')}`, 500) };
}

/** A tool run as evidence: label the command line, request {file,args}, reply an excerpt of stdout. */
export function toolExchange(file: string, args: readonly string[], result: CommandResult, elapsedMs: number, evidence?: (stdout: string) => unknown): StructuredExchange {
  const label = clipText([file, ...args].join(' '), 200);
  const output = result.kind === 'ok' || result.kind === 'exit' ? result.stdout || result.stderr : null;
  const reply = output === null ? null : evidence && (result.kind === 'ok' || result.kind === 'exit') ? boundedJson(evidence(result.stdout)) : excerpt(output);
  return {
    type: 'structured',
    label,
    request: { file, args: args.slice(0, 16).map((a) => clipText(a, 300)) },
    reply,
    status: result.kind === 'exit' ? `exit ${result.exitCode}` : result.kind,
    valid: result.kind === 'ok',
    decoded: [],
    elapsedMs,
  };
}

/** A probe's own evidence as plain JSON within the wire's bound; a value too large becomes the start of its text. */
function boundedJson(value: unknown): StructuredExchange['reply'] {
  const text = JSON.stringify(value ?? null);
  return text.length <= 7 * 1024 ? (JSON.parse(text) as StructuredExchange['reply']) : excerpt(text);
}

/** The start of a tool's output, short enough for the wire's 8 KiB bound on JSON evidence even when escaped. */
function excerpt(output: string): string {
  let max = REPLY_EXCERPT_CHARS;
  let text = clipText(output, max);
  while (JSON.stringify(text).length > 7 * 1024) {
    max = Math.floor(max / 2);
    text = clipText(output, max);
  }
  return text;
}

// One host-events probe: the newest entries of each configured log (Windows event channels, or the
// systemd journal of each unit), redacted and bounded, newest first. Reads only.
import type { DeviceReport, OsEvent } from '@tillscope/shared';
import { clipText } from '../../common/report';
import { startHostProbeRun, type HostProbeRun } from '../../common/host-report';
import type { HostProbeContext } from '../../host-probe';
import { newestFirst } from './diagnosis';
import type { HostEventsOptions } from './options';
import { journalCall, parseJournal, parseWindowsEvents, parseWindowsEventsError, windowsEventsCall, WINEVENT_FAILED_EXIT, type RawEvent, type ToolCall } from './protocol';

/** Removes passwords, tokens, card numbers and cashier names from a message (os/redact.ts). */
export type RedactText = (text: string) => string;

/** An entry as it may leave the register: message on one line, redacted, within the wire's bounds. */
export function toWire(event: RawEvent, redact: RedactText): OsEvent {
  const message = redact(event.message).replace(/\s+/g, ' ').trim() || '(no message text)';
  return {
    at: event.at,
    log: clipText(event.log, 120),
    ...(event.source !== undefined ? { source: clipText(redact(event.source), 120) } : {}),
    level: event.level,
    ...(event.eventId !== undefined ? { eventId: event.eventId } : {}),
    message: clipText(message, 500),
  };
}

const summary = (events: readonly RawEvent[]) => ({ entries: events.length, levels: events.map((e) => e.level) });

async function readLog(run: HostProbeRun, call: ToolCall, fact: string, timeoutMs: number, parse: (stdout: string) => RawEvent[] | undefined): Promise<RawEvent[]> {
  let parsed: RawEvent[] | undefined;
  // The evidence keeps counts and levels only: the messages travel redacted in the section.
  const result = await run.tool(call.file, call.args, {
    timeoutMs,
    evidence: (stdout) => {
      parsed = parse(stdout);
      return parsed ? summary(parsed) : { error: parseWindowsEventsError(stdout) ?? 'output in a form not known' };
    },
  });
  if (result.kind === 'exit' && result.exitCode === WINEVENT_FAILED_EXIT && parseWindowsEventsError(result.stdout)) {
    run.unchecked(fact, `Get-WinEvent failed: ${parseWindowsEventsError(result.stdout) ?? ''}`);
    return [];
  }
  if (result.kind !== 'ok') {
    run.toolFailed(fact, call.file, result);
    return [];
  }
  if (!parsed) run.unchecked(fact, `${call.file} printed output in a form not known (${clipText(result.stdout.trim(), 80) || 'nothing'})`);
  return parsed ?? [];
}

export async function probeHostEvents(ctx: HostProbeContext<HostEventsOptions>, redact: RedactText): Promise<DeviceReport> {
  const run = startHostProbeRun(ctx);
  const { options } = ctx;
  const raw: RawEvent[] = [];
  if (ctx.os.platform === 'win32') {
    for (const log of options.windowsLogs) {
      raw.push(...(await readLog(run, windowsEventsCall(log, options.maxEntriesPerLog), `events.${log.name}`, options.toolTimeoutMs, (stdout) => parseWindowsEvents(stdout, log.name))));
    }
  } else {
    for (const unit of options.linuxUnits) {
      raw.push(...(await readLog(run, journalCall(unit, options.maxEntriesPerLog), `events.${unit.unit}`, options.toolTimeoutMs, (stdout) => parseJournal(stdout, unit.unit))));
    }
  }
  const entries = newestFirst(raw.map((event) => toWire(event, redact)));
  return run.report({ id: 'host-events', section: { section: 'events', entries, unchecked: [] }, findings: [], checked: [] });
}

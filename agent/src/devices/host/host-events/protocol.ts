// The tools host-events runs and the parsers of what they print. Pure. Entries come out raw
// (unredacted, unclipped); probe.ts redacts and bounds them before they go anywhere.
//
// Windows: Get-WinEvent -FilterHashtable per log, the time as UTC ISO 8601 and the level as its
// number (LevelDisplayName is translated: "Ошибка" on Russian Windows), in a try/catch that prints
// "no events" as [] and any other failure as {"error": FullyQualifiedErrorId} with exit code 3:
// error ids are not translated, messages are. Linux: journalctl -o json, one JSON object a line.
import type { OsEventLevel } from '@tillscope/shared';
import { POWERSHELL, powershellArgs, psJsonObjects, psLiteral, psString } from '../../common/host-powershell';
import type { JournalUnit, WindowsLog } from './options';

export interface ToolCall {
  file: string;
  args: string[];
}

export interface RawEvent {
  /** ISO 8601 UTC, or null when the entry carried no time in a known form */
  at: string | null;
  log: string;
  source?: string;
  level: OsEventLevel;
  eventId?: number;
  message: string;
}

/** The exit code the Windows script ends with when Get-WinEvent failed for another reason than "no events". */
export const WINEVENT_FAILED_EXIT = 3;

export function windowsEventsCall(log: WindowsLog, maxEvents: number): ToolCall {
  const filter = `@{LogName=${psLiteral(log.name)}; Level=${log.levels.join(',')}}`;
  const select =
    "Select-Object @{Name='TimeCreated';Expression={$_.TimeCreated.ToUniversalTime().ToString('o')}}, Id, Level, ProviderName, LogName, Message";
  const script =
    `try { Get-WinEvent -FilterHashtable ${filter} -MaxEvents ${maxEvents} -ErrorAction Stop | ${select} | ConvertTo-Json -Depth 2 -Compress }` +
    " catch { if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { '[]' }" +
    ` else { @{ error = [string]$_.FullyQualifiedErrorId } | ConvertTo-Json -Compress; exit ${WINEVENT_FAILED_EXIT} } }`;
  return { file: POWERSHELL, args: powershellArgs(script) };
}

export function journalCall(unit: JournalUnit, maxEvents: number): ToolCall {
  return { file: 'journalctl', args: ['-u', unit.unit, '-n', String(maxEvents), '-p', String(unit.maxPriority), '-o', 'json', '--no-pager', '-r'] };
}

const WINDOWS_LEVEL: Record<number, OsEventLevel> = { 0: 'info', 1: 'critical', 2: 'error', 3: 'warning', 4: 'info', 5: 'info' };

const isoOrNull = (text: string | undefined): string | null => {
  if (text === undefined) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/**
 * Get-WinEvent's selected properties. Undefined when an entry lacks a numeric Level or Id (a form
 * not known). A null Message (the provider's message file is missing) is kept as "".
 */
export function parseWindowsEvents(stdout: string, log: string): RawEvent[] | undefined {
  const objects = psJsonObjects(stdout);
  if (!objects) return undefined;
  const events: RawEvent[] = [];
  for (const object of objects) {
    const level = typeof object.Level === 'number' ? WINDOWS_LEVEL[object.Level] : undefined;
    if (level === undefined || typeof object.Id !== 'number') return undefined;
    const source = psString(object, 'ProviderName');
    events.push({ at: isoOrNull(psString(object, 'TimeCreated')), log: psString(object, 'LogName') ?? log, ...(source ? { source } : {}), level, eventId: object.Id, message: psString(object, 'Message') ?? '' });
  }
  return events;
}

/** The FullyQualifiedErrorId the script printed when Get-WinEvent failed ("NoMatchingLogsFound,…"). */
export function parseWindowsEventsError(stdout: string): string | undefined {
  const [object] = psJsonObjects(stdout) ?? [];
  return object ? psString(object, 'error') : undefined;
}

/** syslog priorities 0..7 → the wire's levels */
const JOURNAL_LEVEL: OsEventLevel[] = ['critical', 'critical', 'critical', 'error', 'warning', 'info', 'info', 'info'];

/** MESSAGE is a string, or an array of bytes when it is not valid UTF-8 (journalctl -o json), or null. */
function journalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (Array.isArray(value) && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return Buffer.from(value as number[]).toString('utf8');
  return undefined;
}

/**
 * `journalctl -o json`: one object a line (newest first with -r). Undefined when a line is not an
 * object with a numeric __REALTIME_TIMESTAMP (microseconds) and a MESSAGE.
 */
export function parseJournal(stdout: string, unit: string): RawEvent[] | undefined {
  const events: RawEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
    const record = entry as Record<string, unknown>;
    const micros = typeof record.__REALTIME_TIMESTAMP === 'string' && /^\d{1,19}$/.test(record.__REALTIME_TIMESTAMP) ? Number(record.__REALTIME_TIMESTAMP) : undefined;
    const message = journalText(record.MESSAGE);
    if (micros === undefined || message === undefined) return undefined;
    const priority = typeof record.PRIORITY === 'string' ? Number(record.PRIORITY) : NaN;
    const source = journalText(record.SYSLOG_IDENTIFIER) ?? journalText(record._COMM);
    events.push({
      at: new Date(Math.floor(micros / 1000)).toISOString(),
      log: unit,
      ...(source ? { source } : {}),
      level: JOURNAL_LEVEL[priority] ?? 'info',
      message,
    });
  }
  return events;
}

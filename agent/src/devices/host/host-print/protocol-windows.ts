// Windows: the PowerShell scripts host-print runs and the parsers of their ConvertTo-Json answers.
// No Windows here: the formats are TRANSCRIBED from Microsoft's documentation (fixtures/windows-*,
// each marked so with its sources). Enums are cast to [string] in the scripts and UInt64 driver
// versions too (ConvertTo-Json writes an enum as its number, and a double loses a UInt64's low
// digits), dates are written by .ToString('o') in UTC, and every list goes through
// `ConvertTo-Json -InputObject @(...)`, so one item is still an array: the answer does not change
// with the locale or between Windows PowerShell 5.1 and PowerShell 7. Parsers are pure.
import type { ServiceFacts, ServiceStartMode, ServiceState } from '@tillscope/shared';
import { parsePsDate } from '../../../os/print-queue/windows';
import { psJsonObjects, psLiteral, psString } from '../../common/host-powershell';

export { powershellArgs } from '../../common/host-powershell';

/**
 * The service and its crashes: Get-Service (no call into the spooler, so it answers even when the
 * spooler hangs) and the Service Control Manager's "terminated unexpectedly" events 7031/7034 in
 * the System log over the last `windowHours`. Get-WinEvent raises NoMatchingEventsFound when there
 * are none: that is an empty list, any other error fails the script.
 */
export function serviceScript(service: string, windowHours: number): string {
  return [
    `$s = Get-Service -Name ${psLiteral(service)} -ErrorAction Stop; `,
    `$e = @(); try { $e = @(Get-WinEvent -FilterHashtable @{LogName='System'; ProviderName='Service Control Manager'; Id=7031,7034; StartTime=(Get-Date).AddHours(-${windowHours})} -MaxEvents 200 -ErrorAction Stop) } `,
    `catch { if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw } }; `,
    `[ordered]@{ Name = $s.Name; DisplayName = $s.DisplayName; Status = [string]$s.Status; StartType = [string]$s.StartType; `,
    `Crashes = @($e | ForEach-Object { [ordered]@{ TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o'); Id = $_.Id; Service = [string]$_.Properties[0].Value } }) } `,
    `| ConvertTo-Json -Depth 4 -Compress`,
  ].join('');
}

/**
 * Drivers, printers and their jobs in one PowerShell start (each start costs about a second of CPU
 * on a slow till). Each part is caught on its own: a printer whose port hangs must not hide the drivers.
 */
export const SPOOLER_SCRIPT = [
  `$r = [ordered]@{}; `,
  `try { $r.Drivers = @(Get-PrinterDriver -ErrorAction Stop | Select-Object Name, Manufacturer, PrinterEnvironment, MajorVersion, @{Name='DriverVersion';Expression={[string]$_.DriverVersion}}) } catch { $r.DriversError = $_.Exception.Message }; `,
  `try { $p = @(Get-Printer -ErrorAction Stop); $r.Printers = @($p | Select-Object Name, DriverName, PortName, JobCount, WorkOffline, @{Name='PrinterStatus';Expression={[string]$_.PrinterStatus}}) } catch { $r.PrintersError = $_.Exception.Message; $p = @() }; `,
  `try { $r.Jobs = @($p | ForEach-Object { Get-PrintJob -PrinterObject $_ -ErrorAction Stop } | Select-Object PrinterName, Id, @{Name='JobStatus';Expression={[string]$_.JobStatus}}, @{Name='SubmittedTime';Expression={if ($_.SubmittedTime) { $_.SubmittedTime.ToUniversalTime().ToString('o') }}}) } catch { $r.JobsError = $_.Exception.Message }; `,
  `$r | ConvertTo-Json -Depth 4 -Compress`,
].join('');

/** The one JSON object a script prints; undefined when it is not one. */
function jsonObject(stdout: string): Record<string, unknown> | undefined {
  const list = psJsonObjects(stdout);
  return list?.length === 1 ? list[0] : undefined;
}

const text = (value: unknown) => psString({ value }, 'value');
const objects = (value: unknown) => (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) ? (value as Record<string, unknown>[]) : undefined);

/** ServiceControllerStatus names; by number too (an older script, or the cast lost). */
const STATUS: Record<string, ServiceState> = { Running: 'running', Stopped: 'stopped', StartPending: 'starting', StopPending: 'stopping', ContinuePending: 'starting', PausePending: 'stopping', Paused: 'stopped' };
const STATUS_BY_NUMBER = ['', 'Stopped', 'StartPending', 'StopPending', 'Running', 'ContinuePending', 'PausePending', 'Paused'];
/** ServiceStartMode: Boot 0, System 1, Automatic 2, Manual 3, Disabled 4. */
const START: Record<string, ServiceStartMode> = { Boot: 'auto', System: 'auto', Automatic: 'auto', Manual: 'manual', Disabled: 'disabled' };
const START_BY_NUMBER = ['Boot', 'System', 'Automatic', 'Manual', 'Disabled'];

const named = (value: unknown, byNumber: readonly string[]) => (typeof value === 'number' ? byNumber[value] : text(value));

export interface ServiceCrash {
  at: Date;
  /** the service as the event names it: its display name, in the system's language */
  service: string;
}

export interface WindowsService {
  facts: ServiceFacts;
  /** the Status name as Windows gave it */
  status: string;
  crashes: ServiceCrash[];
}

/** serviceScript's answer; undefined when it is not the documented shape (a status it does not name). */
export function parseService(stdout: string): WindowsService | undefined {
  const value = jsonObject(stdout);
  const name = text(value?.Name);
  const status = named(value?.Status, STATUS_BY_NUMBER);
  const state = status === undefined ? undefined : STATUS[status];
  const crashes = objects(value?.Crashes);
  if (!value || !name || !status || !state || !crashes) return undefined;
  const startType = named(value.StartType, START_BY_NUMBER);
  const displayName = text(value.DisplayName);
  return {
    facts: { name, ...(displayName ? { displayName } : {}), state, startMode: (startType ? START[startType] : undefined) ?? 'unknown' },
    status,
    crashes: crashes.flatMap((c) => {
      const at = parsePsDate(c.TimeCreated);
      const service = text(c.Service);
      return at && service ? [{ at, service }] : [];
    }),
  };
}

export interface WindowsDriver {
  name: string;
  /** "Windows x64", "Windows NT x86": the same name may be installed for two */
  environment: string | undefined;
  manufacturer: string | undefined;
  version: string | undefined;
}

/**
 * MSFT_PrinterDriver.DriverVersion, a UInt64 that packs major.minor.build.revision in 16 bits each
 * (2814750890000385 → 10.0.17134.1); undefined when the text is not a whole number.
 */
export function driverVersion(packed: unknown): string | undefined {
  const digits = typeof packed === 'number' && Number.isSafeInteger(packed) ? String(packed) : text(packed);
  if (!digits || !/^\d{1,20}$/.test(digits)) return undefined;
  const value = BigInt(digits);
  if (value === 0n || value >= 1n << 64n) return undefined;
  return [48n, 32n, 16n, 0n].map((shift) => String((value >> shift) & 0xffffn)).join('.');
}

export interface WindowsPrinter {
  name: string;
  driver: string | undefined;
  port: string | undefined;
  status: string;
  jobCount: number | undefined;
  workOffline: boolean;
}

export interface WindowsJob {
  printer: string;
  id: string;
  submittedAt: Date | undefined;
}

/** SPOOLER_SCRIPT's answer: each part parsed, or the error that part gave (or undefined: its shape is unknown). */
export interface SpoolerAnswer {
  drivers: WindowsDriver[] | { error: string } | undefined;
  printers: WindowsPrinter[] | { error: string } | undefined;
  jobs: WindowsJob[] | { error: string } | undefined;
}

function part<T>(value: Record<string, unknown>, key: string, parse: (item: Record<string, unknown>) => T | undefined): T[] | { error: string } | undefined {
  const error = text(value[`${key}Error`]);
  if (error) return { error };
  const list = objects(value[key]);
  if (!list) return undefined;
  const parsed = list.map(parse);
  return parsed.every((p) => p !== undefined) ? (parsed as T[]) : undefined;
}

export function parseSpooler(stdout: string): SpoolerAnswer | undefined {
  const value = jsonObject(stdout);
  if (!value) return undefined;
  return {
    drivers: part(value, 'Drivers', (d) => {
      const name = text(d.Name);
      return name ? { name, environment: text(d.PrinterEnvironment), manufacturer: text(d.Manufacturer), version: driverVersion(d.DriverVersion) } : undefined;
    }),
    printers: part(value, 'Printers', (p) => {
      const name = text(p.Name);
      const status = typeof p.PrinterStatus === 'number' ? `status ${p.PrinterStatus}` : text(p.PrinterStatus);
      if (!name || !status) return undefined;
      return { name, driver: text(p.DriverName), port: text(p.PortName), status, jobCount: typeof p.JobCount === 'number' ? p.JobCount : undefined, workOffline: p.WorkOffline === true };
    }),
    jobs: part(value, 'Jobs', (j) => {
      const printer = text(j.PrinterName);
      const id = typeof j.Id === 'number' ? String(j.Id) : text(j.Id);
      return printer && id ? { printer, id, submittedAt: parsePsDate(j.SubmittedTime) } : undefined;
    }),
  };
}

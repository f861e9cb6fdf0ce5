// The Windows spooler through PowerShell (PrintManagement module, Windows 8 / Server 2012 and later):
// Get-Service Spooler, Get-Printer, Get-PrintJob, each piped to ConvertTo-Json -Depth 3 -Compress.
// No Windows here: the formats are TRANSCRIBED from Microsoft's documentation (fixtures/windows/,
// each marked so), not recorded. Enums are cast to [string] in the command, so Windows PowerShell 5.1
// and PowerShell 7 (which both render a bare enum as its number) give the same names; dates arrive as
// "\/Date(ms)\/" from 5.1 and ISO 8601 from 7, and both are read. Parsers are pure.
import { commandExchange, runFailure, runTool, type QueueJob, type QueueReading, type ReadContext, type ToolRun } from './observation';

/** A PowerShell single-quoted string: only ' needs escaping (doubled). */
const psQuote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const json = ' | ConvertTo-Json -Depth 3 -Compress';
/** Windows PowerShell writes redirected output in the OEM code page (cp866 on Russian Windows): force UTF-8 for Cyrillic names. */
const UTF8 = '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ';

export function windowsScripts(printer: string): Record<'service' | 'printer' | 'jobs', string> {
  return {
    service: `${UTF8}Get-Service -Name Spooler | Select-Object Name, @{Name='Status';Expression={[string]$_.Status}}${json}`,
    printer: `${UTF8}Get-Printer -Name ${psQuote(printer)} | Select-Object Name, @{Name='PrinterStatus';Expression={[string]$_.PrinterStatus}}, JobCount, WorkOffline, PortName, DriverName${json}`,
    jobs: `${UTF8}Get-PrintJob -PrinterName ${psQuote(printer)} | Select-Object Id, @{Name='JobStatus';Expression={[string]$_.JobStatus}}, SubmittedTime, DocumentName${json}`,
  };
}

export const powershellArgs = (script: string) => ['-NoProfile', '-NonInteractive', '-Command', script];

/** ConvertTo-Json gives one object for one item and an array for several; nothing for none. */
function items(stdout: string): Record<string, unknown>[] | undefined {
  if (stdout.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(stdout.replace(/^\uFEFF/, ''));
    const list = Array.isArray(value) ? value : [value];
    return list.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) ? (list as Record<string, unknown>[]) : undefined;
  } catch {
    return undefined;
  }
}

/** ServiceControllerStatus by number, for output whose enum was not cast (documented values). */
const SERVICE_STATUS = ['', 'Stopped', 'StartPending', 'StopPending', 'Running', 'ContinuePending', 'PausePending', 'Paused'];

/** `Get-Service -Name Spooler`: its status name, or undefined when the answer is not a service. */
export function parseService(stdout: string): string | undefined {
  const [service] = items(stdout) ?? [];
  const status = service?.Status;
  if (typeof status === 'string') return status;
  return typeof status === 'number' ? SERVICE_STATUS[status] : undefined;
}

export interface WindowsPrinter {
  status: string;
  jobCount: number | undefined;
  workOffline: boolean;
  portName: string | undefined;
  driverName: string | undefined;
}

export function parsePrinter(stdout: string): WindowsPrinter | undefined {
  const [printer] = items(stdout) ?? [];
  if (!printer) return undefined;
  const status = typeof printer.PrinterStatus === 'string' ? printer.PrinterStatus : typeof printer.PrinterStatus === 'number' ? `status ${printer.PrinterStatus}` : undefined;
  if (status === undefined) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { status, jobCount: typeof printer.JobCount === 'number' ? printer.JobCount : undefined, workOffline: printer.WorkOffline === true, portName: text(printer.PortName), driverName: text(printer.DriverName) };
}

/** A DateTime from ConvertTo-Json: "/Date(ms)/" (5.1; the JSON text has "\/"), an ISO string (7), or 5.1's {value, DateTime} wrapper. */
export function parsePsDate(value: unknown): Date | undefined {
  const raw = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
  if (typeof raw !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(raw);
  const date = ms ? new Date(Number(ms[1])) : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? new Date(raw) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function parseJobs(stdout: string): QueueJob[] | undefined {
  const list = items(stdout);
  if (!list) return undefined;
  const jobs: QueueJob[] = [];
  for (const job of list) {
    if (typeof job.Id !== 'number' && typeof job.Id !== 'string') return undefined;
    const status = typeof job.JobStatus === 'string' ? job.JobStatus.split(/,\s*/) : [];
    jobs.push({ id: String(job.Id), submittedAt: parsePsDate(job.SubmittedTime), printing: status.includes('Printing') });
  }
  return jobs;
}

const NO_PRINTER = /No MSFT_Printer objects found/;

/** Reads one printer's spooler view: the service, the printer, its jobs (run concurrently). */
export async function readWindowsQueue(ctx: ReadContext, printer: string, powershell = 'powershell.exe'): Promise<QueueReading> {
  const scripts = windowsScripts(printer);
  const [service, info, jobs] = (await Promise.all([scripts.service, scripts.printer, scripts.jobs].map((s) => runTool(ctx, powershell, powershellArgs(s))))) as [ToolRun, ToolRun, ToolRun];
  const status = service.result.kind === 'ok' ? parseService(service.result.stdout) : undefined;
  const details = info.result.kind === 'ok' ? parsePrinter(info.result.stdout) : undefined;
  const jobList = jobs.result.kind === 'ok' ? parseJobs(jobs.result.stdout) : undefined;
  const base = { system: 'windows-spooler' as const, queue: printer };
  const exchanges = [
    commandExchange('Get-Service -Name Spooler', service.command, service.result, status === undefined ? undefined : { status }, service.elapsedMs),
    commandExchange(`Get-Printer -Name ${printer}`, info.command, info.result, details, info.elapsedMs),
    commandExchange(`Get-PrintJob -PrinterName ${printer}`, jobs.command, jobs.result, jobList?.map((j) => ({ id: j.id, submittedAt: j.submittedAt?.toISOString() ?? null, printing: j.printing })), jobs.elapsedMs),
  ];
  if (status === undefined) return { ...base, kind: 'unreadable', reason: runFailure(service) ?? 'Get-Service -Name Spooler gave no service status', exchanges };
  if (status !== 'Running') return { ...base, kind: 'stopped', detail: `the Spooler service is ${status}`, exchanges };
  if (info.result.kind === 'exit' && NO_PRINTER.test(info.result.stderr)) return { ...base, kind: 'no_queue', detail: `Windows has no printer named "${printer}"`, exchanges };
  if (!details || !jobList) {
    const failed = details ? jobs : info;
    return { ...base, kind: 'unreadable', reason: runFailure(failed) ?? `${details ? 'Get-PrintJob' : 'Get-Printer'} answered something this agent cannot read`, exchanges };
  }
  return { kind: 'read', observation: observationOf(printer, details, jobList), exchanges };
}

function observationOf(printer: string, details: WindowsPrinter, jobs: QueueJob[]) {
  const offline = details.workOffline || details.status === 'Offline' || details.status === 'NotAvailable';
  const reasons = [`PrinterStatus ${details.status}`, ...(details.workOffline ? ['WorkOffline (Use Printer Offline)'] : []), ...(details.portName ? [`port ${details.portName}`] : [])];
  return {
    system: 'windows-spooler' as const,
    queue: printer,
    paused: details.status === 'Paused',
    accepting: true,
    offline,
    printing: details.status === 'Printing' || jobs.some((j) => j.printing),
    reasons,
    jobs,
    ...(details.driverName ? { driver: details.driverName } : {}),
  };
}

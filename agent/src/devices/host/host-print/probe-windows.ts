// Windows: the Spooler service and its crashes (one PowerShell start), then, when it runs, its
// drivers, printers and jobs (a second start). Reads only.
import type { HostPrintQueue, PrinterDriverFacts } from '@tillscope/shared';
import type { HostProbeRun } from '../../common/host-report';
import { WINDOWS_TOOL_TIMEOUT_MS, type HostPrintOptions } from './options';
import { parseService, parseSpooler, powershellArgs, serviceScript, SPOOLER_SCRIPT, type WindowsDriver, type WindowsJob, type WindowsPrinter } from './protocol-windows';
import type { SeenDriver } from './drivers-state';
import type { PlatformReading, QueuedJob } from './reading';

/** PrinterStatus names that mean the spooler holds the printer offline (as the print-queue reader reads them). */
const OFFLINE_STATUSES = new Set(['Offline', 'NotAvailable']);

export async function readSpooler(run: HostProbeRun, options: HostPrintOptions): Promise<PlatformReading> {
  const tool = (script: string) => run.tool(options.powershell, powershellArgs(script), { timeoutMs: options.timeoutMs ?? WINDOWS_TOOL_TIMEOUT_MS });
  const serviceRun = await tool(serviceScript(options.windowsService, options.crashWindowHours));
  const service = serviceRun.kind === 'ok' ? parseService(serviceRun.stdout) : undefined;
  const empty: PlatformReading = { system: 'windows-spooler', service: undefined, restarts: undefined, restartLoop: false, drivers: undefined, seenDrivers: undefined, driversComplete: false, queues: undefined, jobs: undefined };
  if (!service) {
    if (serviceRun.kind !== 'ok') run.toolFailed(`services.${options.windowsService}`, `${options.powershell} Get-Service ${options.windowsService}`, serviceRun);
    else run.unchecked(`services.${options.windowsService}`, `Get-Service ${options.windowsService} answered in a form this agent does not know: "${serviceRun.stdout.trim().slice(0, 80)}"`);
    return empty;
  }
  // the event names the service by its display name, in the system's language (the same machine's words as Get-Service's)
  const crashes = service.crashes.filter((c) => c.service === service.facts.displayName || c.service === service.facts.name).length;
  const reading: PlatformReading = { ...empty, service: service.facts, restarts: { kind: 'window', count: crashes } };
  // a spooler that is not running answers no printer query: its drivers stay unread, and say so (an
  // empty list would read as "every driver removed" against the reference)
  if (service.facts.state !== 'running') {
    run.unchecked('drivers', `the ${options.windowsService} service is ${service.status}: its drivers and printers cannot be read`);
    return reading;
  }
  const spoolerRun = await tool(SPOOLER_SCRIPT);
  const spooler = spoolerRun.kind === 'ok' ? parseSpooler(spoolerRun.stdout) : undefined;
  if (!spooler) {
    const why = spoolerRun.kind !== 'ok' ? undefined : `Get-PrinterDriver/Get-Printer/Get-PrintJob answered in a form this agent does not know: "${spoolerRun.stdout.trim().slice(0, 80)}"`;
    for (const fact of ['drivers', 'queues']) {
      if (spoolerRun.kind !== 'ok') run.toolFailed(fact, `${options.powershell} Get-PrinterDriver/Get-Printer/Get-PrintJob`, spoolerRun);
      else run.unchecked(fact, why ?? '');
    }
    return reading;
  }
  const printers = listOrUnchecked(run, 'queues', 'Get-Printer', spooler.printers);
  const drivers = listOrUnchecked(run, 'drivers', 'Get-PrinterDriver', spooler.drivers);
  const jobs = printers ? listOrUnchecked(run, 'queues.jobs', 'Get-PrintJob', spooler.jobs) : undefined;
  const driverFacts = drivers && driversOf(drivers, printers ?? []);
  return {
    ...reading,
    drivers: driverFacts?.facts,
    seenDrivers: driverFacts?.seen,
    driversComplete: driverFacts !== undefined,
    queues: printers && jobs ? printers.map((p) => queueOf(p, jobs)) : undefined,
    jobs: printers && jobs ? jobs.map((j): QueuedJob => ({ queue: j.printer, id: j.id, submittedAt: j.submittedAt })) : undefined,
  };
}

function listOrUnchecked<T>(run: HostProbeRun, fact: string, cmdlet: string, part: T[] | { error: string } | undefined): T[] | undefined {
  if (Array.isArray(part)) return part;
  run.unchecked(fact, part ? `${cmdlet} failed: ${part.error}` : `${cmdlet} answered in a form this agent does not know`);
  return undefined;
}

/**
 * One entry per driver; a name installed for two environments (x64 and the x86 one kept for
 * sharing) is told apart by "[environment]" so each version is tracked on its own.
 */
function driversOf(drivers: readonly WindowsDriver[], printers: readonly WindowsPrinter[]): { facts: PrinterDriverFacts[]; seen: SeenDriver[] } {
  const environments = new Map<string, number>();
  for (const d of drivers) environments.set(d.name, (environments.get(d.name) ?? 0) + 1);
  const facts: PrinterDriverFacts[] = [];
  const seen: SeenDriver[] = [];
  for (const d of drivers) {
    const name = (environments.get(d.name) ?? 0) > 1 && d.environment ? `${d.name} [${d.environment}]` : d.name;
    const queues = printers.filter((p) => p.driver === d.name).map((p) => p.name).slice(0, 16);
    facts.push({ name, ...(d.version ? { version: d.version } : {}), ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}), queues });
    seen.push({ key: `${d.name}|${d.environment ?? ''}`, name, version: d.version });
  }
  return { facts, seen };
}

function queueOf(printer: WindowsPrinter, jobs: readonly WindowsJob[]): HostPrintQueue {
  const own = jobs.filter((j) => j.printer === printer.name);
  const times = own.flatMap((j) => (j.submittedAt ? [j.submittedAt.getTime()] : []));
  return {
    name: printer.name,
    ...(printer.driver ? { driver: printer.driver } : {}),
    ...(printer.port ? { port: printer.port } : {}),
    paused: printer.status === 'Paused',
    offline: printer.workOffline || OFFLINE_STATUSES.has(printer.status),
    jobCount: own.length,
    ...(times.length > 0 ? { oldestJobAt: new Date(Math.min(...times)).toISOString() } : {}),
  };
}

// host-print's probe: read the print system (CUPS or the Windows spooler), turn its jobs, restarts
// and driver versions into waits, crash counts and changes with the probe's memory and saved
// state, judge, and report. Never throws for OS trouble: what it cannot read is `unchecked`.
import type { DeviceReport, PrintSection, ServiceFacts } from '@tillscope/shared';
import type { HostProbeContext } from '../../host-probe';
import { startHostProbeRun, type HostProbeRun } from '../../common/host-report';
import { judgePrint, printStep } from './diagnosis';
import { DriversState, trackDrivers, type DriverChange, type SeenDriver } from './drivers-state';
import type { HostPrintOptions } from './options';
import { readCups } from './probe-linux';
import { readSpooler } from './probe-windows';
import { queueWaits, restartsInWindow, type PlatformReading, type RestartSample } from './reading';

/** What host-print keeps between probes while the agent runs. */
export interface HostPrintMemory {
  /** job key → when this agent first saw the job (ms) */
  firstSeen: Map<string, number>;
  /** systemd's NRestarts over the crash window */
  restartSamples: RestartSample[];
  /** the driver versions last seen and the changes within the hold time; loaded from ctx.state once */
  drivers: DriversState | undefined;
  loaded: boolean;
}

export function createHostPrintMemory(): HostPrintMemory {
  return { firstSeen: new Map(), restartSamples: [], drivers: undefined, loaded: false };
}

const HOUR_MS = 3600_000;
const MAX_LIST = 64;

export async function probeHostPrint(ctx: HostProbeContext<HostPrintOptions, HostPrintMemory>): Promise<DeviceReport> {
  const { options, memory } = ctx;
  const run = startHostProbeRun({ os: ctx.os, signal: ctx.signal, now: ctx.now });
  const windows = options.system === 'windows' || (options.system === 'auto' && ctx.os.platform === 'win32');
  const reading = windows ? await readSpooler(run, options) : await readCups(run, ctx.os, options);
  const now = ctx.now();
  const restarts = reading.restarts?.kind === 'total' ? restartsInWindow(memory.restartSamples, reading.restarts.count, now, options.crashWindowHours * HOUR_MS) : reading.restarts?.count;
  const service = withCrashes(reading.service, restarts, options.crashRestarts);
  const waits = reading.jobs ? queueWaits(reading.jobs, memory.firstSeen, now) : undefined;
  const driverChanges = reading.seenDrivers ? await driverChangesOf(ctx, run, reading.seenDrivers, now) : [];
  const verdict = judgePrint(
    { system: reading.system, service, restarts, restartLoop: reading.restartLoop, waits, driversRead: reading.driversComplete, driverChanges },
    { now, stuckAfterSec: options.stuckAfterSec, crashRestarts: options.crashRestarts, crashWindowHours: options.crashWindowHours },
  );
  const section = sectionOf(reading, service);
  const checklist = [printStep(verdict, run.uncheckedFacts, section)];
  return run.report({ id: 'host-print', section, findings: verdict.findings, checked: verdict.checked, checklist });
}

/** The service with its restart count, "crashing" when it runs but restarted too often within the window. */
function withCrashes(service: ServiceFacts | undefined, restarts: number | undefined, limit: number): ServiceFacts | undefined {
  if (!service || restarts === undefined) return service;
  return { ...service, restarts, ...(service.state === 'running' && restarts >= limit ? { state: 'crashing' as const } : {}) };
}

function sectionOf(reading: PlatformReading, service: ServiceFacts | undefined): PrintSection {
  return {
    section: 'print',
    system: reading.system,
    services: service ? [service] : [],
    drivers: (reading.drivers ?? []).slice(0, MAX_LIST),
    queues: (reading.queues ?? []).slice(0, MAX_LIST),
    unchecked: [],
  };
}

/**
 * The driver changes within the hold time: the versions seen now against those last seen (kept in
 * ctx.state across restarts; in memory only when the agent gives no state store). A save that
 * fails is a fact unchecked: after a restart a change could go unseen.
 */
async function driverChangesOf(ctx: HostProbeContext<HostPrintOptions, HostPrintMemory>, run: HostProbeRun, seen: readonly SeenDriver[], now: Date): Promise<DriverChange[]> {
  const { memory } = ctx;
  if (!memory.loaded) {
    memory.loaded = true;
    const saved = DriversState.safeParse(await ctx.state?.load());
    memory.drivers = saved.success ? saved.data : undefined;
  }
  const tracked = trackDrivers(memory.drivers, seen, now, ctx.options.driverChangedHoldHours * HOUR_MS);
  memory.drivers = tracked.state;
  if (tracked.dirty && ctx.state) {
    try {
      await ctx.state.save(tracked.state);
    } catch (error) {
      run.unchecked('driverChanges.saved', `could not save the driver versions seen (${error instanceof Error ? error.message : String(error)}): after an agent restart a change may go unseen`);
    }
  }
  return tracked.active;
}

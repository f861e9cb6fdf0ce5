// Linux: CUPS through `systemctl show` (start mode, restarts), `lpstat` in the C locale (scheduler,
// queues, jobs) and the queues' PPD files (driver name and version). Reads only.
import type { HostPrintQueue, PrinterDriverFacts, ServiceState } from '@tillscope/shared';
import type { HostProbeRun } from '../../common/host-report';
import type { HostOs } from '../../../os/host-os';
import type { CommandResult } from '../../../os/run-command';
import type { SeenDriver } from './drivers-state';
import { LINUX_TOOL_TIMEOUT_MS, type HostPrintOptions } from './options';
import { cupsService, NO_DESTINATIONS, parseAllJobs, parseDevices, parsePpd, parseQueues, parseScheduler, parseSystemctlShow, unitFacts, unitIsCrashLooping, unitState, type CupsJob, type UnitFacts } from './protocol';
import type { PlatformReading, QueuedJob } from './reading';

const C_LOCALE = { LC_ALL: 'C' } as const;
const UNIT_PROPERTIES = 'LoadState,ActiveState,SubState,UnitFileState,NRestarts,Result';
/** A PPD larger than this is not read (the biggest Gutenprint ones are about 1 MiB). */
const MAX_PPD_BYTES = 4 * 1024 * 1024;
const MAX_PPDS = 64;

export async function readCups(run: HostProbeRun, os: HostOs, options: HostPrintOptions): Promise<PlatformReading> {
  const tool = (file: string, args: string[]) => run.tool(file, args, { timeoutMs: options.timeoutMs ?? LINUX_TOOL_TIMEOUT_MS, env: C_LOCALE });
  const unit = await readUnit(run, tool, options);
  const scheduler = await tool(options.lpstat, ['-r']);
  const running = scheduler.kind === 'ok' ? parseScheduler(scheduler.stdout) : undefined;
  const loop = unit ? unitIsCrashLooping(unit) : false;
  const state: ServiceState = running === false ? 'stopped' : loop ? 'crashing' : running === true ? 'running' : unit ? unitState(unit) : 'unknown';
  if (running === undefined) {
    // systemd may still tell the state; the queues need the scheduler's own answer
    const fact = state === 'unknown' ? `services.${options.cupsUnit}` : 'queues';
    if (scheduler.kind !== 'ok') run.toolFailed(fact, options.lpstat, scheduler);
    else run.unchecked(fact, `lpstat -r answered in a form this agent does not know: "${scheduler.stdout.trim().slice(0, 80)}"`);
  }
  const service = state === 'unknown' && !unit ? undefined : cupsService(options.cupsUnit, state, unit);
  const drivers = await readPpds(run, os, options.ppdDir);
  const queues = running === true ? await readQueues(run, tool, options.lpstat, drivers?.byQueue) : undefined;
  return {
    system: 'cups',
    service,
    restarts: unit?.restarts !== undefined ? { kind: 'total', count: unit.restarts } : undefined,
    restartLoop: loop,
    drivers: drivers?.facts,
    seenDrivers: drivers?.seen,
    driversComplete: drivers?.complete ?? false,
    queues: queues?.queues,
    jobs: queues?.jobs,
  };
}

type Tool = (file: string, args: string[]) => Promise<CommandResult>;

async function readUnit(run: HostProbeRun, tool: Tool, options: HostPrintOptions): Promise<UnitFacts | undefined> {
  const result = await tool(options.systemctl, ['show', options.cupsUnit, '-p', UNIT_PROPERTIES]);
  if (result.kind !== 'ok') {
    // e.g. a container without systemd: "System has not been booted with systemd as init system"
    run.toolFailed(`services.${options.cupsUnit}`, options.systemctl, result);
    return undefined;
  }
  const properties = parseSystemctlShow(result.stdout);
  const unit = properties && unitFacts(properties);
  if (!unit) run.unchecked(`services.${options.cupsUnit}`, `systemctl show answered in a form this agent does not know: "${result.stdout.trim().slice(0, 80)}"`);
  else if (!unit.installed) run.unchecked(`services.${options.cupsUnit}`, `systemd has no unit ${options.cupsUnit}`);
  return unit?.installed ? unit : undefined;
}

interface PpdReading {
  facts: PrinterDriverFacts[];
  seen: SeenDriver[];
  /** queue → the driver's NickName */
  byQueue: Map<string, string>;
  /** every PPD in the folder was read */
  complete: boolean;
}

/** Each `<ppdDir>/<queue>.ppd`: *NickName, *FileVersion, *Manufacturer. Undefined: the folder could not be read. */
async function readPpds(run: HostProbeRun, os: HostOs, dir: string): Promise<PpdReading | undefined> {
  const names = await os.readdir(dir);
  if (names === null) {
    if (await os.exists(dir)) {
      run.unchecked('drivers', `${dir}: cannot be read (the agent's user needs read access, e.g. the group lp)`);
      return undefined;
    }
    return { facts: [], seen: [], byQueue: new Map(), complete: true }; // no CUPS PPD folder: no queue has a driver
  }
  const byDriver = new Map<string, PrinterDriverFacts>();
  const byQueue = new Map<string, string>();
  const unreadable: string[] = [];
  const ppds = names.filter((n) => n.endsWith('.ppd')).sort();
  if (ppds.length > MAX_PPDS) unreadable.push(`${ppds.length - MAX_PPDS} more PPD files not read (at most ${MAX_PPDS})`);
  for (const name of ppds.slice(0, MAX_PPDS)) {
    const queue = name.slice(0, -'.ppd'.length);
    const read = await os.readFile(`${dir}/${name}`, MAX_PPD_BYTES);
    const ppd = read.kind === 'ok' ? parsePpd(read.text) : undefined;
    if (!ppd) {
      unreadable.push(`${name}: ${read.kind === 'ok' ? 'not a PPD this agent can read' : read.kind === 'failed' ? read.message : read.kind.replace('_', ' ')}`);
      continue;
    }
    byQueue.set(queue, ppd.nickName);
    const key = `${ppd.nickName}\u0000${ppd.fileVersion ?? ''}`;
    const driver = byDriver.get(key) ?? { name: ppd.nickName, ...(ppd.fileVersion ? { version: ppd.fileVersion } : {}), ...(ppd.manufacturer ? { manufacturer: ppd.manufacturer } : {}), queues: [] };
    if (driver.queues.length < 16) driver.queues.push(queue);
    byDriver.set(key, driver);
  }
  if (unreadable.length > 0) run.unchecked('drivers', `${dir}: ${unreadable.join('; ')}`);
  const facts = [...byDriver.values()];
  return { facts, seen: facts.map((d) => ({ key: d.name, name: d.name, version: d.version })), byQueue, complete: unreadable.length === 0 };
}

interface QueuesReading {
  queues: HostPrintQueue[];
  jobs: QueuedJob[];
}

/** Every queue with its port, state and jobs; undefined (and unchecked) when lpstat cannot tell. */
async function readQueues(run: HostProbeRun, tool: Tool, lpstat: string, drivers: Map<string, string> | undefined): Promise<QueuesReading | undefined> {
  const devices = await tool(lpstat, ['-v']);
  if (devices.kind === 'exit' && NO_DESTINATIONS.test(devices.stdout + devices.stderr)) return { queues: [], jobs: [] };
  const ports = devices.kind === 'ok' ? parseDevices(devices.stdout) : undefined;
  const states = ports ? await tool(lpstat, ['-l', '-p']) : undefined;
  const parsed = states?.kind === 'ok' ? parseQueues(states.stdout) : undefined;
  const jobsRun = parsed ? await tool(lpstat, ['-o']) : undefined;
  const jobs = parsed && jobsRun?.kind === 'ok' ? parseAllJobs(jobsRun.stdout, parsed.map((q) => q.name)) : undefined;
  if (!ports || !parsed || !jobs) {
    const [failedArgs, failed] = !ports ? ['-v', devices] : !parsed ? ['-l -p', states] : ['-o', jobsRun];
    if (failed && failed.kind !== 'ok') run.toolFailed('queues', `${lpstat} ${failedArgs}`, failed);
    else run.unchecked('queues', `lpstat ${failedArgs} answered in a form this agent does not know`);
    return undefined;
  }
  const queues = parsed.map((q): HostPrintQueue => {
    const own = jobs.filter((j) => j.queue === q.name);
    const oldest = oldestSubmitted(own);
    const driver = drivers?.get(q.name);
    const port = ports.get(q.name);
    return { name: q.name, ...(driver ? { driver } : {}), ...(port ? { port } : {}), paused: q.paused, offline: false, jobCount: own.length, ...(oldest ? { oldestJobAt: oldest.toISOString() } : {}) };
  });
  return { queues, jobs };
}

function oldestSubmitted(jobs: readonly CupsJob[]): Date | undefined {
  const times = jobs.flatMap((j) => (j.submittedAt ? [j.submittedAt.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

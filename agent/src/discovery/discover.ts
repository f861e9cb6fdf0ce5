// Discovery: list the candidates, classify each with the drivers' harmless identification, probe
// what was classified, propose config entries. The drivers are reached only through the registry.
import { DiscoveredClass, DiscoveryResult, type DeviceReport, type DiscoveredPort, type DriverId } from '@tillscope/shared';
import { realpath as fsRealpath } from 'node:fs/promises';
import type { DeviceConfig, DriverRegistry } from '../devices/driver';
import { listSerialPorts } from '../transports/serial/serial-list';
import type { OpenTransport } from '../transports/transport';
import { listCandidates, type ByteCandidate, type Candidate, type ListUsbPrinters, type SerialListing, type ServiceCandidate } from './candidates';
import { classifyPort } from './classify';
import { entryFor, heardDevice, probeOnce, proposeEntry, suggestIds, type ProposeDeps, type ProposedEntry } from './propose';

export interface DiscoverOptions {
  drivers: DriverRegistry;
  /** the configured devices ([] without a config file) */
  devices: readonly DeviceConfig[];
  openTransport: OpenTransport;
  listSerial?: () => Promise<SerialListing>;
  /** serial paths to look at besides the OS's list (a virtual COM port, a pty): `--port` of the CLI */
  extraSerialPaths?: readonly string[];
  /** Default: the usb transport's listing (usb package, /dev/usb/lp*). */
  listUsbPrinters?: ListUsbPrinters;
  realpath?: (path: string) => Promise<string>;
  /**
   * In the running agent: the probe loop's latest reports. Configured ports are then not opened
   * (the probe loop uses them; two users of one port at once is what discovery must never cause)
   * and are reported from their latest probe. Without it (the CLI) configured ports are identified.
   */
  latestReports?: () => readonly DeviceReport[];
  now?: () => Date;
  signal?: AbortSignal;
  /** ports examined at once (default 4): each port's own exchanges are always one at a time */
  concurrency?: number;
}

/** One port's result before the proposed entries get their ids. */
interface PortOutcome {
  port?: DiscoveredPort;
  entry?: ProposedEntry;
  problem?: string;
}

const MAX_STEPS = 16;

export function classOf(driver: DriverId): DiscoveredClass {
  const parsed = DiscoveredClass.safeParse(driver);
  return parsed.success ? parsed.data : 'silent';
}

function portBase(candidate: Candidate): Pick<DiscoveredPort, 'transport' | 'target' | 'osDescription'> {
  const transport = candidate.kind === 'service' ? 'http' : candidate.transport;
  const osDescription = candidate.kind === 'service' ? undefined : candidate.osDescription;
  return { transport, target: candidate.label.slice(0, 200), ...(osDescription ? { osDescription } : {}) };
}

function configuredFromLatest(candidate: Candidate, device: DeviceConfig, latest: readonly DeviceReport[]): PortOutcome {
  const report = latest.find((r) => r.deviceId === device.id);
  const model = report?.identity?.model ?? report?.model ?? device.model;
  const step = `configured as "${device.id}" (${device.driver}): not reopened while the agent probes it; latest probe: ${report?.health ?? 'none yet'}`;
  return {
    port: {
      ...portBase(candidate),
      classification: classOf(device.driver),
      steps: [step.slice(0, 200)],
      configuredAs: device.id,
      ...(model ? { model: model.slice(0, 200) } : {}),
      ...(report ? { probeHealth: report.health } : {}),
    },
  };
}

async function byteOutcome(candidate: ByteCandidate, options: Required<Pick<DiscoverOptions, 'drivers' | 'openTransport'>> & ProposeDeps): Promise<PortOutcome> {
  const verdict = await classifyPort(candidate, options);
  if (verdict.kind === 'absent') return { problem: `${candidate.label}: ${verdict.problem}`.slice(0, 200) };
  const base = { ...portBase(candidate), ...(candidate.configured ? { configuredAs: candidate.configured.id } : {}) };
  if (verdict.kind !== 'matched') return { port: { ...base, classification: verdict.kind, steps: verdict.steps } };
  const steps = [...verdict.steps];
  const port: DiscoveredPort = { ...base, classification: classOf(verdict.driver.id), steps, ...(verdict.model ? { model: verdict.model.slice(0, 200) } : {}) };
  if (candidate.configured) {
    if (candidate.configured.driver !== verdict.driver.id) steps.push(`configured with driver ${candidate.configured.driver}, but the port answers as ${verdict.driver.id}`);
    return { port };
  }
  const proposal = await proposeEntry(verdict.driver, entryFor(verdict.driver, verdict.target, verdict.model), options);
  steps.push(proposal.step);
  const health = proposal.health !== undefined ? { probeHealth: proposal.health } : {};
  return proposal.kind === 'proposed' ? { port: { ...port, ...health }, entry: proposal.entry } : { port: { ...port, ...health } };
}

async function serviceOutcome(candidate: ServiceCandidate, deps: ProposeDeps): Promise<PortOutcome> {
  const report = await probeOnce(candidate.driver, candidate.device, deps);
  const base = { ...portBase(candidate), ...(candidate.configured ? { configuredAs: candidate.configured.id } : {}) };
  if (typeof report === 'string' || !heardDevice(report)) {
    const why = typeof report === 'string' ? report : (report.evidence.transportError ?? 'no request answered');
    return { port: { ...base, classification: 'unreachable', steps: [`${candidate.driver.id} service at ${candidate.label}: ${why}`.slice(0, 200)] } };
  }
  const model = report.identity?.model ?? report.model;
  const answered = report.evidence.exchanges.filter((e) => e.reply !== null).map((e) => e.label);
  const steps = [`${candidate.driver.id} service at ${candidate.label} answered: ${answered.join(', ')}; health ${report.health}`.slice(0, 200)];
  const port: DiscoveredPort = { ...base, classification: classOf(candidate.driver.id), steps, probeHealth: report.health, ...(model ? { model: model.slice(0, 200) } : {}) };
  if (candidate.configured) return { port };
  return { port, entry: entryFor(candidate.driver, undefined, undefined, candidate.device.options) };
}

async function outcomeOf(candidate: Candidate, options: DiscoverOptions, deps: ProposeDeps): Promise<PortOutcome> {
  const latest = options.latestReports?.();
  const configured = candidate.kind === 'listed' ? undefined : candidate.configured;
  if (configured && latest) return configuredFromLatest(candidate, configured, latest);
  switch (candidate.kind) {
    case 'listed':
      return { port: { ...portBase(candidate), classification: 'unreachable', steps: [`listed by the OS, not identified: ${candidate.why}`] } };
    case 'service':
      return serviceOutcome(candidate, deps);
    case 'byte':
      return byteOutcome(candidate, { ...deps, drivers: options.drivers, openTransport: options.openTransport });
  }
}

/** Runs `task` over `items` with at most `limit` at once; results in item order. */
async function inOrderLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Every port, classified, with proposals; never rejects for device or listing trouble. */
export async function discover(options: DiscoverOptions): Promise<DiscoveryResult> {
  const now = options.now ?? (() => new Date());
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = now().toISOString();
  const { candidates, problems } = await listCandidates({
    drivers: options.drivers,
    devices: options.devices,
    listSerial: options.listSerial ?? (() => listSerialPorts()),
    realpath: options.realpath ?? fsRealpath,
    extraSerialPaths: options.extraSerialPaths ?? [],
    listUsbPrinters: options.listUsbPrinters ?? (async () => (await import('../transports/usb/usb-printer-list')).usbPrintersForDiscovery()),
  });
  const deps: ProposeDeps = { drivers: options.drivers, openTransport: options.openTransport, now, signal };
  const outcomes = await inOrderLimited(candidates, options.concurrency ?? 4, (c) => outcomeOf(c, options, deps));
  const entries = suggestIds(
    outcomes.flatMap((o) => (o.entry ? [o.entry] : [])),
    options.devices.map((d) => d.id),
  );
  let proposed = 0;
  const ports = outcomes.flatMap((o) => {
    if (!o.port) return [];
    const port = { ...o.port, steps: o.port.steps.slice(0, MAX_STEPS).map((step) => step.slice(0, 200)) };
    return [o.entry ? { ...port, proposedConfig: entries[proposed++]! } : port];
  });
  return DiscoveryResult.parse({
    startedAt,
    finishedAt: now().toISOString(),
    ports: ports.slice(0, 64),
    problems: [...problems, ...outcomes.flatMap((o) => (o.problem ? [o.problem] : []))].slice(0, 16),
  });
}

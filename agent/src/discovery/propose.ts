// Probe before proposing: a classified port becomes a device entry for the agent config only after
// the entry passed the real config schema and that driver's own probe heard the device.
import type { DeviceHealth, DeviceReport } from '@tillscope/shared';
import { probeContextFor } from '../devices/bind-device';
import { deviceConfigSchema } from '../devices/device-config';
import type { DeviceConfig, DeviceDriver, DriverRegistry } from '../devices/driver';
import type { OpenTransport, TransportTarget } from '../transports/transport';

/** A device entry as the config file takes it: only what differs from the defaults. */
export type ProposedEntry = {
  id: string;
  driver: string;
  transport?:
    | { kind: 'serial'; path: string; baudRate: number }
    | { kind: 'tcp'; host: string; port: number }
    | { kind: 'usb'; path: string }
    | { kind: 'usb'; vendorId: string; productId: string; serialNumber?: string };
  model?: string;
  options?: Record<string, unknown>;
};

export interface ProposeDeps {
  drivers: DriverRegistry;
  openTransport: OpenTransport;
  now: () => Date;
  signal: AbortSignal;
}

export type Proposal =
  | { kind: 'proposed'; entry: ProposedEntry; health: DeviceHealth; step: string }
  | { kind: 'not_proposed'; step: string; health?: DeviceHealth };

/** The id every proposal is probed under; the final ids are given once all ports are done (see suggestIds). */
const PROBE_ID = 'discovered';

export function entryFor(driver: DeviceDriver, target: TransportTarget | undefined, model: string | undefined, options?: Record<string, unknown>): ProposedEntry {
  return {
    id: PROBE_ID,
    driver: driver.id,
    ...(target ? { transport: configTransport(target) } : {}),
    ...(model ? { model: model.slice(0, 100) } : {}),
    ...(options && Object.keys(options).length > 0 ? { options } : {}),
  };
}

/** The transport as the config file takes it: what discovery used, without defaults it did not choose. */
function configTransport(target: TransportTarget): NonNullable<ProposedEntry['transport']> {
  switch (target.kind) {
    case 'serial':
      return { kind: 'serial', path: target.path, baudRate: target.baudRate };
    case 'tcp':
      return { kind: 'tcp', host: target.host, port: target.port };
    case 'usb': {
      // Ids as lsusb prints them ("04b8"), which the config also takes.
      const hex = (id: number | undefined) => (id ?? 0).toString(16).padStart(4, '0'); // both set when there is no path (UsbTarget)
      return target.path !== undefined
        ? { kind: 'usb', path: target.path }
        : { kind: 'usb', vendorId: hex(target.vendorId), productId: hex(target.productId), ...(target.serialNumber ? { serialNumber: target.serialNumber } : {}) };
    }
  }
}


/** True when the probe got at least one answer from the device (not only timeouts and errors). */
export function heardDevice(report: DeviceReport): boolean {
  return report.evidence.exchanges.some((exchange) => exchange.reply !== null);
}

/** Runs `driver`'s probe once on `device`; never rejects (a throwing driver is a step). */
export async function probeOnce(driver: DeviceDriver, device: DeviceConfig, deps: ProposeDeps): Promise<DeviceReport | string> {
  try {
    return await driver.probe(probeContextFor(driver, device, { openTransport: deps.openTransport, now: deps.now, signal: deps.signal }));
  } catch (error) {
    return `probe failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 160);
  }
}

function probeStep(report: DeviceReport): string {
  const answered = report.evidence.exchanges.filter((e) => e.reply !== null).length;
  const findings = report.findings.map((f) => f.code).join(', ') || 'no findings';
  return `probe (${report.driver}): ${answered} of ${report.evidence.exchanges.length} requests answered, health ${report.health} (${findings})`.slice(0, 160);
}

/** Validates `entry` with the config schema, probes it, and proposes it when the device answered. */
export async function proposeEntry(driver: DeviceDriver, entry: ProposedEntry, deps: ProposeDeps): Promise<Proposal> {
  const parsed = deviceConfigSchema(deps.drivers).safeParse(entry);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { kind: 'not_proposed', step: `config check refused the entry: ${issues}`.slice(0, 160) };
  }
  const report = await probeOnce(driver, parsed.data, deps);
  if (typeof report === 'string') return { kind: 'not_proposed', step: report };
  if (!heardDevice(report)) return { kind: 'not_proposed', step: `${probeStep(report)}: not proposed`.slice(0, 160), health: report.health };
  return { kind: 'proposed', entry, health: report.health, step: probeStep(report) };
}

/** `<driver>-<n>`, the lowest n not taken by the config or an earlier proposal, in port order. */
export function suggestIds(entries: readonly ProposedEntry[], taken: Iterable<string>): ProposedEntry[] {
  const used = new Set(taken);
  return entries.map((entry) => {
    let n = 1;
    while (used.has(`${entry.driver}-${n}`)) n += 1;
    const id = `${entry.driver}-${n}`;
    used.add(id);
    return { ...entry, id };
  });
}

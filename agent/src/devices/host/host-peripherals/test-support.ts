// Test helpers of the peripherals probe: fixtures as a register changes (a device unplugged), a
// probe context over a replayed HostOs, configured devices. Used by the *.test.ts beside it only.
import type { DeviceReport, PeripheralsSection } from '@tillscope/shared';
import type { HostOs } from '../../../os/host-os';
import { loadHostFixture, replayHostOs, type HostFixture } from '../../../os/host-os-replay';
import { TransportTarget } from '../../../transports/transport';
import type { DeviceConfig } from '../../device-config';
import type { HostContext, HostProbeStateStore } from '../../host-probe';
import { createPeripheralsMemory, type PeripheralsMemory } from './inventory';
import { PeripheralsOptions } from './options';
import type { PeripheralsContext } from './probe';

export const FIXTURES = new URL('./fixtures', import.meta.url).pathname;
export const fixture = (name: string): HostFixture => loadHostFixture(FIXTURES, name);

const USB = '/sys/bus/usb/devices';

/**
 * The Linux fixture with a USB device gone, as the kernel leaves sysfs after an unplug: its entry
 * and its interfaces' entries, the nodes its drivers made, their /sys/class/tty entries and the
 * by-id links to them.
 */
export function unplugLinux(from: HostFixture, device: string, nodes: readonly string[]): HostFixture {
  const next = structuredClone(from);
  next.dirs[USB] = (next.dirs[USB] ?? []).filter((n) => n !== device && !n.startsWith(`${device}:`));
  const ttys = nodes.filter((n) => n.startsWith('/dev/tty')).map((n) => n.slice('/dev/'.length));
  next.dirs['/sys/class/tty'] = (next.dirs['/sys/class/tty'] ?? []).filter((n) => !ttys.includes(n));
  for (const [link, target] of Object.entries(next.links)) if (nodes.includes(target)) delete next.links[link];
  const byId = '/dev/serial/by-id';
  if (next.dirs[byId]) next.dirs[byId] = next.dirs[byId].filter((n) => `${byId}/${n}` in next.links);
  for (const node of nodes) delete next.files[node];
  return next;
}

export function configured(id: string, driver: DeviceConfig['driver'], transport: unknown, model?: string): DeviceConfig {
  return { id, driver, transport: TransportTarget.parse(transport), options: {}, ...(model ? { model } : {}) };
}

export interface Rig {
  /** a look's context over a replayed fixture, or over a HostOs (the real one) */
  ctx: (source: HostFixture | HostOs) => PeripheralsContext;
  memory: PeripheralsMemory;
  setTradingHours(open: boolean): void;
}

/** One register's probe across several looks: the same memory, a clock that moves a minute per look. */
export function rig(devices: DeviceConfig[] = [], options: Partial<PeripheralsOptions> = {}, state?: HostProbeStateStore): Rig {
  const memory = createPeripheralsMemory();
  let trading = true;
  let clock = Date.parse('2026-11-30T09:00:00.000Z');
  const host: HostContext = { isTradingHours: () => trading, devices, fiscalAttached: false, agentVersion: 'test', configFiles: [] } as HostContext;
  return {
    memory,
    setTradingHours: (open) => void (trading = open),
    ctx: (source) => {
      clock += 60_000;
      const at = clock;
      const os = 'run' in source ? source : replayHostOs(source);
      return { options: PeripheralsOptions.parse(options), memory, os, host, now: () => new Date(at), signal: new AbortController().signal, ...(state ? { state } : {}) };
    },
  };
}

export function sectionOf(report: DeviceReport): PeripheralsSection {
  if (report.host?.section !== 'peripherals') throw new Error(`not a peripherals report: ${JSON.stringify(report.host)}`);
  return report.host;
}

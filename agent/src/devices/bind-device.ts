// Where a configured device meets its driver: options parsed by the driver's schema, the
// device's memory made once, and the contexts its probes and watch get.
import type { DeviceReport } from '@tillscope/shared';
import type { Logger } from '../logger';
import type { OpenTransport } from '../transports/transport';
import { endpointOf, type Endpoint } from './common/report';
import type { DeviceConfig } from './device-config';
import type { DeviceDriver, DeviceWatch, ProbeContext, WatchContext } from './driver';

/** What the probe loop supplies to every probe. */
export interface ProbeBase {
  openTransport: OpenTransport;
  now: () => Date;
  signal: AbortSignal;
}

/** What the probe loop supplies to a watch. */
export interface WatchBase {
  openTransport: OpenTransport;
  now: () => Date;
  logger: Logger;
  onReport: (report: DeviceReport) => void;
}

/** A driver's watch of a bound device: its probes go through the watch's connection. */
export interface BoundWatch {
  probe(base: ProbeBase): Promise<DeviceReport>;
  stop(): Promise<void>;
}

/** A device bound to its driver for the life of the agent: its options parsed, its memory made. */
export interface BoundDevice {
  readonly device: DeviceConfig;
  readonly driver: DeviceDriver;
  readonly endpoint: Endpoint;
  probe(base: ProbeBase): Promise<DeviceReport>;
  /** The driver's watch, if it has one and the device's options ask for it. */
  watch(base: WatchBase): BoundWatch | undefined;
}

/** Options the driver's schema refuses (a config that skipped validation, e.g. in a test). */
export class DeviceOptionsError extends Error {
  override name = 'DeviceOptionsError';
}

/**
 * Binds `device` to `driver`. Throws DeviceOptionsError when the options fail the driver's schema,
 * naming the field (`options.status: ...`); a config from loadConfig has passed that check already.
 */
export function bindDevice<Options, Memory>(driver: DeviceDriver<Options, Memory>, device: DeviceConfig): BoundDevice {
  const options = parseOptions(driver, device);
  const memory = driver.createMemory();
  const endpoint = endpointOf(device, driver.serviceUrl?.(options));
  const probeContext = (base: ProbeBase): ProbeContext<Options, Memory> => ({ ...base, device, options, memory, endpoint });
  return {
    device,
    driver,
    endpoint,
    probe: (base) => driver.probe(probeContext(base)),
    watch(base) {
      const context: WatchContext<Options, Memory> = { ...base, device, options, memory, endpoint };
      const watch: DeviceWatch<Options, Memory> | undefined = driver.watch?.(context);
      if (!watch) return undefined;
      return { probe: (probeBase) => watch.probe(probeContext(probeBase)), stop: () => watch.stop() };
    },
  };
}

/**
 * A ProbeContext for one probe of `device`, with fresh memory: for tests and tools that probe a
 * device once, outside the probe loop.
 */
export function probeContextFor<Options, Memory>(driver: DeviceDriver<Options, Memory>, device: DeviceConfig, base: ProbeBase): ProbeContext<Options, Memory> {
  const options = parseOptions(driver, device);
  return { ...base, device, options, memory: driver.createMemory(), endpoint: endpointOf(device, driver.serviceUrl?.(options)) };
}

function parseOptions<Options>(driver: DeviceDriver<Options, unknown>, device: DeviceConfig): Options {
  const parsed = driver.options.safeParse(device.options);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `options${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
  throw new DeviceOptionsError(`device ${device.id}: ${issues.join('; ')}`);
}

/** The endpoint of a device for inventory, without binding it (no memory made); never throws. */
export function deviceEndpoint(device: DeviceConfig, driver: DeviceDriver | undefined): Endpoint {
  if (device.transport || !driver?.serviceUrl) return endpointOf(device);
  const parsed = driver.options.safeParse(device.options);
  return endpointOf(device, parsed.success ? driver.serviceUrl(parsed.data) : undefined);
}

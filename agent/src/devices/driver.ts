import type { DeviceKind, DeviceReport, DiagnosisCode, DriverId, TransportKind } from '@tillscope/shared';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { OpenTransport, TransportPort } from '../transports/transport';
import type { Endpoint } from './common/report';
import type { DeviceConfig } from './device-config';

export type { DeviceConfig } from './device-config';

/** What every probe gets, whatever the driver. */
export interface ProbeContext<Options = unknown, Memory = unknown> {
  /** The device as configured: id, driver, model, `transport` (absent for drivers reached over 'http'), raw `options`. */
  device: DeviceConfig;
  /** `device.options` parsed by the driver's own `options` schema (defaults applied). */
  options: Options;
  /**
   * This device's memory across probes, made once by `driver.createMemory()` when the agent
   * starts and kept until it stops (not across restarts: nothing is persisted). The driver may
   * mutate it; probes of one device never overlap, so no locking is needed.
   */
  memory: Memory;
  /** How the device is reached, for evidence: the transport and target, or 'http' and the service URL. */
  endpoint: Endpoint;
  /**
   * Opens `device.transport`; the driver closes what it opened before returning, whatever happens.
   * Unused by drivers reached over 'http' (they talk to their service themselves).
   */
  openTransport: OpenTransport;
  now: () => Date;
  /** Aborted when the agent stops or the probe's hard deadline passes. */
  signal: AbortSignal;
}

export interface WatchContext<Options = unknown, Memory = unknown> {
  device: DeviceConfig;
  options: Options;
  /** The same per-device memory the device's probes get. */
  memory: Memory;
  endpoint: Endpoint;
  openTransport: OpenTransport;
  now: () => Date;
  logger: Logger;
  /**
   * A report the device's own status message produced (a change it announced, or what the watch
   * learned when its connection dropped). The probe loop reports it at once when findings changed.
   * Never throws.
   */
  onReport: (report: DeviceReport) => void;
}

/**
 * A device driver: one folder devices/<kind>/<driver>/ with the fixed files (index.ts exporting
 * this object, protocol.ts, probe.ts, diagnosis.ts, options.ts, README.md, quality.yaml,
 * fixtures/, tests; see devices/README.md). Named only in registry.ts.
 *
 * Contract:
 * - `probe` never throws for device trouble: a device that does not answer, answers garbage or
 *   vanishes mid-read is a report with findings (e.g. printer.no_reply) and evidence, not an
 *   error. What it throws anyway becomes a report with health 'unknown' in the probe loop.
 * - `probe` closes every port it opened before it settles, and stops promptly when `ctx.signal`
 *   aborts (the loop moves on at the deadline regardless).
 * - every finding's code is in `codes` (registry.test.ts and the driver's diagnosis test check it).
 * - the options the config gives are validated by `options` when the config is loaded; a bad one
 *   stops the agent with a ConfigError naming `devices.<n>.options.<field>`.
 *
 * @example
 * export const myDriver: DeviceDriver<MyOptions, MyMemory> = {
 *   id: 'my-driver', kind: 'fiscal', transports: ['serial', 'tcp'], codes: MY_CODES,
 *   options: MyOptions, createMemory: () => ({ firstSeen: new Map() }),
 *   probe: (ctx) => probeMine(ctx),
 * };
 */
export interface DeviceDriver<Options = unknown, Memory = unknown> {
  readonly id: DriverId;
  readonly kind: DeviceKind;
  /**
   * How the device can be reached. Byte transports ('tcp', 'serial') come from `device.transport`,
   * which the config then requires and checks against this list. `['http']` means the driver talks
   * to a local service itself (URL in its options): the config has no `transport`, `openTransport`
   * is not used, and `serviceUrl` names the evidence target.
   */
  readonly transports: readonly TransportKind[];
  /** The port a `tcp` transport without one gets (escpos 9100, shtrih-m 7778); else TcpTarget's default 9100. */
  readonly defaultTcpPort?: number;
  /** Every diagnosis code this driver's findings can carry; each is in shared's catalogue. */
  readonly codes: readonly DiagnosisCode[];
  /** The zod schema of `device.options` (a strict object with defaults, exported from options.ts). */
  readonly options: z.ZodType<Options>;
  /**
   * Keys an old config file had at the top level of a device that now live in this driver's
   * options (escpos: `status`). The config moves them into `options` before validating.
   */
  readonly movedToOptions?: readonly string[];
  /** A new device's memory (see ProbeContext.memory); `() => undefined` for a driver that needs none. */
  createMemory(): Memory;
  /** For drivers reached over 'http': the service URL, shown as evidence target and in inventory. */
  serviceUrl?(options: Options): string;
  probe(ctx: ProbeContext<Options, Memory>): Promise<DeviceReport>;
  /**
   * How discovery (agent/src/discovery/) tells this driver's devices on an unknown port, without
   * naming the driver. Optional: a driver without it is never proposed for a byte port (drivers
   * reached over 'http' are recognised by a probe of their service instead).
   */
  readonly identification?: DeviceIdentifier;
  /**
   * For a device configured to report by itself (escpos `options.status: "asb"`), starts watching
   * it; undefined when the config does not ask for it. Optional: drivers without such a mode are
   * polled only.
   */
  watch?(ctx: WatchContext<Options, Memory>): DeviceWatch<Options, Memory> | undefined;
}

/** What one identification exchange on a port made of it. */
export interface Identification {
  /** true when the answers are this driver's protocol (a frame, a pattern): not merely "some bytes came back" */
  matched: boolean;
  /**
   * What was sent and what came back, in order, in plain English with hex bytes
   * ("ENQ → 15 (NAK): Shtrih-M idle"), also when nothing matched. At most 8, each ≤ 160 chars.
   */
  steps: string[];
  /** The model the device named (printable ASCII, trimmed), when it did. Untrusted text. */
  model?: string;
}

/**
 * The identification part of the driver contract (agent/src/discovery/README.md).
 *
 * Contract:
 * - `identify` sends only harmless requests: read-only, documented for its family, nothing that
 *   prints, cuts, opens a drawer, resets or changes a setting; it waits for each answer before
 *   the next request.
 * - it never throws for device trouble and resolves promptly when `signal` aborts; it leaves the
 *   port open (discovery opened it and closes it).
 * - discovery runs the identifiers of every driver on a port in ascending `order` and stops at the
 *   first match, so a lower order hears the port first. Fiscal registers come first (order < 100,
 *   registry.test.ts checks it): bytes meant for a printer must never reach a fiscal register,
 *   while the fiscal handshake (Shtrih-M ENQ) is ignored by printers or answered with a status.
 */
export interface DeviceIdentifier {
  /** Fiscal drivers below 100, printers from 100 up; ties are not allowed. */
  readonly order: number;
  /**
   * Serial baud rates to try, most likely first: the family's documented defaults only (see the
   * driver's README for their confidence). Every rate of a lower order is tried before any rate of
   * a higher one.
   */
  readonly serialBaudRates: readonly number[];
  identify(port: TransportPort, signal: AbortSignal): Promise<Identification>;
}

/** Identifiers of fiscal drivers are ordered below this; printers' at or above it. */
export const FIRST_PRINTER_ORDER = 100;

/** Every registered driver, by id: what createDriverRegistry() returns. */
export type DriverRegistry = ReadonlyMap<DriverId, DeviceDriver>;

/** createMemory for a driver that keeps nothing between probes. */
export function noMemory(): undefined {
  return undefined;
}

/**
 * A long-lived watch on one device. While it runs, the probe loop sends every probe of that
 * device through `probe`, so the watch decides which connection a probe uses (its held one, or
 * one of its own). Like DeviceDriver.probe, `probe` never throws for device trouble; `stop`
 * closes what the watch holds and never rejects.
 */
export interface DeviceWatch<Options = unknown, Memory = unknown> {
  probe(ctx: ProbeContext<Options, Memory>): Promise<DeviceReport>;
  stop(): Promise<void>;
}

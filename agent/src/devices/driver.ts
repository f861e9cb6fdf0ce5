import type { DeviceKind, DeviceReport, DriverId, TransportKind } from '@tillscope/shared';
import { z } from 'zod';
import type { Logger } from '../logger';
import { TransportTarget, type OpenTransport } from '../transports/transport';

/**
 * How the agent learns a device's status: `poll` (default) asks on a timer over a connection
 * opened for each probe; `asb` also holds one connection open and has the printer report every
 * change itself (ESC/POS Automatic Status Back, see the escpos driver's README before using it).
 */
export const StatusMode = z.enum(['poll', 'asb'], { error: 'must be "poll" (the default) or "asb" (ESC/POS Automatic Status Back)' });
export type StatusMode = z.infer<typeof StatusMode>;

/** One device as the agent config names it. */
export const DeviceConfig = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  driver: z.enum(['escpos']),
  transport: TransportTarget,
  /** optional human label, e.g. "Epson TM-T20II" */
  model: z.string().max(100).optional(),
  /** optional; absent means `poll` */
  status: StatusMode.optional(),
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;

export interface ProbeContext {
  device: DeviceConfig;
  /** Opens the device's transport; the driver closes it before returning, whatever happens. */
  openTransport: OpenTransport;
  now: () => Date;
  /** Aborted when the agent stops or the probe's hard deadline passes. */
  signal: AbortSignal;
}

/**
 * A device driver: one folder under devices/<kind>/<driver>/ with protocol.ts (pure codec),
 * probe.ts (transport + codec), diagnosis.ts (decoded status to findings and checklist),
 * fixtures/ and tests. Listed once in registry.ts.
 *
 * `probe` never throws for device trouble: a device that does not answer, answers garbage or
 * vanishes mid-read is a report with findings (e.g. printer.no_reply) and evidence, not an error.
 */
export interface DeviceDriver {
  id: DriverId;
  kind: DeviceKind;
  transports: readonly TransportKind[];
  probe(ctx: ProbeContext): Promise<DeviceReport>;
  /**
   * For a device configured to report by itself (`status: "asb"`), starts watching it; undefined
   * when the config does not ask for it. Optional: drivers without such a mode are polled only.
   */
  watch?(ctx: WatchContext): DeviceWatch | undefined;
}

export interface WatchContext {
  device: DeviceConfig;
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
 * A long-lived watch on one device. While it runs, the probe loop sends every probe of that
 * device through `probe`, so the watch decides which connection a probe uses (its held one, or
 * one of its own). Like DeviceDriver.probe, `probe` never throws for device trouble; `stop`
 * closes what the watch holds and never rejects.
 */
export interface DeviceWatch {
  probe(ctx: ProbeContext): Promise<DeviceReport>;
  stop(): Promise<void>;
}

import type { DeviceKind, DeviceReport, DriverId, TransportKind } from '@tillscope/shared';
import { z } from 'zod';
import { TransportTarget, type OpenTransport } from '../transports/transport';

/** One device as the agent config names it. */
export const DeviceConfig = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  driver: z.enum(['escpos']),
  transport: TransportTarget,
  /** optional human label, e.g. "Epson TM-T20II" */
  model: z.string().max(100).optional(),
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
}

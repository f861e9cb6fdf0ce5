// A device as the agent config names it, validated against the driver registry: the driver must
// be registered, the transport one the driver supports, and the options its own schema's.
import { DriverId } from '@tillscope/shared';
import { z } from 'zod';
import { PrintQueueConfig } from '../os/print-queue/reader';
import { TransportTarget } from '../transports/transport';
import type { DriverRegistry } from './driver';

const DeviceFields = (drivers: DriverRegistry) =>
  z.object({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    driver: z.enum(DriverId.options, { error: `must be one of: ${[...drivers.keys()].map((id) => `"${id}"`).join(', ')}` }),
    /** The device's byte port; absent for a driver reached through a local service (transports ['http']). */
    transport: TransportTarget.optional(),
    /** optional human label, e.g. "Epson TM-T20II" */
    model: z.string().max(100).optional(),
    /** The driver's own settings, validated by its options schema (see the driver's README). */
    options: z.record(z.string(), z.unknown()).default({}),
    /** Receipt printers only: the printer's OS print queue (CUPS, Windows spooler), read beside every probe. */
    printQueue: PrintQueueConfig.optional(),
  });

/** A configured device; `options` is still raw here: bindDevice() parses it with the driver's schema. */
export type DeviceConfig = z.output<ReturnType<typeof DeviceFields>>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema of one device in the config file, for the drivers of `drivers`. Issues name the
 * field relative to the device (`options.status`, `transport.kind`); the config prefixes `devices.<n>`.
 */
export function deviceConfigSchema(drivers: DriverRegistry) {
  const driverOf = (id: unknown) => [...drivers.values()].find((d) => d.id === id);
  return z.preprocess(
    (raw, ctx) => {
      const driver = driverOf(isRecord(raw) ? raw.driver : undefined);
      return isRecord(raw) && driver ? withDefaultTcpPort(moveToOptions(raw, driver.movedToOptions ?? [], ctx), driver.defaultTcpPort) : raw;
    },
    DeviceFields(drivers).superRefine((device, ctx) => {
      const driver = drivers.get(device.driver);
      if (!driver) {
        ctx.addIssue({ code: 'custom', path: ['driver'], message: `driver "${device.driver}" is not in this agent (it has: ${[...drivers.keys()].join(', ')})` });
        return;
      }
      const byteKinds = driver.transports.filter((kind) => kind !== 'http');
      if (device.transport === undefined && !driver.transports.includes('http')) {
        ctx.addIssue({ code: 'custom', path: ['transport'], message: `required for driver "${driver.id}" (kind ${byteKinds.join(' or ')})` });
      } else if (device.transport !== undefined && byteKinds.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['transport'],
          message: `driver "${driver.id}" is reached through its local HTTP service (URL in options), not a port: remove "transport"`,
        });
      } else if (device.transport !== undefined && !byteKinds.includes(device.transport.kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['transport', 'kind'],
          message: `driver "${driver.id}" supports ${byteKinds.map((k) => `"${k}"`).join(' or ')}, not "${device.transport.kind}"`,
        });
      }
      if (device.printQueue && driver.kind !== 'receipt-printer') {
        ctx.addIssue({ code: 'custom', path: ['printQueue'], message: `only a receipt printer has an OS print queue; driver "${driver.id}" is a ${driver.kind} driver` });
      }
      const options = driver.options.safeParse(device.options);
      if (!options.success) {
        for (const issue of options.error.issues) ctx.addIssue({ code: 'custom', path: ['options', ...issue.path], message: issue.message });
      }
    }),
  );
}

/** Old config files: keys that moved into the driver's options are moved there. */
function moveToOptions(raw: Record<string, unknown>, moved: readonly string[], ctx: { issues: z.core.$ZodRawIssue[] }): Record<string, unknown> {
  if (!moved.some((key) => key in raw)) return raw;
  if (raw.options !== undefined && !isRecord(raw.options)) return raw;
  const device: Record<string, unknown> = { ...raw };
  const options: Record<string, unknown> = isRecord(raw.options) ? { ...raw.options } : {};
  for (const key of moved.filter((k) => k in raw)) {
    if (key in options) ctx.issues.push({ code: 'custom', path: [key], input: raw[key], message: `set both here and in options.${key}; keep options.${key} only` });
    else options[key] = raw[key];
    delete device[key];
  }
  return { ...device, options };
}

/** A TCP transport without a port gets the driver's own (a fiscal register's is not a printer's 9100). */
function withDefaultTcpPort(raw: Record<string, unknown>, port: number | undefined): Record<string, unknown> {
  const transport = raw.transport;
  if (port === undefined || !isRecord(transport) || transport.kind !== 'tcp' || transport.port !== undefined) return raw;
  return { ...raw, transport: { ...transport, port } };
}

/**
 * Where two configured devices would share one port: bytes meant for one would reach the other
 * (ESC/POS status requests to a fiscal register). Serial by path, TCP by host:port (host compared
 * case-insensitively); USB is left to its own matching. One message per clash, naming both.
 */
export function sharedPortIssues(devices: readonly Pick<DeviceConfig, 'id' | 'transport'>[]): { index: number; message: string }[] {
  const owner = new Map<string, string>();
  const issues: { index: number; message: string }[] = [];
  devices.forEach((device, index) => {
    const key = portKey(device.transport);
    if (key === undefined) return;
    const first = owner.get(key);
    if (first === undefined) owner.set(key, device.id);
    else issues.push({ index, message: `devices "${first}" and "${device.id}" are both on ${key}: one port, one device (bytes for one would reach the other)` });
  });
  return issues;
}

function portKey(transport: DeviceConfig['transport']): string | undefined {
  if (transport?.kind === 'serial') return `serial port ${transport.path}`;
  if (transport?.kind === 'tcp') return `tcp ${transport.host.toLowerCase()}:${transport.port}`;
  return undefined;
}

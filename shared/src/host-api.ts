import { z } from 'zod';
import { DriverId } from './protocol/device';
import {
  ClockSection, EventsSection, FiscalStackId, OsSection, PeripheralsSection, PosAppId, PosSection, PrintSection,
  ServiceStartMode, ServiceState, UsbId,
} from './protocol/host';
import { BundleSummary } from './protocol/bundle';

// REST shapes of the register's host facts, reference images (эталоны), drift and diagnostics
// bundles (issue 10; docs/api.md "Host, references and bundles"). The console computes drift
// (console/server/src/host/); the renderer shows it. Every string that came from a register is
// untrusted: shown as text.

const text = (max: number) => z.string().max(max);
const when = z.iso.datetime();

/** A section as the console last received it. */
const seen = <T extends z.ZodTypeAny>(section: T) => z.object({ facts: section, reportedAt: when, driver: DriverId });

/**
 * What a reference expects. Every list is "these must be present as stated"; something the register
 * has beyond them is not drift (a register may carry more drivers than its reference names).
 * A field left out is not compared (a service with no `startMode` is compared on its state only).
 */
export const ReferenceSpec = z.object({
  /** the OS build, compared exactly ("10.0.19045", "22.04") */
  osBuild: text(64).optional(),
  drivers: z.array(z.object({ name: text(200), version: text(64).optional() })).max(64).default([]),
  services: z.array(z.object({ name: text(128), state: ServiceState.optional(), startMode: ServiceStartMode.optional() })).max(32).default([]),
  posApps: z.array(z.object({ id: PosAppId, version: text(64).optional(), running: z.boolean().optional() })).max(8).default([]),
  fiscalStack: z.array(z.object({ id: FiscalStackId, version: text(64).optional() })).max(8).default([]),
  peripherals: z.array(z.object({ vendorId: UsbId, productId: UsbId, name: text(120) })).max(32).default([]),
  configFiles: z.array(z.object({ name: text(64), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(16).default([]),
});
export type ReferenceSpec = z.infer<typeof ReferenceSpec>;

/**
 * Which registers a reference is for: a register model (the machine model its OS reports, as in
 * OsSection `machine.model`), a store format (the stores listed), or both. A register takes the
 * most specific reference that matches: model and stores, then stores, then model; ties go to the
 * newest.
 */
export const ReferenceScope = z
  .object({
    machineModel: text(128).optional(),
    /** the store format's name as people say it ("магазин у дома") */
    storeFormat: text(64).optional(),
    storeIds: z.array(text(64)).max(2000).default([]),
  })
  .refine((scope) => scope.machineModel !== undefined || scope.storeIds.length > 0, 'a reference needs a machine model or at least one store');
export type ReferenceScope = z.infer<typeof ReferenceScope>;

export const DriftKind = z.enum([
  'os_build',
  'driver_missing',
  'driver_version',
  'service_missing',
  'service_state',
  'service_start_mode',
  'pos_app_missing',
  'pos_app_version',
  'pos_app_not_running',
  'fiscal_stack_missing',
  'fiscal_stack_version',
  'peripheral_missing',
  'config_missing',
  'config_changed',
]);
export type DriftKind = z.infer<typeof DriftKind>;

/** One difference between a register and its reference, with both values. */
export const DriftDifference = z.object({
  kind: DriftKind,
  /** what differs: the driver, service, program, device or file name */
  subject: text(200),
  expected: text(200),
  /** null: absent on the register */
  actual: text(200).nullable(),
});
export type DriftDifference = z.infer<typeof DriftDifference>;

/** A register against its reference. `unchecked`: sections the register has not reported, so not compared. */
export const RegisterDrift = z.object({
  referenceId: z.number().int().positive(),
  referenceName: text(120),
  comparedAt: when,
  differences: z.array(DriftDifference).max(256),
  unchecked: z.array(text(64)).max(8).default([]),
});
export type RegisterDrift = z.infer<typeof RegisterDrift>;

/** GET /api/registers/:agentId/host: the register's host facts by section, and its drift (null: no reference applies). */
export const RegisterHost = z.object({
  agentId: z.string(),
  os: seen(OsSection).nullable(),
  clock: seen(ClockSection).nullable(),
  print: seen(PrintSection).nullable(),
  peripherals: seen(PeripheralsSection).nullable(),
  pos: seen(PosSection).nullable(),
  events: seen(EventsSection).nullable(),
  drift: RegisterDrift.nullable(),
});
export type RegisterHost = z.infer<typeof RegisterHost>;

export const ReferenceSummary = z.object({
  id: z.number().int().positive(),
  name: text(120),
  scope: ReferenceScope,
  createdBy: z.string(),
  updatedAt: when,
  /** registers this reference applies to, by outcome */
  matching: z.number().int().nonnegative(),
  differing: z.number().int().nonnegative(),
  /** applies, but the register has not reported its host facts yet */
  unknown: z.number().int().nonnegative(),
});
export type ReferenceSummary = z.infer<typeof ReferenceSummary>;

export const ReferenceList = z.object({ references: z.array(ReferenceSummary) });
export type ReferenceList = z.infer<typeof ReferenceList>;

/** GET /api/references/:id: the reference, and each register it applies to with its differences. */
export const ReferenceDetail = ReferenceSummary.extend({
  spec: ReferenceSpec,
  registers: z.array(
    z.object({
      agentId: z.string(),
      storeId: z.string(),
      registerId: z.string(),
      differences: z.array(DriftDifference).nullable(),
      comparedAt: when.nullable(),
    }),
  ),
});
export type ReferenceDetail = z.infer<typeof ReferenceDetail>;

/** POST /api/references and PUT /api/references/:id (admins). */
export const ReferenceRequest = z.object({
  name: z.string().trim().min(1).max(120),
  scope: ReferenceScope,
  spec: ReferenceSpec,
});
export type ReferenceRequest = z.infer<typeof ReferenceRequest>;

/** POST /api/references/from-register (admins): the register's current state becomes a reference. */
export const PromoteRegisterRequest = z.object({
  agentId: z.string().min(1).max(140),
  name: z.string().trim().min(1).max(120),
  scope: ReferenceScope,
});
export type PromoteRegisterRequest = z.infer<typeof PromoteRegisterRequest>;

/** A bundle stored on a ticket (GET /api/tickets/:id/bundles). Download: GET /api/bundles/:bundleId. */
export const StoredBundle = BundleSummary.extend({
  agentId: z.string(),
  ticketId: z.number().int().positive().nullable(),
  requestedBy: z.string().nullable(),
  receivedAt: when,
});
export type StoredBundle = z.infer<typeof StoredBundle>;

export const TicketBundles = z.object({
  bundles: z.array(StoredBundle),
  /** a collect_bundle command sent and not answered yet */
  pending: z.object({ commandId: z.string(), requestedBy: z.string(), requestedAt: when }).nullable(),
  /** the newest request the agent answered with an error, when newer than the newest bundle */
  failed: z.object({ commandId: z.string(), code: z.string(), message: z.string(), completedAt: when }).nullable(),
});
export type TicketBundles = z.infer<typeof TicketBundles>;

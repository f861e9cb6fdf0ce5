import { z } from 'zod';
import { ChecklistAnswer } from './catalogue/checklist';
import { DiagnosisCode, Severity } from './catalogue/codes';
import { GroupId, Priority, ServiceCategory, SupportLine } from './catalogue/service';
import { StoreId, RegisterId } from './protocol/agent-messages';
import { DeviceKind, DriverId, Evidence } from './protocol/device';
import { DeviceIdentity } from './protocol/fiscal';

// REST shapes of the second line's working day (issue 11): groups and routing, SLA targets and
// store calendars, noise settings, maintenance windows, ticket moves and the vendor hand-off pack.
// Admin-only writes are marked; engineers read. docs/api.md lists the routes.

const isoInstant = z.iso.datetime();
const localized = (max: number) => z.object({ ru: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });

// --- groups and routing ----------------------------------------------------------------------------

export const SupportGroup = z.object({
  id: GroupId,
  title: localized(80),
  line: SupportLine,
  /** an archived group takes no new tickets and is hidden from pickers; its history stays */
  archived: z.boolean(),
  /** usernames of the engineers in the group */
  members: z.array(z.string()),
});
export type SupportGroup = z.infer<typeof SupportGroup>;

/** GET /api/groups */
export const GroupList = z.object({ groups: z.array(SupportGroup) });
export type GroupList = z.infer<typeof GroupList>;

/** PUT /api/groups/:id (admin): creates or edits a group. */
export const UpsertGroupRequest = z.object({ title: localized(80), line: SupportLine, archived: z.boolean().default(false) });
export type UpsertGroupRequest = z.input<typeof UpsertGroupRequest>;

/** PUT /api/users/:username/groups (admin): the groups an engineer belongs to. */
export const UpdateUserGroupsRequest = z.object({ groups: z.array(GroupId).max(16) });
export type UpdateUserGroupsRequest = z.infer<typeof UpdateUserGroupsRequest>;

export const RoutingRule = z.object({
  code: DiagnosisCode,
  /** where new tickets of this code go */
  group: GroupId,
  /** the catalogue's default */
  defaultGroup: GroupId,
  /** an admin changed it */
  custom: z.boolean(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

/** GET /api/routing: one rule per diagnosis code. */
export const RoutingTable = z.object({ rules: z.array(RoutingRule) });
export type RoutingTable = z.infer<typeof RoutingTable>;

/** PUT /api/routing/:code (admin); null puts the catalogue's default back. */
export const UpdateRoutingRequest = z.object({ group: GroupId.nullable() });
export type UpdateRoutingRequest = z.infer<typeof UpdateRoutingRequest>;

// --- SLA: targets and calendars ------------------------------------------------------------------

export const SlaTarget = z.object({
  category: ServiceCategory,
  priority: Priority,
  /** minutes of the store's business time */
  reactMinutes: z.number().int().min(1).max(525_600),
  resolveMinutes: z.number().int().min(1).max(525_600),
});
export type SlaTarget = z.infer<typeof SlaTarget>;

/** GET /api/sla/targets, and the body of PUT /api/sla/targets (admin; only the pairs sent change). */
export const SlaTargets = z.object({
  targets: z.array(SlaTarget).min(1).max(ServiceCategory.options.length * 4),
});
export type SlaTargets = z.infer<typeof SlaTargets>;

/** A local time of day, "HH:MM"; "24:00" only as a closing time. */
export const TimeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const DayHours = z
  .object({ open: TimeOfDay, close: TimeOfDay })
  .refine((hours) => hours.open !== '24:00' && hours.close > hours.open, { message: 'close after open, within the day', path: ['close'] });
export type DayHours = z.infer<typeof DayHours>;

/** Monday first (ISO weekdays 1..7); null = closed that weekday. */
export const WeeklyHours = z.array(DayHours.nullable()).length(7);
export type WeeklyHours = z.infer<typeof WeeklyHours>;

/** chain: the chain-wide holiday calendar; own: the store's own days over the chain's; none: holidays do not stop its clock. */
export const StoreCalendarMode = z.enum(['chain', 'own', 'none']);
export type StoreCalendarMode = z.infer<typeof StoreCalendarMode>;

export const StoreSettings = z.object({
  storeId: StoreId,
  name: z.string().max(120),
  /** IANA zone, e.g. Europe/Moscow, Asia/Yekaterinburg */
  timeZone: z.string().min(1).max(64),
  hours: WeeklyHours,
  calendar: StoreCalendarMode,
  registers: z.number().int().nonnegative(),
});
export type StoreSettings = z.infer<typeof StoreSettings>;

/** GET /api/stores */
export const StoreList = z.object({ stores: z.array(StoreSettings) });
export type StoreList = z.infer<typeof StoreList>;

/** PUT /api/stores/:storeId (admin). The server checks the zone is one it knows. */
export const UpdateStoreRequest = z.object({
  name: z.string().max(120).default(''),
  timeZone: z.string().min(1).max(64),
  hours: WeeklyHours,
  calendar: StoreCalendarMode,
});
export type UpdateStoreRequest = z.input<typeof UpdateStoreRequest>;

/** holiday: no business time; short: a pre-holiday day, shortened; working: a weekend day made a working day (a transfer). */
export const CalendarDayKind = z.enum(['holiday', 'short', 'working']);
export type CalendarDayKind = z.infer<typeof CalendarDayKind>;

export const CalendarDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

export const CalendarDay = z.object({ date: CalendarDate, kind: CalendarDayKind, note: z.string().max(200).default('') });
export type CalendarDay = z.infer<typeof CalendarDay>;

/** 'chain', or 'store:<storeId>' for a store's own days. */
export const CalendarId = z.string().regex(/^(chain|store:[A-Za-z0-9_.-]{1,64})$/);
export type CalendarId = z.infer<typeof CalendarId>;

/** GET /api/calendars/:calendarId/days?year=YYYY; PUT the same (admin) replaces that year's days. */
export const CalendarDays = z.object({ calendarId: CalendarId, year: z.number().int().min(2000).max(2100), days: z.array(CalendarDay).max(366) });
export type CalendarDays = z.infer<typeof CalendarDays>;

/** POST /api/calendars/:calendarId/import (admin): a production calendar file (xmlcalendar.ru XML, or CSV `date,kind,note`). */
export const ImportCalendarRequest = z.object({
  format: z.enum(['xmlcalendar', 'csv']),
  text: z.string().min(1).max(1_000_000),
});
export type ImportCalendarRequest = z.infer<typeof ImportCalendarRequest>;

export const ImportCalendarResult = z.object({ calendarId: CalendarId, years: z.array(z.number().int()), days: z.number().int().nonnegative() });
export type ImportCalendarResult = z.infer<typeof ImportCalendarResult>;

// --- noise control -------------------------------------------------------------------------------

export const NoiseSettings = z.object({
  /** per-code hold overrides, seconds; a code not listed keeps the catalogue's holdSec */
  holds: z.partialRecord(DiagnosisCode, z.number().int().min(0).max(86_400)).default({}),
  /** a condition that returns within this many days of its ticket's resolution reopens that ticket */
  reopenDays: z.number().int().min(0).max(90).default(3),
  /** this many returns within flapWindowSec, never holding long enough, open one ticket marked flapping */
  flapThreshold: z.number().int().min(2).max(100).default(3),
  flapWindowSec: z.number().int().min(60).max(86_400).default(1_800),
  /** a flapping ticket resolves on its own only after the condition stayed away this long */
  calmSec: z.number().int().min(0).max(86_400).default(600),
  correlation: z
    .object({
      /** registers that went silent (or failed alike) within this window count together */
      windowSec: z.number().int().min(10).max(3_600).default(120),
      /** the share of a store's registers that makes a store incident */
      share: z.number().min(0.1).max(1).default(0.6),
      /** and at least this many registers */
      minRegisters: z.number().int().min(2).max(10_000).default(2),
    })
    .prefault({}),
});
export type NoiseSettings = z.infer<typeof NoiseSettings>;

/** GET /api/settings/noise; PUT takes NoiseSettings (admin). */
export const NoiseSettingsView = z.object({
  settings: NoiseSettings,
  /** the catalogue's hold per code, seconds, for the editor to show beside the overrides */
  defaultHolds: z.partialRecord(DiagnosisCode, z.number().int().nonnegative()),
});
export type NoiseSettingsView = z.infer<typeof NoiseSettingsView>;

// --- maintenance windows -------------------------------------------------------------------------

export const MaintenanceState = z.enum(['planned', 'active', 'ended', 'cancelled']);
export type MaintenanceState = z.infer<typeof MaintenanceState>;

export const MaintenanceWindow = z.object({
  id: z.number().int().positive(),
  storeId: StoreId,
  /** null: the whole store */
  registerId: RegisterId.nullable(),
  startsAt: isoInstant,
  endsAt: isoInstant,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: isoInstant,
  cancelledAt: isoInstant.nullable(),
  cancelledBy: z.string().nullable(),
  /** findings seen during the window that would otherwise have opened or updated a ticket */
  suppressed: z.number().int().nonnegative(),
  state: MaintenanceState,
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const MaintenanceList = z.object({ windows: z.array(MaintenanceWindow) });
export type MaintenanceList = z.infer<typeof MaintenanceList>;

/** GET /api/maintenance?storeId=&state= (current = planned or active) */
export const MaintenanceListQuery = z.object({
  storeId: StoreId.optional(),
  state: z.enum(['current', 'past', 'all']).default('current'),
});
export type MaintenanceListQuery = z.infer<typeof MaintenanceListQuery>;

/** POST /api/maintenance (engineer or admin): at most 7 days, not ending in the past. */
export const CreateMaintenanceRequest = z
  .object({
    storeId: StoreId,
    registerId: RegisterId.nullable().default(null),
    startsAt: isoInstant,
    endsAt: isoInstant,
    reason: z.string().trim().min(3).max(500),
  })
  .refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), { message: 'ends after it starts', path: ['endsAt'] })
  .refine((w) => Date.parse(w.endsAt) - Date.parse(w.startsAt) <= 7 * 86_400_000, { message: 'at most 7 days', path: ['endsAt'] });
export type CreateMaintenanceRequest = z.input<typeof CreateMaintenanceRequest>;

// --- moves ---------------------------------------------------------------------------------------

/** Why a ticket moved: required on every move an engineer makes, shown on the timeline. */
export const MoveReason = z.string().trim().min(3).max(1000);

/** POST /api/tickets/:id/assign */
export const AssignRequest = z.object({ username: z.string().min(1).max(64), reason: MoveReason });
export type AssignRequest = z.infer<typeof AssignRequest>;

/** POST /api/tickets/:id/reassign: to another group; the assignee is cleared. */
export const ReassignRequest = z.object({ group: GroupId, reason: MoveReason });
export type ReassignRequest = z.infer<typeof ReassignRequest>;

/** POST /api/tickets/:id/escalate: to the third line, or to a vendor (the store's clock pauses; the vendor's runs). */
export const EscalateRequest = z
  .object({
    to: z.enum(['third_line', 'vendor']),
    reason: MoveReason,
    /** the vendor's name (ATOL, Shtrih-M, Epson…): required for a vendor */
    vendor: z.string().trim().min(1).max(100).optional(),
    /** the vendor's case number, when known */
    reference: z.string().trim().max(100).optional(),
    /** the vendor's own deadline (its OLA), when agreed */
    vendorDueAt: isoInstant.optional(),
  })
  .refine((e) => e.to !== 'vendor' || e.vendor !== undefined, { message: 'name the vendor', path: ['vendor'] });
export type EscalateRequest = z.infer<typeof EscalateRequest>;

/** POST /api/tickets/:id/wait: the ticket waits on the store or a vendor; the SLA clocks pause. */
export const WaitRequest = z.object({ on: z.enum(['store', 'vendor']), reason: MoveReason });
export type WaitRequest = z.infer<typeof WaitRequest>;

/** POST /api/tickets/:id/resume: the clocks run again, due dates pushed by the business time spent waiting. */
export const ResumeRequest = z.object({ reason: z.string().trim().max(1000).default('') });
export type ResumeRequest = z.input<typeof ResumeRequest>;

/** PUT /api/tickets/:id/vendor: the vendor's case number or deadline changed. */
export const UpdateVendorRequest = z.object({ reference: z.string().trim().max(100).optional(), dueAt: isoInstant.nullable().optional() });
export type UpdateVendorRequest = z.infer<typeof UpdateVendorRequest>;

export const MoveKind = z.enum(['take', 'assign', 'reassign', 'escalate_third_line', 'escalate_vendor', 'wait', 'resume']);
export type MoveKind = z.infer<typeof MoveKind>;

export const TicketMove = z.object({
  at: isoInstant,
  kind: MoveKind,
  actor: z.string(),
  fromGroup: GroupId.nullable(),
  toGroup: GroupId.nullable(),
  fromAssignee: z.string().nullable(),
  toAssignee: z.string().nullable(),
  reason: z.string(),
});
export type TicketMove = z.infer<typeof TicketMove>;

export const VendorTracking = z.object({
  vendor: z.string(),
  reference: z.string().nullable(),
  escalatedAt: isoInstant,
  escalatedBy: z.string(),
  /** the vendor's own deadline, tracked apart from the store's */
  dueAt: isoInstant.nullable(),
});
export type VendorTracking = z.infer<typeof VendorTracking>;

// --- vendor hand-off pack ------------------------------------------------------------------------

export const VendorPackDevice = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  driver: DriverId,
  /** model, serials, firmware and the fiscal drive number as the device last reported them */
  identity: DeviceIdentity.nullable(),
  model: z.string().nullable(),
});

/**
 * GET /api/tickets/:id/vendor-pack (JSON; `/vendor-pack.html` is the same, printable): what a
 * vendor needs to act without calling back. Device strings and people's words inside are untrusted.
 */
export const VendorPack = z.object({
  generatedAt: isoInstant,
  generatedBy: z.string(),
  ticket: z.object({
    id: z.number().int().positive(),
    code: DiagnosisCode,
    severity: Severity,
    priority: Priority,
    openedAt: isoInstant,
    detail: z.string(),
    occurrences: z.number().int().nonnegative(),
  }),
  store: z.object({ storeId: z.string(), registerId: z.string(), hostname: z.string(), osPlatform: z.string(), osRelease: z.string(), agentVersion: z.string() }),
  vendor: VendorTracking.nullable(),
  devices: z.array(VendorPackDevice),
  evidence: Evidence.nullable(),
  checklist: z.array(ChecklistAnswer),
  /** what was tried: the ticket's timeline, oldest first */
  tried: z.array(z.object({ at: isoInstant, kind: z.string(), actor: z.string().nullable(), text: z.string() })),
  /** the latest diagnostics bundle of the register, when one exists */
  bundle: z.object({ id: z.string(), receivedAt: isoInstant, sizeBytes: z.number().int().nonnegative(), sha256: z.string(), downloadPath: z.string() }).nullable(),
});
export type VendorPack = z.infer<typeof VendorPack>;

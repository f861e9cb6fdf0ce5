import { z } from 'zod';
import { ChecklistAnswer } from './catalogue/checklist';
import { DiagnosisCode, Severity } from './catalogue/codes';
import { GroupId, ServiceCategory } from './catalogue/service';
import { Symptom } from './catalogue/symptoms';
import { Locale } from './i18n';
import { ResolveFix } from './kb-api';
import { RegisterId, StoreId } from './protocol/agent-messages';
import { DeviceHealth, DeviceKind, DriverId, Evidence, TransportKind } from './protocol/device';
import { DeviceIdentity } from './protocol/fiscal';
import { DiscoveryResult, PrinterFacts } from './protocol/printer';
import { FiscalDeviceState, RegisterForecast } from './fiscal-api';
import { PROTOCOL_VERSION } from './protocol/envelope';
import { TicketStatus } from './protocol/server-messages';
import { TicketMove, VendorTracking } from './service-api';

// REST shapes between the console server and its renderer (docs/api.md). The server validates
// requests with these and the renderer validates responses, so neither trusts the other's JSON.

export const Role = z.enum(['engineer', 'admin']);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Body of POST /api/users (admin only). */
export const CreateUserRequest = z.object({
  username: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.@-]+$/),
  password: z.string().min(8).max(256),
  displayName: z.string().min(1).max(128),
  role: Role,
  groups: z.array(GroupId).max(16).default([]),
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

export const Me = z.object({
  username: z.string(),
  displayName: z.string(),
  role: Role,
  groups: z.array(GroupId),
});
export type Me = z.infer<typeof Me>;

export const EnrollRequest = z.object({
  token: z.string().min(8).max(128),
  storeId: StoreId,
  registerId: RegisterId,
  hostname: z.string().max(128).default(''),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  agentId: z.string(),
  /** The agent's credential, shown once; the server keeps only its hash. Sent as `Authorization: Bearer <credential>`. */
  credential: z.string(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const CreateEnrollmentTokenRequest = z.object({
  maxUses: z.number().int().min(1).max(10_000).default(1),
  ttlHours: z.number().min(0.1).max(24 * 30).default(24),
  note: z.string().max(200).default(''),
});
export const EnrollmentTokenCreated = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  maxUses: z.number().int(),
});
export type EnrollmentTokenCreated = z.infer<typeof EnrollmentTokenCreated>;

export const TicketSummary = z.object({
  id: z.number().int().positive(),
  code: DiagnosisCode,
  status: TicketStatus,
  severity: Severity,
  priority: z.number().int().min(1).max(4),
  group: GroupId,
  storeId: z.string(),
  registerId: z.string(),
  deviceId: z.string().nullable(),
  openedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  reactBy: z.iso.datetime(),
  resolveBy: z.iso.datetime(),
  assignee: z.string().nullable(),
  /** the finding is still present on the device (false once it recovered) */
  active: z.boolean(),
  hasCashierReport: z.boolean(),
  occurrences: z.number().int().nonnegative(),
  /** when the register's sales will be blocked (its fiscal forecast), whatever the ticket is about; null without a forecast */
  blockingAt: z.iso.datetime().nullable().default(null),
  /** the service category of the SLA catalogue */
  category: ServiceCategory.default('other'),
  /** 'store': a store incident (store correlation), not one register's ticket */
  scope: z.enum(['register', 'store']).default('register'),
  /** the store incident this ticket is a symptom of; it resolves with it */
  parentId: z.number().int().positive().nullable().default(null),
  /** a store incident's symptom tickets (0 for a register ticket) */
  symptoms: z.number().int().nonnegative().default(0),
  /** the condition came and went faster than its hold: one ticket for all of it */
  flapping: z.boolean().default(false),
  /** the first engineer reaction (take, assign, note, resolve); stops the reaction clock */
  reactedAt: z.iso.datetime().nullable().default(null),
  /** the ticket waits on the store or a vendor: its SLA clocks are paused since pausedAt */
  waitingOn: z.enum(['store', 'vendor']).nullable().default(null),
  pausedAt: z.iso.datetime().nullable().default(null),
  reassignments: z.number().int().nonnegative().default(0),
  escalations: z.number().int().nonnegative().default(0),
  /** the vendor's own deadline, after an escalation to a vendor */
  vendorDueAt: z.iso.datetime().nullable().default(null),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TimelineKind = z.enum([
  'opened',
  'finding_changed',
  'cashier_report',
  'recovered',
  'auto_resolved',
  'taken',
  'note',
  'resolved',
  'reopened',
  'command',
  /** the cashier answered "working" after a resolution (a resolved ticket closes) */
  'cashier_confirmed',
  /** the cashier answered "not working" after a resolution (the ticket reopens) */
  'cashier_not_fixed',
  /** a fiscal ticket's priority or resolution deadline moved with the register's blocking date */
  'deadline_changed',
  /** an engineer asked for a test print (text: the printer) */
  'test_print_requested',
  /** a test print's result, from the engineer's command or the cashier's consent (text: outcome and reason) */
  'test_print',
  /** an engineer asked the register for a diagnostics bundle (text: who) */
  'bundle_requested',
  /** a diagnostics bundle arrived (text: size and what was redacted) or could not be collected */
  'bundle',
  /** the register's differences from its reference image changed (drift tickets; text: the summary) */
  'drift_changed',
  /** moves (issue 11); text: the reason, plus from → to */
  'assigned',
  'reassigned',
  'escalated',
  /** the ticket waits on the store or a vendor (SLA paused; text: on whom and why) */
  'waiting',
  /** the SLA clocks run again (text: the reason and how long they were paused) */
  'resumed',
  /** the vendor's case number or deadline changed */
  'vendor_updated',
  /** the condition flaps faster than its hold: one ticket carries it (text: how many returns) */
  'flapping',
  /** a store incident gained a symptom (text: the register and its finding) */
  'symptom_attached',
  /** this register ticket became a symptom of a store incident (text: the incident) */
  'attached_to_incident',
  /** resolved because its store incident resolved */
  'resolved_with_incident',
  /** an SLA clock is about to run out (text: which clock and when) */
  'sla_warning',
  /** an SLA clock ran out (text: which clock) */
  'sla_breached',
  /** a resolved ticket a cashier reported closed by itself: nobody answered "is it working?" in time (text: after how long) */
  'cashier_auto_closed',
  /** the engineer named the fix on resolve (text: the fix); it counts in the knowledge base's fix rates */
  'kb_fix_recorded',
  /** remote actions (issue 12): each state change of an action asked from this ticket (text: verb, device, detail) */
  'action_queued',
  'action_sent',
  'action_running',
  'action_done',
  'action_failed',
  'action_expired',
  'action_cancelled',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEvent = z.object({
  at: z.iso.datetime(),
  kind: TimelineKind,
  /** the engineer's username, or null for the machine */
  actor: z.string().nullable(),
  /** plain text; untrusted where it quotes a cashier or a device */
  text: z.string(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const CashierNote = z.object({
  at: z.iso.datetime(),
  symptom: Symptom,
  note: z.string(),
  locale: Locale,
});
export type CashierNote = z.infer<typeof CashierNote>;

export const TicketDevice = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  driver: DriverId,
  model: z.string().nullable(),
});

export const TicketDetail = TicketSummary.extend({
  detail: z.string(),
  checklist: z.array(ChecklistAnswer),
  evidence: Evidence.nullable(),
  device: TicketDevice.nullable(),
  cashierNotes: z.array(CashierNote),
  timeline: z.array(TimelineEvent),
  /** the register's other recent tickets, newest first */
  registerHistory: z.array(TicketSummary),
  /** the register's fiscal forecast, whatever the ticket is about */
  registerForecast: RegisterForecast.nullable().default(null),
  /** take, assign, reassign, escalate, wait, resume: oldest first */
  moves: z.array(TicketMove).default([]),
  /** a store incident's symptom tickets */
  symptomTickets: z.array(TicketSummary).default([]),
  /** the store incident this ticket is a symptom of */
  incident: TicketSummary.nullable().default(null),
  vendor: VendorTracking.nullable().default(null),
  /** the SLA targets its due dates came from (business minutes), for the clocks' labels */
  slaTargets: z.object({ reactMinutes: z.number().int(), resolveMinutes: z.number().int() }).nullable().default(null),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

/**
 * Where a list page ended: pass a page's `nextCursor` back as `after` for the rows that follow it in
 * the list's order. Opaque to clients; unlike an offset it does not skip or repeat rows when tickets
 * open or close between pages.
 */
export const TicketCursor = z.string().max(80).regex(/^[1-4]~\d{4}-\d{2}-\d{2}T[\d:.]+Z~\d{1,15}$/, 'a nextCursor from the previous page');

export const TicketList = z.object({
  tickets: z.array(TicketSummary),
  /** every ticket matching the filter, over all pages; counted for the first page only (null when `after` was given) */
  total: z.number().int().nonnegative().nullable(),
  /** `after` for the next page; null on the last page */
  nextCursor: TicketCursor.nullable(),
});
export type TicketList = z.infer<typeof TicketList>;

/** Sorted `priority ASC, openedAt ASC, id ASC`; one page of at most `limit` tickets. */
export const TicketListQuery = z.object({
  status: z.enum(['active', 'resolved', 'all']).default('active'),
  group: GroupId.optional(),
  /** the signed-in engineer's groups (Me.groups) */
  myGroups: z.enum(['1', '0']).optional(),
  unassigned: z.enum(['1', '0']).optional(),
  /** a running SLA clock past its due time (not paused, not met) */
  overdue: z.enum(['1', '0']).optional(),
  category: ServiceCategory.optional(),
  /** '1' lists store incidents' symptom tickets too; by default only the incident is listed */
  symptoms: z.enum(['1', '0']).optional(),
  storeId: z.string().max(64).optional(),
  mine: z.enum(['1', '0']).optional(),
  after: TicketCursor.optional(),
  limit: z.coerce.number().int().min(1).max(20_000).default(500),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

export const NoteRequest = z.object({ text: z.string().min(1).max(2000) });
/** Body of POST /api/tickets/:id/resolve; `fix` feeds the knowledge base's fix rates (kb-api.ts). */
export const ResolveRequest = z.object({ note: z.string().max(2000).default(''), fix: ResolveFix.optional() });

/** Body of POST /api/registers/:agentId/probe: probe one device, or all when omitted. */
export const ProbeRequest = z.object({ deviceId: z.string().min(1).max(64).optional() });

/** Answer of POST /api/registers/:agentId/discover (202): the command sent to the register. */
export const DiscoverAccepted = z.object({ ok: z.literal(true), commandId: z.string() });
export type DiscoverAccepted = z.infer<typeof DiscoverAccepted>;

/**
 * GET /api/registers/:agentId/discovery: the register's latest discovery (what its agent found
 * on its ports and proposes for its config), and a request still waiting for its answer.
 * Device strings inside are untrusted: shown escaped.
 */
export const RegisterDiscovery = z.object({
  agentId: z.string(),
  latest: z
    .object({
      commandId: z.string(),
      requestedBy: z.string().nullable(),
      receivedAt: z.iso.datetime(),
      result: DiscoveryResult,
    })
    .nullable(),
  /** a discover command sent and not answered yet (the newest) */
  pending: z.object({ commandId: z.string(), requestedBy: z.string(), requestedAt: z.iso.datetime() }).nullable(),
  /**
   * The newest discover command the agent answered with an error, when it is newer than `latest`
   * (`unsupported`: an agent older than discovery). `code` is the agent's ErrorCode.
   */
  failed: z.object({ commandId: z.string(), code: z.string(), completedAt: z.iso.datetime() }).nullable().default(null),
});
export type RegisterDiscovery = z.infer<typeof RegisterDiscovery>;

export const RegisterDevice = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  driver: DriverId,
  transport: TransportKind,
  target: z.string(),
  health: DeviceHealth,
  codes: z.array(DiagnosisCode),
  probedAt: z.iso.datetime().nullable(),
  /** model, serials and firmware as the device last reported them */
  identity: DeviceIdentity.nullable().default(null),
});
export type RegisterDevice = z.infer<typeof RegisterDevice>;

/** A receipt printer's facts (status requests it answers, wear counters, OS queue) from its latest stored report. */
export const PrinterFactsView = z.object({
  facts: PrinterFacts,
  /** when the console received the report they came from */
  reportedAt: z.iso.datetime(),
});
export type PrinterFactsView = z.infer<typeof PrinterFactsView>;

/**
 * A device of GET /api/registers/:agentId: with a fiscal register's latest facts and its forecast,
 * parts and notes; a receipt printer's facts when its reports carry them.
 */
export const RegisterDeviceDetail = RegisterDevice.extend({ fiscal: FiscalDeviceState.nullable(), printer: PrinterFactsView.nullable().default(null) });
export type RegisterDeviceDetail = z.infer<typeof RegisterDeviceDetail>;

/**
 * The paper-supply hint of a register: how many times its receipt paper ran near end or out over the
 * last `days` days (paper tickets opened or reopened; events within an hour of each other are one time).
 */
export const PaperSupply = z.object({
  times: z.number().int().nonnegative(),
  days: z.number().int().positive(),
});
export type PaperSupply = z.infer<typeof PaperSupply>;

export const RegisterSummary = z.object({
  agentId: z.string(),
  storeId: z.string(),
  registerId: z.string(),
  hostname: z.string(),
  agentVersion: z.string(),
  connected: z.boolean(),
  lastSeenAt: z.iso.datetime().nullable(),
  devices: z.array(RegisterDevice),
  openTickets: z.number().int().nonnegative(),
  /** the earliest blocking date over the register's fiscal devices; null without one */
  forecast: RegisterForecast.nullable().default(null),
});
export type RegisterSummary = z.infer<typeof RegisterSummary>;

/**
 * GET /api/registers/:agentId: one register with its devices' fiscal facts and forecasts. Lists and
 * the feed carry the lighter RegisterSummary (the register's forecast, no per-device facts): a page of
 * 200 registers with every fiscal state would weigh and cost about three times as much.
 */
export const RegisterDetail = RegisterSummary.extend({ devices: z.array(RegisterDeviceDetail), paperSupply: PaperSupply.nullable().default(null) });
export type RegisterDetail = z.infer<typeof RegisterDetail>;

/**
 * A register page ends at `<storeId>/<registerId>` (neither id may contain a slash), or, sorted by
 * blocking date, at `<blockingAt>~<storeId>/<registerId>`; opaque to clients.
 */
export const RegisterCursor = z
  .string()
  .max(160)
  .regex(/^(\d{4}-\d{2}-\d{2}T[\d:.]+Z~)?[A-Za-z0-9_.-]{1,64}\/[A-Za-z0-9_.-]{1,64}$/, 'a nextCursor from the previous page');

export const RegisterList = z.object({
  registers: z.array(RegisterSummary),
  /** every register matching the filter, over all pages; counted for the first page only (null when `after` was given) */
  total: z.number().int().nonnegative().nullable(),
  /** `after` for the next page; null on the last page */
  nextCursor: RegisterCursor.nullable(),
});
export type RegisterList = z.infer<typeof RegisterList>;

/**
 * GET /api/registers: one page of registers sorted by store, then register id, filtered by store,
 * connection (`connected=0`: silent), device health (registers with at least one device whose last
 * report was `fault`, `warning` or `unknown`), open tickets (`openTickets=1`: with, `0`: without) and
 * the fiscal forecast (`blockingWithinDays=N`: sales blocked within N days from now, or already).
 * `sort=blocking` orders by blocking date (earliest first) and lists only registers that have one.
 * A fleet of 25,000 is never sent whole.
 */
export const RegisterListQuery = z
  .object({
    storeId: StoreId.optional(),
    connected: z.enum(['1', '0']).optional(),
    /** a register is never "in trouble" for being ok: no `ok` here (it would match nearly the whole fleet) */
    health: DeviceHealth.exclude(['ok']).optional(),
    openTickets: z.enum(['1', '0']).optional(),
    blockingWithinDays: z.coerce.number().int().min(0).max(3_660).optional(),
    sort: z.enum(['store', 'blocking']).default('store'),
    after: RegisterCursor.optional(),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
  })
  .refine((query) => !query.after || query.after.includes('~') === (query.sort === 'blocking'), {
    message: 'a nextCursor from a page of the same sort',
    path: ['after'],
  });
export type RegisterListQuery = z.infer<typeof RegisterListQuery>;

/** Live feed to console clients (`/ws/feed`): a change to a ticket or a register. */
export const FeedMessage = z.discriminatedUnion('type', [
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal('ticket'), payload: TicketSummary }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal('register'), payload: RegisterSummary }),
]);
export type FeedMessage = z.infer<typeof FeedMessage>;

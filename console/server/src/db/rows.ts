import { z } from 'zod';
import {
  BlockingReason,
  ChecklistAnswer,
  DeviceHealth,
  DeviceIdentity,
  DeviceKind,
  DiagnosisCode,
  DriverId,
  Evidence,
  Role,
  GroupId,
  ServiceCategory,
  Severity,
  TicketStatus,
  TransportKind,
} from '@tillscope/shared';

// Rows are parsed on read, so a hand-edited or half-migrated file fails loudly at the boundary
// instead of leaking a wrong shape into the API. These are the storage shapes (snake_case columns,
// 0/1 booleans, JSON text); the API shapes in @tillscope/shared are built from them in
// tickets/ticket-views.ts. Rows whose columns already are an API shape (ticket_events,
// cashier_notes) are parsed with the shared schema directly.

const sqliteBool = z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1);
/** A TEXT column holding JSON of `schema`, parsed on read. */
export const jsonColumn = <S extends z.ZodTypeAny>(schema: S) => z.string().transform((text, ctx) => {
  try {
    return schema.parse(JSON.parse(text)) as z.infer<S>;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `bad JSON column: ${(error as Error).message}` });
    return z.NEVER;
  }
});

export const UserRow = z.object({
  id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  role: Role,
  groups_json: jsonColumn(z.array(GroupId)),
  password_hash: z.string(),
});
export type UserRow = z.infer<typeof UserRow>;

export const AgentRow = z.object({
  id: z.string(),
  store_id: z.string(),
  register_id: z.string(),
  hostname: z.string(),
  agent_version: z.string(),
  credential_hash: z.string(),
  connected: sqliteBool,
  last_seen_at: z.string().nullable(),
  disconnected_at: z.string().nullable(),
  enrolled_at: z.string(),
  fiscal_blocking_at: z.string().nullable(),
  fiscal_blocking_reason: BlockingReason.nullable(),
  fiscal_blocking_device: z.string().nullable(),
});
export type AgentRow = z.infer<typeof AgentRow>;

export const DeviceRow = z.object({
  agent_id: z.string(),
  device_id: z.string(),
  kind: DeviceKind,
  driver: DriverId,
  transport: TransportKind,
  target: z.string(),
  model: z.string().nullable(),
  health: DeviceHealth,
  codes_json: jsonColumn(z.array(DiagnosisCode)),
  probed_at: z.string().nullable(),
  identity_json: jsonColumn(DeviceIdentity).nullable(),
});
export type DeviceRow = z.infer<typeof DeviceRow>;

/** The columns a ticket list needs, joined with the agent's store and register. */
export const TicketSummaryRow = z.object({
  id: z.number().int(),
  agent_id: z.string(),
  store_id: z.string(),
  register_id: z.string(),
  device_id: z.string().nullable(),
  code: DiagnosisCode,
  status: TicketStatus,
  severity: Severity,
  priority: z.number().int(),
  group_name: GroupId,
  opened_at: z.string(),
  updated_at: z.string(),
  resolved_at: z.string().nullable(),
  react_by: z.string(),
  resolve_by: z.string(),
  assignee: z.string().nullable(),
  active: sqliteBool,
  touched: sqliteBool,
  auto_resolved: sqliteBool,
  has_cashier_report: sqliteBool,
  occurrences: z.number().int(),
  /** the register's blocking date (agents.fiscal_blocking_at) */
  fiscal_blocking_at: z.string().nullable(),
  category: ServiceCategory,
  scope: z.enum(['register', 'store']),
  parent_id: z.number().int().nullable(),
  /** a store incident's symptom tickets (SUMMARY_COLUMNS counts them) */
  symptoms: z.number().int(),
  flapping: sqliteBool,
  reacted_at: z.string().nullable(),
  waiting_on: z.enum(['store', 'vendor']).nullable(),
  paused_at: z.string().nullable(),
  reassignments: z.number().int(),
  escalations: z.number().int(),
  vendor_due_at: z.string().nullable(),
});
export type TicketSummaryRow = z.infer<typeof TicketSummaryRow>;

/** A ticket still being worked: the statuses the one-open-ticket-per-finding index covers. */
export const OPEN_STATUSES = "('open', 'in_progress')";

/** SQL over `tickets t`: how many symptom tickets a store incident has (the partial index tickets_by_parent). */
export const SYMPTOM_COUNT_SQL = "IIF(t.scope = 'store', (SELECT COUNT(*) FROM tickets s WHERE s.parent_id = t.id), 0)";

/** The query TicketRow parses: every ticket column plus its register's store and register ids. */
export const SELECT_TICKET_ROW = `SELECT t.*, a.store_id, a.register_id, a.fiscal_blocking_at, a.fiscal_blocking_reason, a.fiscal_blocking_device,
    ${SYMPTOM_COUNT_SQL} AS symptoms
  FROM tickets t JOIN agents a ON a.id = t.agent_id`;

/** Every ticket column, for the detail view and the engine. */
export const TicketRow = TicketSummaryRow.extend({
  detail: z.string(),
  checklist_json: jsonColumn(z.array(ChecklistAnswer)),
  evidence_json: jsonColumn(Evidence).nullable(),
  device_kind: DeviceKind.nullable(),
  device_driver: DriverId.nullable(),
  device_model: z.string().nullable(),
  fiscal_blocking_reason: BlockingReason.nullable(),
  fiscal_blocking_device: z.string().nullable(),
  /** the last test print's `printer.test_print` step (migration 007) */
  test_print_json: jsonColumn(ChecklistAnswer).nullable(),
  /** VendorTracking as JSON, after an escalation to a vendor (migration 010) */
  vendor_json: z.string().nullable(),
  /** the SLA's resolution due date before a fiscal cap; null = resolve_by was never capped (migration 011) */
  sla_resolve_by: z.string().nullable(),
  /** SLA watch events written, once per clock (sla/sla-watch.ts) */
  sla_alerts: z.number().int(),
});
export type TicketRow = z.infer<typeof TicketRow>;

// --- ticket lists as JSON built by SQLite ---------------------------------------------------------
//
// A list page of 1,000 tickets as parsed rows costs the `sqlite3` package ~24,000 JS values made
// one N-API property at a time on the main thread (~20 ms), plus zod and JSON.stringify: measured
// at ~2.5x the cost of asking SQLite (on its worker thread) for each row's TicketSummary JSON text.
// The columns are not given up unchecked: TICKET_SUMMARY_FITS is the same schema, cheaper, in SQL
// (the enum values are the shared zod enums' own, the times must be the ISO form our clock
// writes). A row it rejects is parsed again with the full zod schema (TicketSummaryRow), which
// either accepts it (a valid time in another ISO form) or throws: a corrupt row still fails loudly.
// The test 'ticket summary JSON built by SQL' pins both paths to the same output.

const sqlText = (values: readonly string[]) => values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
const ISO_MS = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'";
const isoFits = (column: string) => `(typeof(${column}) = 'text' AND length(${column}) = 24 AND ${column} GLOB ${ISO_MS})`;
const boolJson = (column: string) => `json(CASE ${column} WHEN 1 THEN 'true' ELSE 'false' END)`;

/** SQL expression over `tickets t JOIN agents a`: the row as TicketSummary JSON text (keys in schema order). */
export const TICKET_SUMMARY_JSON = `json_object('id', t.id, 'code', t.code, 'status', t.status, 'severity', t.severity,
  'priority', t.priority, 'group', t.group_name, 'storeId', a.store_id, 'registerId', a.register_id, 'deviceId', t.device_id,
  'openedAt', t.opened_at, 'updatedAt', t.updated_at, 'resolvedAt', t.resolved_at, 'reactBy', t.react_by, 'resolveBy', t.resolve_by,
  'assignee', t.assignee, 'active', ${boolJson('t.active')}, 'hasCashierReport', ${boolJson('t.has_cashier_report')}, 'occurrences', t.occurrences,
  'blockingAt', a.fiscal_blocking_at, 'category', t.category, 'scope', t.scope, 'parentId', t.parent_id, 'symptoms', ${SYMPTOM_COUNT_SQL},
  'flapping', ${boolJson('t.flapping')}, 'reactedAt', t.reacted_at, 'waitingOn', t.waiting_on, 'pausedAt', t.paused_at,
  'reassignments', t.reassignments, 'escalations', t.escalations, 'vendorDueAt', t.vendor_due_at)`;

/** SQL expression, 1 when the row fits TicketSummary (see above); a 0 sends the row through zod. */
export const TICKET_SUMMARY_FITS = `(typeof(t.id) = 'integer' AND t.id > 0
  AND t.code IN (${sqlText(DiagnosisCode.options)}) AND t.status IN (${sqlText(TicketStatus.options)})
  AND t.severity IN (${sqlText(Severity.options)}) AND typeof(t.group_name) = 'text' AND t.group_name GLOB '[a-z][a-z0-9_]*' AND length(t.group_name) BETWEEN 2 AND 32
  AND typeof(t.priority) = 'integer' AND t.priority BETWEEN 1 AND 4
  AND typeof(a.store_id) = 'text' AND typeof(a.register_id) = 'text' AND (t.device_id IS NULL OR typeof(t.device_id) = 'text')
  AND ${isoFits('t.opened_at')} AND ${isoFits('t.updated_at')} AND (t.resolved_at IS NULL OR ${isoFits('t.resolved_at')})
  AND ${isoFits('t.react_by')} AND ${isoFits('t.resolve_by')} AND (t.assignee IS NULL OR typeof(t.assignee) = 'text')
  AND t.active IN (0, 1) AND t.has_cashier_report IN (0, 1) AND typeof(t.occurrences) = 'integer' AND t.occurrences >= 0
  AND (a.fiscal_blocking_at IS NULL OR ${isoFits('a.fiscal_blocking_at')})
  AND t.category IN (${sqlText(ServiceCategory.options)}) AND t.scope IN ('register', 'store')
  AND (t.parent_id IS NULL OR (typeof(t.parent_id) = 'integer' AND t.parent_id > 0)) AND t.flapping IN (0, 1)
  AND (t.reacted_at IS NULL OR ${isoFits('t.reacted_at')}) AND (t.waiting_on IS NULL OR t.waiting_on IN ('store', 'vendor'))
  AND (t.paused_at IS NULL OR ${isoFits('t.paused_at')}) AND typeof(t.reassignments) = 'integer' AND t.reassignments >= 0
  AND typeof(t.escalations) = 'integer' AND t.escalations >= 0 AND (t.vendor_due_at IS NULL OR ${isoFits('t.vendor_due_at')}))`;

/** Parses every row with `schema`; a bad row is a server bug or a corrupt file, so it throws. */
export function parseRows<S extends z.ZodTypeAny>(schema: S, rows: unknown[]): z.infer<S>[] {
  return rows.map((row) => schema.parse(row) as z.infer<S>);
}

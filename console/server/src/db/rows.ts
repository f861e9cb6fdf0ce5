import { z } from 'zod';
import {
  ChecklistAnswer,
  DeviceHealth,
  DeviceKind,
  DiagnosisCode,
  DriverId,
  Evidence,
  Locale,
  Role,
  RoutingGroup,
  Severity,
  Symptom,
  TicketStatus,
  TimelineKind,
  TransportKind,
} from '@tillscope/shared';

// Rows are parsed on read, so a hand-edited or half-migrated file fails loudly at the boundary
// instead of leaking a wrong shape into the API.

const sqliteBool = z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1);
const json = <S extends z.ZodTypeAny>(schema: S) => z.string().transform((text, ctx) => {
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
  groups_json: json(z.array(RoutingGroup)),
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
  codes_json: json(z.array(DiagnosisCode)),
  probed_at: z.string().nullable(),
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
  group_name: RoutingGroup,
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
});
export type TicketSummaryRow = z.infer<typeof TicketSummaryRow>;

/** Every ticket column, for the detail view and the engine. */
export const TicketRow = TicketSummaryRow.extend({
  detail: z.string(),
  checklist_json: json(z.array(ChecklistAnswer)),
  evidence_json: z.string().nullable().transform((text, ctx) => {
    if (text === null) return null;
    const parsed = Evidence.safeParse(JSON.parse(text));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'bad evidence JSON' });
      return z.NEVER;
    }
    return parsed.data;
  }),
  device_kind: DeviceKind.nullable(),
  device_driver: DriverId.nullable(),
  device_model: z.string().nullable(),
});
export type TicketRow = z.infer<typeof TicketRow>;

export const TicketEventRow = z.object({
  at: z.string(),
  kind: TimelineKind,
  actor: z.string().nullable(),
  text: z.string(),
});

export const CashierNoteRow = z.object({
  at: z.string(),
  symptom: Symptom,
  note: z.string(),
  locale: Locale,
  report_msg_id: z.string(),
});

/** Parses every row with `schema`; a bad row is a server bug or a corrupt file, so it throws. */
export function parseRows<S extends z.ZodTypeAny>(schema: S, rows: unknown[]): z.infer<S>[] {
  return rows.map((row) => schema.parse(row) as z.infer<S>);
}

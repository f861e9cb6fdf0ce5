import { IANAZone } from 'luxon';

// One ticket's KPI fact, derived from its row and its timeline only (a pure function: the facts
// table is a cache of it, kpi-facts.ts). The arithmetic, in the timeline's order (event ids):
// - opened: the first `opened` event (else the row's opened_at);
// - reacted: the first engineer's `taken`, `assigned`, `note` or `resolved` (as tickets.reacted_at:
//   reassign and escalate are not a first reaction);
// - resolved: the LAST `resolved` (engineer), `auto_resolved` or `resolved_with_incident` (machine)
//   that no later `reopened`, or `cashier_not_fixed` on a resolved ticket, undid; each undoing is a reopen;
// - first contact: resolved by an engineer with no reassignment, no escalation and no reopen;
// - reaction met: reacted at or before react_by; resolution met: resolved at or before the SLA's own
//   resolution due date (sla_resolve_by, else resolve_by): both are business-time due dates that
//   waits have pushed; a fiscal cap is not the SLA;
// - overdue: resolved late, or not resolved and its resolution clock's `sla_breached` is on the timeline;
// - fault-to-ticket: found_at (the console's first sighting of a held fault) → opened.

export interface FactTicket {
  id: number;
  store_id: string;
  device_model: string | null;
  group_name: string;
  assignee: string | null;
  code: string;
  priority: number;
  parent_id: number | null;
  opened_at: string;
  react_by: string;
  resolve_by: string;
  sla_resolve_by: string | null;
  found_at: string | null;
}

export interface FactEvent {
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}

export interface FactMove {
  kind: string;
  to_assignee: string | null;
}

/** A kpi_facts row (column names as in migration 018). */
export interface TicketFact {
  ticket_id: number;
  store_id: string;
  model: string;
  group_id: string;
  engineer: string;
  code: string;
  priority: number;
  symptom: 0 | 1;
  opened_day: string;
  resolved_day: string | null;
  react_sec: number | null;
  react_met: 0 | 1 | null;
  resolve_sec: number | null;
  resolve_met: 0 | 1 | null;
  resolved_by: 'engineer' | 'machine' | null;
  fcr: 0 | 1 | null;
  reassignments: number;
  escalations: number;
  reopens: number;
  overdue: 0 | 1;
  fault_to_ticket_sec: number | null;
}

/** The columns in insert order. */
export const FACT_COLUMNS = [
  'ticket_id', 'store_id', 'model', 'group_id', 'engineer', 'code', 'priority', 'symptom', 'opened_day', 'resolved_day',
  'react_sec', 'react_met', 'resolve_sec', 'resolve_met', 'resolved_by', 'fcr', 'reassignments', 'escalations', 'reopens',
  'overdue', 'fault_to_ticket_sec',
] as const satisfies readonly (keyof TicketFact)[];

const REACTION_KINDS = new Set(['taken', 'assigned', 'note', 'resolved']);
const MACHINE_RESOLUTIONS = new Set(['auto_resolved', 'resolved_with_incident']);
/** sla-watch.ts writes the resolution clock's breach as "resolve overdue since …". */
const RESOLVE_BREACH_PREFIX = 'resolve';

interface Resolution {
  at: string;
  by: 'engineer' | 'machine';
  actor: string | null;
}

interface Replay {
  openedAt: string;
  reactedAt: string | null;
  resolution: Resolution | null;
  reopens: number;
  resolveBreached: boolean;
}

function replay(ticket: FactTicket, events: readonly FactEvent[]): Replay {
  const state: Replay = { openedAt: ticket.opened_at, reactedAt: null, resolution: null, reopens: 0, resolveBreached: false };
  let opened = false;
  for (const event of events) {
    if (event.kind === 'opened' && !opened) {
      state.openedAt = event.at;
      opened = true;
    }
    if (state.reactedAt === null && event.actor !== null && REACTION_KINDS.has(event.kind)) state.reactedAt = event.at;
    if (event.kind === 'resolved') state.resolution = { at: event.at, by: 'engineer', actor: event.actor };
    else if (MACHINE_RESOLUTIONS.has(event.kind)) state.resolution = { at: event.at, by: 'machine', actor: null };
    else if (event.kind === 'reopened' || (event.kind === 'cashier_not_fixed' && state.resolution !== null)) {
      if (state.resolution !== null) state.reopens += 1;
      state.resolution = null;
    } else if (event.kind === 'sla_breached' && event.text.startsWith(RESOLVE_BREACH_PREFIX)) state.resolveBreached = true;
  }
  return state;
}

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

const HOUR_MS = 3_600_000;
/** Zone offsets (minutes) by zone and UTC hour: a rebuild asks for the same few zones and hours 400,000 times. */
const offsets = new Map<string, number>();

/**
 * The store's day of an instant, in its zone (YYYY-MM-DD); an unknown zone counts as UTC. The
 * offset is luxon's, looked up once per zone and UTC hour (zones change offset on the hour; a
 * half-hour zone's change inside an hour would move at most that hour's tickets by its 30 minutes).
 */
export function storeDay(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const key = `${zone}|${Math.floor(ms / HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const tz = IANAZone.create(zone);
    offset = tz.isValid ? tz.offset(ms) : 0;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return new Date(ms + offset * 60_000).toISOString().slice(0, 10);
}

/** The fact of one ticket; `events` and `moves` in timeline order (by id). */
export function ticketFact(ticket: FactTicket, events: readonly FactEvent[], moves: readonly FactMove[], zone: string): TicketFact {
  const state = replay(ticket, events);
  const { resolution } = state;
  const reassignments = moves.filter((move) => move.kind === 'reassign').length;
  const escalations = moves.filter((move) => move.kind.startsWith('escalate')).length;
  const lastAssignee = moves.reduce<string | null>((who, move) => move.to_assignee ?? who, null) ?? ticket.assignee;
  const resolveDue = ticket.sla_resolve_by ?? ticket.resolve_by;
  const resolveMet = resolution === null ? null : bit(resolution.at <= resolveDue);
  const byEngineer = resolution?.by === 'engineer';
  return {
    ticket_id: ticket.id,
    store_id: ticket.store_id,
    model: ticket.device_model ?? '',
    group_id: ticket.group_name,
    engineer: (byEngineer ? resolution.actor : null) ?? lastAssignee ?? '',
    code: ticket.code,
    priority: ticket.priority,
    symptom: bit(ticket.parent_id !== null),
    opened_day: storeDay(state.openedAt, zone),
    resolved_day: resolution === null ? null : storeDay(resolution.at, zone),
    react_sec: state.reactedAt === null ? null : seconds(state.openedAt, state.reactedAt),
    react_met: state.reactedAt === null ? null : bit(state.reactedAt <= ticket.react_by),
    resolve_sec: resolution === null ? null : seconds(state.openedAt, resolution.at),
    resolve_met: resolveMet,
    resolved_by: resolution?.by ?? null,
    fcr: byEngineer ? bit(reassignments === 0 && escalations === 0 && state.reopens === 0) : null,
    reassignments,
    escalations,
    reopens: state.reopens,
    overdue: bit(resolution === null ? state.resolveBreached : resolveMet === 0),
    fault_to_ticket_sec: ticket.found_at === null ? null : seconds(ticket.found_at, state.openedAt),
  };
}

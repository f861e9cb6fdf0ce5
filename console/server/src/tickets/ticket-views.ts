import {
  CashierNote,
  TimelineEvent,
  type RegisterDetail,
  type RegisterList,
  type RegisterListQuery,
  type RegisterSummary,
  type TicketDetail,
  type TicketListQuery,
  type TicketStatus,
  type TicketSummary,
} from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import {
  parseRows,
  SELECT_TICKET_ROW,
  TICKET_SUMMARY_FITS,
  TICKET_SUMMARY_JSON,
  TicketRow,
  SYMPTOM_COUNT_SQL,
  OPEN_STATUSES,
  TicketSummaryRow,
} from '../db/rows';
import { OVERDUE_SQL, overdueParams } from '../sla/overdue';
import { TicketNotFound } from './domain-errors';
import { RegisterViews, registerForecastOf } from './register-views';
import { serviceDeskParts } from './service-desk-views';
import { withTestPrintStep } from './test-print-results';

const SUMMARY_COLUMNS = `t.id, t.agent_id, a.store_id, a.register_id, t.device_id, t.code, t.status, t.severity, t.priority,
  t.group_name, t.opened_at, t.updated_at, t.resolved_at, t.react_by, t.resolve_by, t.assignee, t.active, t.touched,
  t.auto_resolved, t.has_cashier_report, t.occurrences, a.fiscal_blocking_at, t.category, t.scope, t.parent_id, ${SYMPTOM_COUNT_SQL} AS symptoms,
  t.flapping, t.reacted_at, t.waiting_on, t.paused_at, t.reassignments, t.escalations, t.vendor_due_at`;

const REGISTER_HISTORY_LIMIT = 20;

function toSummary(row: TicketSummaryRow): TicketSummary {
  return {
    id: row.id,
    code: row.code,
    status: row.status,
    severity: row.severity,
    priority: row.priority,
    group: row.group_name,
    storeId: row.store_id,
    registerId: row.register_id,
    deviceId: row.device_id,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    reactBy: row.react_by,
    resolveBy: row.resolve_by,
    assignee: row.assignee,
    active: row.active,
    hasCashierReport: row.has_cashier_report,
    occurrences: row.occurrences,
    blockingAt: row.fiscal_blocking_at,
    category: row.category,
    scope: row.scope,
    parentId: row.parent_id,
    symptoms: row.symptoms,
    flapping: row.flapping,
    reactedAt: row.reacted_at,
    waitingOn: row.waiting_on,
    pausedAt: row.paused_at,
    reassignments: row.reassignments,
    escalations: row.escalations,
    vendorDueAt: row.vendor_due_at,
  };
}

/** Read models for the REST API and the feed, shaped exactly as the shared schemas. */
export class TicketViews {
  private readonly registerViews: RegisterViews;

  constructor(
    private readonly sql: SqlConnection,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.registerViews = new RegisterViews(sql, now);
  }

  /**
   * One page of the ticket list as `TicketList` JSON text: most severe first, then oldest first (the
   * order an engineer should work in), then by id. The SQL is shaped so that SQLite reads each page
   * in that order from an index and stops after it (see ticketListSql); the rows come back as JSON
   * text built by SQLite (see TICKET_SUMMARY_JSON in db/rows.ts).
   */
  async listPage(query: TicketListQuery, viewer: TicketViewer): Promise<TicketListJson> {
    // Resolved tickets have no running clock: none is overdue, and none need be read to say so.
    if (statusesOf(query).length === 0) return '{"tickets":[],"total":0,"nextCursor":null}' as TicketListJson;
    const nowIso = this.now().toISOString();
    const { sql: text, params } = ticketListSql(query, viewer, nowIso);
    const rows = await this.sql.all<ListRow[]>(text, ...params, query.limit + 1);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    for (const row of page) if (row.fits !== 1) row.json = JSON.stringify(await this.checkedSummary(row.id));
    const last = page[page.length - 1];
    const nextCursor = more && last ? `${last.sort_priority}~${last.sort_opened}~${last.id}` : null;
    let total: number | null = null;
    if (!query.after) {
      if (!more) total = page.length;
      else {
        const count = ticketCountSql(query, viewer, nowIso);
        total = (await this.sql.get<{ n: number }>(count.sql, ...count.params))?.n ?? 0;
      }
    }
    return `{"tickets":[${page.map((row) => row.json).join(',')}],"total":${total === null ? 'null' : total},"nextCursor":${JSON.stringify(nextCursor)}}` as TicketListJson;
  }

  /** The slow, strict path for a row the SQL check did not pass: zod decides (and throws on a corrupt row). */
  private async checkedSummary(ticketId: number): Promise<TicketSummary> {
    const raw = await this.sql.get(`SELECT ${SUMMARY_COLUMNS} FROM tickets t JOIN agents a ON a.id = t.agent_id WHERE t.id = ?`, ticketId);
    return toSummary(TicketSummaryRow.parse(raw));
  }

  /** The summaries of these tickets (unknown ids are skipped), in one query. */
  async summaries(ticketIds: number[]): Promise<TicketSummary[]> {
    if (ticketIds.length === 0) return [];
    const rows = await this.sql.all(
      `SELECT ${SUMMARY_COLUMNS} FROM tickets t JOIN agents a ON a.id = t.agent_id WHERE t.id IN (${ticketIds.map(() => '?').join(', ')}) ORDER BY t.id`,
      ...ticketIds,
    );
    return parseRows(TicketSummaryRow, rows).map(toSummary);
  }

  async detail(ticketId: number): Promise<TicketDetail> {
    const raw = await this.sql.get(`${SELECT_TICKET_ROW} WHERE t.id = ?`, ticketId);
    if (!raw) throw new TicketNotFound(ticketId);
    const row = TicketRow.parse(raw);
    // These columns are the API shapes already, so the shared schemas parse them.
    const events = parseRows(TimelineEvent, await this.sql.all('SELECT at, kind, actor, text FROM ticket_events WHERE ticket_id = ? ORDER BY id', ticketId));
    const notes = parseRows(CashierNote, await this.sql.all('SELECT at, symptom, note, locale FROM cashier_notes WHERE ticket_id = ? ORDER BY id', ticketId));
    const history = parseRows(
      TicketSummaryRow,
      await this.sql.all(
        `SELECT ${SUMMARY_COLUMNS} FROM tickets t JOIN agents a ON a.id = t.agent_id
         WHERE t.agent_id = ? AND t.id <> ? ORDER BY t.opened_at DESC, t.id DESC LIMIT ?`,
        row.agent_id, ticketId, REGISTER_HISTORY_LIMIT,
      ),
    );
    return {
      ...toSummary(row),
      detail: row.detail,
      checklist: withTestPrintStep(row.checklist_json, row.test_print_json),
      evidence: row.evidence_json,
      device:
        row.device_id && row.device_kind && row.device_driver
          ? { deviceId: row.device_id, kind: row.device_kind, driver: row.device_driver, model: row.device_model }
          : null,
      cashierNotes: notes,
      timeline: events,
      registerHistory: history.map(toSummary),
      registerForecast: registerForecastOf(row, this.now().getTime()),
      ...(await serviceDeskParts(this.sql, row, (ids) => this.summaries(ids))),
    };
  }

  /** The cashier reports (message ids) merged into a ticket, with the agent that sent them. */
  async cashierReportsOf(ticketId: number): Promise<{ agentId: string; reportIds: string[] }> {
    const rows = await this.sql.all<{ agent_id: string; report_msg_id: string }[]>(
      'SELECT t.agent_id, n.report_msg_id FROM cashier_notes n JOIN tickets t ON t.id = n.ticket_id WHERE n.ticket_id = ? ORDER BY n.id',
      ticketId,
    );
    return { agentId: rows[0]?.agent_id ?? '', reportIds: rows.map((row) => row.report_msg_id) };
  }

  /** One page of registers (see RegisterViews.registerPage). */
  registerPage(query: RegisterListQuery): Promise<RegisterList> {
    return this.registerViews.registerPage(query);
  }

  /** These registers (unknown ids are skipped), by store and register id: for the live feed. */
  registers(agentIds: string[]): Promise<RegisterSummary[]> {
    return this.registerViews.registers(agentIds);
  }

  /** One register with its devices' fiscal facts (see RegisterViews.registerDetail). */
  registerDetail(agentId: string): Promise<RegisterDetail> {
    return this.registerViews.registerDetail(agentId);
  }
}

/** `TicketList` JSON text, sent as is. */
export type TicketListJson = string & { readonly __brand: 'TicketListJson' };

interface ListRow {
  id: number;
  json: string;
  fits: number;
  sort_priority: number;
  sort_opened: string;
}

const STATUSES_OF: Record<TicketListQuery['status'], readonly TicketStatus[]> = {
  active: ['open', 'in_progress'],
  resolved: ['resolved', 'closed'],
  all: ['open', 'in_progress', 'resolved', 'closed'],
};

/** The statuses a list reads: with `overdue`, only those that run a clock (resolved ones have none). */
function statusesOf(query: TicketListQuery): readonly TicketStatus[] {
  const statuses = STATUSES_OF[query.status];
  return query.overdue === '1' ? statuses.filter((status) => STATUSES_OF.active.includes(status)) : statuses;
}

const LIST_COLUMNS = `t.id AS id, ${TICKET_SUMMARY_JSON} AS json, ${TICKET_SUMMARY_FITS} AS fits, t.priority AS sort_priority, t.opened_at AS sort_opened`;

const HIDE_SYMPTOMS = `(t.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM tickets p WHERE p.id = t.parent_id AND p.status IN ${OPEN_STATUSES}))`;

/** Who is asking for the list: "mine" and "my groups" are theirs. */
export interface TicketViewer {
  username: string;
  groups: readonly string[];
}

interface TicketFilters {
  where: string[];
  params: unknown[];
  /** the groups to list (`group`, `myGroups`, or both: their intersection); null: every group */
  groups: string[] | null;
}

/**
 * The conditions shared by the list and its count. The groups stay apart: the list reads each
 * group from its own index arm (see ticketListSql). "My groups" of an engineer in no group (or a
 * `group` outside them) is the impossible group '' rather than a different query shape.
 * `overdue` compares the running clock's due date with `nowIso` (sla/overdue.ts).
 */
function ticketFilters(query: TicketListQuery, viewer: TicketViewer, nowIso: string): TicketFilters {
  const where: string[] = [];
  const params: unknown[] = [];
  let groups = query.group ? [query.group] : null;
  if (query.myGroups === '1') {
    groups = [...new Set(groups ?? viewer.groups)].filter((group) => viewer.groups.includes(group));
    if (groups.length === 0) groups = [''];
  }
  if (query.mine === '1') {
    where.push('t.assignee = ?');
    params.push(viewer.username);
  }
  if (query.unassigned === '1') where.push('t.assignee IS NULL');
  if (query.overdue === '1') {
    where.push(OVERDUE_SQL);
    params.push(...overdueParams(nowIso));
  }
  // A store incident's symptoms are listed on the incident, not in the queue, while it is open.
  if (query.symptoms !== '1') where.push(HIDE_SYMPTOMS);
  return { where, params, groups };
}

/**
 * `t.group_name IN (…)`. For a store's tickets (`byStore`) the column is kept off the group index
 * (the unary +): SQLite would otherwise read a group's tickets of that status for each of the
 * store's registers (tickets_by_group: every register's, thousands of rows) instead of each
 * register's own (tickets_by_register: a few dozen). Test 'ticket list query plans' pins it.
 */
const groupsIn = (groups: readonly string[], byStore = false) => `${byStore ? '+' : ''}t.group_name IN (${groups.map(() => '?').join(', ')})`;

/**
 * The list query without its LIMIT (the last parameter). Two shapes, each with a plan that
 * test 'ticket list query plans' pins:
 *
 * - by store: the store's few registers (agents by store_id), their tickets, sorted in memory;
 * - otherwise one SELECT per status (and per group, for a group or "my groups"), UNION ALL, ORDER
 *   BY the compound. `status IN (…)` or `group_name IN (…)` would make SQLite read every matching
 *   ticket and sort them (190,000 for `resolved`); with `status = ?` (and `group_name = ?`) each arm
 *   reads its index (tickets_queue, tickets_by_group or tickets_by_assignee_queue: status, then
 *   priority, opened_at, id) already in order, and SQLite merges the arms and stops at LIMIT.
 *   CROSS JOIN keeps tickets as the outer loop whatever the table statistics say.
 */
export function ticketListSql(query: TicketListQuery, viewer: TicketViewer, nowIso: string): { sql: string; params: unknown[] } {
  const statuses = statusesOf(query);
  const { where, params, groups } = ticketFilters(query, viewer, nowIso);
  if (query.after) {
    const [priority, openedAt, id] = query.after.split('~');
    where.push('(t.priority, t.opened_at, t.id) > (?, ?, ?)');
    params.push(Number(priority), openedAt, Number(id));
  }
  if (query.storeId) {
    const groupWhere = groups ? [groupsIn(groups, true)] : [];
    return {
      sql: `SELECT ${LIST_COLUMNS} FROM agents a CROSS JOIN tickets t ON t.agent_id = a.id
        WHERE a.store_id = ? AND t.status IN (${statuses.map(() => '?').join(', ')})${[...groupWhere, ...where].map((w) => ` AND ${w}`).join('')}
        ORDER BY t.priority, t.opened_at, t.id LIMIT ?`,
      params: [query.storeId, ...statuses, ...(groups ?? []), ...params],
    };
  }
  const arms = statuses.flatMap((status) => (groups ?? [null]).map((group) => ({ status, group })));
  const armSql = ({ group }: { group: string | null }) =>
    `SELECT ${LIST_COLUMNS} FROM tickets t CROSS JOIN agents a ON a.id = t.agent_id WHERE t.status = ?${group === null ? '' : ' AND t.group_name = ?'}${where.map((w) => ` AND ${w}`).join('')}`;
  return {
    sql: `${arms.map(armSql).join('\nUNION ALL\n')}\nORDER BY sort_priority, sort_opened, id LIMIT ?`,
    params: arms.flatMap(({ status, group }) => [status, ...(group === null ? [] : [group]), ...params]),
  };
}

/** COUNT(*) of the list's filter (no cursor), read from the same indexes. */
export function ticketCountSql(query: TicketListQuery, viewer: TicketViewer, nowIso: string): { sql: string; params: unknown[] } {
  const statuses = statusesOf(query);
  const filters = ticketFilters(query, viewer, nowIso);
  const where = [`t.status IN (${statuses.map(() => '?').join(', ')})`, ...(filters.groups ? [groupsIn(filters.groups, query.storeId !== undefined)] : []), ...filters.where];
  const params: unknown[] = [...statuses, ...(filters.groups ?? []), ...filters.params];
  if (query.storeId) {
    return { sql: `SELECT COUNT(*) AS n FROM agents a CROSS JOIN tickets t ON t.agent_id = a.id WHERE a.store_id = ? AND ${where.join(' AND ')}`, params: [query.storeId, ...params] };
  }
  return { sql: `SELECT COUNT(*) AS n FROM tickets t WHERE ${where.join(' AND ')}`, params };
}

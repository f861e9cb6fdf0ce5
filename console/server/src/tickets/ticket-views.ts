import {
  CashierNote,
  TimelineEvent,
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
  AgentRow,
  DeviceRow,
  OPEN_STATUSES,
  parseRows,
  SELECT_TICKET_ROW,
  TICKET_SUMMARY_FITS,
  TICKET_SUMMARY_JSON,
  TicketRow,
  TicketSummaryRow,
} from '../db/rows';
import { HttpError } from '../http/http-error';

const SUMMARY_COLUMNS = `t.id, t.agent_id, a.store_id, a.register_id, t.device_id, t.code, t.status, t.severity, t.priority,
  t.group_name, t.opened_at, t.updated_at, t.resolved_at, t.react_by, t.resolve_by, t.assignee, t.active, t.touched,
  t.auto_resolved, t.has_cashier_report, t.occurrences`;

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
  };
}

/** Read models for the REST API and the feed, shaped exactly as the shared schemas. */
export class TicketViews {
  constructor(private readonly sql: SqlConnection) {}

  /**
   * One page of the ticket list as `TicketList` JSON text: most severe first, then oldest first (the
   * order an engineer should work in), then by id. The SQL is shaped so that SQLite reads each page
   * in that order from an index and stops after it (see ticketListSql); the rows come back as JSON
   * text built by SQLite (see TICKET_SUMMARY_JSON in db/rows.ts).
   */
  async listPage(query: TicketListQuery, username: string): Promise<TicketListJson> {
    const { sql: text, params } = ticketListSql(query, username);
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
        const count = ticketCountSql(query, username);
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
    if (!raw) throw new HttpError(404, 'not_found', `ticket ${ticketId} not found`);
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
      checklist: row.checklist_json,
      evidence: row.evidence_json,
      device:
        row.device_id && row.device_kind && row.device_driver
          ? { deviceId: row.device_id, kind: row.device_kind, driver: row.device_driver, model: row.device_model }
          : null,
      cashierNotes: notes,
      timeline: events,
      registerHistory: history.map(toSummary),
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

  /**
   * One page of registers, by store then register id, filtered (RegisterListQuery). SQLite walks the
   * (store_id, register_id) index in order and stops after the page; the filters are checked per
   * register on the way (see registerListSql), so no filter sorts or materialises the fleet.
   */
  async registerPage(query: RegisterListQuery): Promise<RegisterList> {
    const { sql: text, params } = registerPageSql(query);
    const page = parseRows(AgentRow, await this.sql.all(text, ...params, query.limit + 1));
    const more = page.length > query.limit;
    const agents = more ? page.slice(0, query.limit) : page;
    const last = agents[agents.length - 1];
    let total: number | null = null;
    if (!query.after) {
      if (!more) total = agents.length;
      else {
        const count = registerCountSql(query);
        total = (await this.sql.get<{ n: number }>(count.sql, ...count.params))?.n ?? 0;
      }
    }
    return {
      registers: await this.summariesOfAgents(agents),
      total,
      nextCursor: more && last ? `${last.store_id}/${last.register_id}` : null,
    };
  }

  /** These registers (unknown ids are skipped), by store and register id: for the live feed. */
  async registers(agentIds: string[]): Promise<RegisterSummary[]> {
    if (agentIds.length === 0) return [];
    const agents = parseRows(AgentRow, await this.sql.all(
      `SELECT * FROM agents WHERE id IN (${agentIds.map(() => '?').join(', ')}) ORDER BY store_id, register_id`, ...agentIds,
    ));
    return this.summariesOfAgents(agents);
  }

  /** Devices and open-ticket counts of these registers, in two queries; the summaries keep the agents' order. */
  private async summariesOfAgents(agents: AgentRow[]): Promise<RegisterSummary[]> {
    if (agents.length === 0) return [];
    const ids = agents.map((agent) => agent.id);
    const placeholders = ids.map(() => '?').join(', ');
    const devicesByAgent = new Map<string, RegisterSummary['devices']>();
    for (const device of parseRows(DeviceRow, await this.sql.all(
      `SELECT * FROM devices WHERE agent_id IN (${placeholders}) ORDER BY agent_id, device_id`, ...ids,
    ))) {
      const list = devicesByAgent.get(device.agent_id) ?? [];
      list.push({
        deviceId: device.device_id,
        kind: device.kind,
        driver: device.driver,
        transport: device.transport,
        target: device.target,
        health: device.health,
        codes: device.codes_json,
        probedAt: device.probed_at,
      });
      devicesByAgent.set(device.agent_id, list);
    }
    const openCounts = new Map(
      (await this.sql.all<{ agent_id: string; n: number }[]>(openTicketCountsSql(ids.length), ...ids)).map((row) => [row.agent_id, row.n]),
    );
    return agents.map((agent) => ({
      agentId: agent.id,
      storeId: agent.store_id,
      registerId: agent.register_id,
      hostname: agent.hostname,
      agentVersion: agent.agent_version,
      connected: agent.connected,
      lastSeenAt: agent.last_seen_at,
      devices: devicesByAgent.get(agent.id) ?? [],
      openTickets: openCounts.get(agent.id) ?? 0,
    }));
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

const LIST_COLUMNS = `t.id AS id, ${TICKET_SUMMARY_JSON} AS json, ${TICKET_SUMMARY_FITS} AS fits, t.priority AS sort_priority, t.opened_at AS sort_opened`;

/** The group and "mine" conditions, shared by the list and its count. */
function ticketFilters(query: TicketListQuery, username: string): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.group) {
    where.push('t.group_name = ?');
    params.push(query.group);
  }
  if (query.mine === '1') {
    where.push('t.assignee = ?');
    params.push(username);
  }
  return { where, params };
}

/**
 * The list query without its LIMIT (the last parameter). Two shapes, each with a plan that
 * test 'ticket list query plans' pins:
 *
 * - by store: the store's few registers (agents by store_id), their tickets, sorted in memory;
 * - otherwise one SELECT per status, UNION ALL, ORDER BY the compound. `status IN (…)` would make
 *   SQLite read every matching ticket and sort them (190,000 for `resolved`); with `status = ?`
 *   each arm reads its index (tickets_queue, tickets_by_group or tickets_by_assignee_queue: status,
 *   then priority, opened_at, id) already in order, and SQLite merges the arms and stops at LIMIT.
 *   CROSS JOIN keeps tickets as the outer loop whatever the table statistics say.
 */
export function ticketListSql(query: TicketListQuery, username: string): { sql: string; params: unknown[] } {
  const statuses = STATUSES_OF[query.status];
  const { where, params } = ticketFilters(query, username);
  if (query.after) {
    const [priority, openedAt, id] = query.after.split('~');
    where.push('(t.priority, t.opened_at, t.id) > (?, ?, ?)');
    params.push(Number(priority), openedAt, Number(id));
  }
  if (query.storeId) {
    return {
      sql: `SELECT ${LIST_COLUMNS} FROM agents a CROSS JOIN tickets t ON t.agent_id = a.id
        WHERE a.store_id = ? AND t.status IN (${statuses.map(() => '?').join(', ')})${where.map((w) => ` AND ${w}`).join('')}
        ORDER BY t.priority, t.opened_at, t.id LIMIT ?`,
      params: [query.storeId, ...statuses, ...params],
    };
  }
  const arm = `SELECT ${LIST_COLUMNS} FROM tickets t CROSS JOIN agents a ON a.id = t.agent_id WHERE t.status = ?${where.map((w) => ` AND ${w}`).join('')}`;
  return {
    sql: `${statuses.map(() => arm).join('\nUNION ALL\n')}\nORDER BY sort_priority, sort_opened, id LIMIT ?`,
    params: statuses.flatMap((status) => [status, ...params]),
  };
}

/** COUNT(*) of the list's filter (no cursor), read from the same indexes. */
export function ticketCountSql(query: TicketListQuery, username: string): { sql: string; params: unknown[] } {
  const statuses = STATUSES_OF[query.status];
  const filters = ticketFilters(query, username);
  const where = [`t.status IN (${statuses.map(() => '?').join(', ')})`, ...filters.where];
  const params: unknown[] = [...statuses, ...filters.params];
  if (query.storeId) {
    return { sql: `SELECT COUNT(*) AS n FROM agents a CROSS JOIN tickets t ON t.agent_id = a.id WHERE a.store_id = ? AND ${where.join(' AND ')}`, params: [query.storeId, ...params] };
  }
  return { sql: `SELECT COUNT(*) AS n FROM tickets t WHERE ${where.join(' AND ')}`, params };
}

/**
 * Open tickets per register, for `agentCount` agent ids. The index is named: without table
 * statistics SQLite would rather walk every open ticket by status (tickets_queue).
 */
export function openTicketCountsSql(agentCount: number): string {
  return `SELECT agent_id, COUNT(*) AS n FROM tickets INDEXED BY tickets_one_open_per_finding
    WHERE status IN ${OPEN_STATUSES} AND agent_id IN (${Array.from({ length: agentCount }, () => '?').join(', ')}) GROUP BY agent_id`;
}

/** A register page without its LIMIT (the last parameter). */
export function registerPageSql(query: RegisterListQuery): { sql: string; params: unknown[] } {
  const { where, params } = registerFilterSql(query);
  if (query.after) {
    where.push('(a.store_id, a.register_id) > (?, ?)');
    params.push(...query.after.split('/'));
  }
  return { sql: `SELECT a.* FROM agents a WHERE ${where.join(' AND ') || '1'} ORDER BY a.store_id, a.register_id LIMIT ?`, params };
}

/** COUNT(*) of a register filter (no cursor). */
export function registerCountSql(query: RegisterListQuery): { sql: string; params: unknown[] } {
  const { where, params } = registerFilterSql(query, { counting: true });
  return { sql: `SELECT COUNT(*) AS n FROM agents a WHERE ${where.join(' AND ') || '1'}`, params };
}

/**
 * The WHERE terms of a register page over `agents a`. The page is always read in (store_id,
 * register_id) order from its unique index and the filters are checked on the way, so no filter
 * makes SQLite collect and sort the fleet: hence `+a.connected` and `+a.id` (a unary + keeps SQLite
 * from driving the query by the offline-sweep index or by a subquery's set, then sorting).
 * `health` matches registers with at least one device whose last report had that health.
 * "Has open tickets" probes the one-open-ticket-per-finding index, named, because without table
 * statistics SQLite prefers tickets_by_register and reads every ticket the register ever had.
 */
function registerFilterSql(query: RegisterListQuery, { counting = false } = {}): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.storeId) {
    where.push('a.store_id = ?');
    params.push(query.storeId);
  }
  if (query.connected) {
    where.push('+a.connected = ?');
    params.push(query.connected === '1' ? 1 : 0);
  }
  if (query.health) {
    // One plain scan of devices, made into a set once per query; no index on devices is needed,
    // so the agents' report path (a devices upsert per report) pays nothing for this filter. A
    // count has no order to keep: there the set drives (a few thousand probes, not 25,000).
    where.push(`${counting ? '' : '+'}a.id IN (SELECT agent_id FROM devices WHERE health = ?)`);
    params.push(query.health);
  }
  if (query.openTickets) {
    where.push(`${query.openTickets === '1' ? '' : 'NOT '}EXISTS (SELECT 1 FROM tickets t INDEXED BY tickets_one_open_per_finding
      WHERE t.agent_id = a.id AND t.status IN ${OPEN_STATUSES})`);
  }
  return { where, params };
}

import type { FiscalDeviceState, RegisterDetail, RegisterForecast, RegisterList, RegisterListQuery, RegisterSummary } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { AgentRow, DeviceRow, OPEN_STATUSES, parseRows } from '../db/rows';
import { NotFound } from './domain-errors';
import { deviceStateFromRow, FISCAL_STATE_COLUMNS, FiscalStateViewRow } from '../fiscal/fiscal-rows';
import { DAY_MS } from '../fiscal/fiscal-settings';
import { daysLeft } from '../fiscal/forecast';
import { paperSupplyOf, printerFactsOf } from './printer-views';

const FISCAL_VIEW_COLUMNS = [...FISCAL_STATE_COLUMNS, 'forecast_json'].join(', ');

/** Register list and summaries (GET /api/registers, the feed's register messages). */
export class RegisterViews {
  constructor(
    private readonly sql: SqlConnection,
    private readonly now: () => Date,
  ) {}

  /**
   * One page of registers (RegisterListQuery). By store: SQLite walks the (store_id, register_id)
   * index in order and stops after the page, checking the filters on the way; by blocking date: it
   * walks agents_by_fiscal_blocking from the earliest date. No filter sorts or materialises the fleet.
   */
  async registerPage(query: RegisterListQuery): Promise<RegisterList> {
    const nowMs = this.now().getTime();
    const { sql: text, params } = registerPageSql(query, nowMs);
    const page = parseRows(AgentRow, await this.sql.all(text, ...params, query.limit + 1));
    const more = page.length > query.limit;
    const agents = more ? page.slice(0, query.limit) : page;
    const last = agents[agents.length - 1];
    let total: number | null = null;
    if (!query.after) {
      if (!more) total = agents.length;
      else {
        const count = registerCountSql(query, nowMs);
        total = (await this.sql.get<{ n: number }>(count.sql, ...count.params))?.n ?? 0;
      }
    }
    const cursorOf = (agent: AgentRow) => `${query.sort === 'blocking' ? `${agent.fiscal_blocking_at}~` : ''}${agent.store_id}/${agent.register_id}`;
    return { registers: await this.summariesOfAgents(agents, nowMs), total, nextCursor: more && last ? cursorOf(last) : null };
  }

  /** These registers (unknown ids are skipped), by store and register id: for the live feed. */
  async registers(agentIds: string[]): Promise<RegisterSummary[]> {
    if (agentIds.length === 0) return [];
    const agents = parseRows(AgentRow, await this.sql.all(
      `SELECT * FROM agents WHERE id IN (${agentIds.map(() => '?').join(', ')}) ORDER BY store_id, register_id`, ...agentIds,
    ));
    return this.summariesOfAgents(agents, this.now().getTime());
  }

  /** One register with its devices' fiscal facts and forecasts, printer facts and paper-supply hint (404 for an unknown id). */
  async registerDetail(agentId: string): Promise<RegisterDetail> {
    const raw = await this.sql.get('SELECT * FROM agents WHERE id = ?', agentId);
    if (!raw) throw new NotFound('register', agentId);
    const [summary] = await this.summariesOfAgents([AgentRow.parse(raw)], this.now().getTime());
    const fiscal = new Map<string, FiscalDeviceState>();
    for (const row of parseRows(FiscalStateViewRow, await this.sql.all(`SELECT ${FISCAL_VIEW_COLUMNS} FROM fiscal_states WHERE agent_id = ?`, agentId))) {
      fiscal.set(row.device_id, deviceStateFromRow(row));
    }
    const printers = await printerFactsOf(this.sql, agentId, summary!.devices.filter((d) => d.kind === 'receipt-printer').map((d) => d.deviceId));
    return {
      ...summary!,
      devices: summary!.devices.map((device) => ({ ...device, fiscal: fiscal.get(device.deviceId) ?? null, printer: printers.get(device.deviceId) ?? null })),
      paperSupply: printers.size > 0 || summary!.devices.some((d) => d.kind === 'receipt-printer') ? await paperSupplyOf(this.sql, agentId, this.now()) : null,
    };
  }

  /** Devices and open-ticket counts of these registers, in two queries; the summaries keep the agents' order. */
  private async summariesOfAgents(agents: AgentRow[], nowMs: number): Promise<RegisterSummary[]> {
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
        identity: device.identity_json,
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
      forecast: registerForecastOf(agent, nowMs),
    }));
  }
}

/** The register's forecast from its agents row (migration 005's fiscal_blocking_* columns). */
export function registerForecastOf(
  agent: Pick<AgentRow, 'fiscal_blocking_at' | 'fiscal_blocking_reason' | 'fiscal_blocking_device'>,
  nowMs: number,
): RegisterForecast | null {
  const { fiscal_blocking_at: at, fiscal_blocking_reason: reason, fiscal_blocking_device: deviceId } = agent;
  if (at === null || reason === null || deviceId === null) return null;
  return { blockingAt: at, reason, deviceId, daysLeft: daysLeft(at, nowMs) };
}

/**
 * Open tickets per register, for `agentCount` agent ids. The index is named: without table
 * statistics SQLite would rather walk every open ticket by status (tickets_queue).
 */
export function openTicketCountsSql(agentCount: number): string {
  return `SELECT agent_id, COUNT(*) AS n FROM tickets INDEXED BY tickets_one_open_per_finding
    WHERE status IN ${OPEN_STATUSES} AND agent_id IN (${Array.from({ length: agentCount }, () => '?').join(', ')}) GROUP BY agent_id`;
}

/**
 * A register page without its LIMIT (the last parameter). `sort=blocking` reads the partial index
 * agents_by_fiscal_blocking (blocking date, store, register) in order; registers without a
 * blocking date are not in it, and not in that list.
 */
export function registerPageSql(query: RegisterListQuery, nowMs: number): { sql: string; params: unknown[] } {
  const byBlocking = query.sort === 'blocking';
  const { where, params } = registerFilterSql(query, nowMs, { byBlocking });
  if (query.after) {
    const [head = '', ids = ''] = byBlocking ? query.after.split('~') : ['', query.after];
    if (byBlocking) {
      where.push('(a.fiscal_blocking_at, a.store_id, a.register_id) > (?, ?, ?)');
      params.push(head, ...ids.split('/'));
    } else {
      where.push('(a.store_id, a.register_id) > (?, ?)');
      params.push(...ids.split('/'));
    }
  }
  const order = byBlocking ? 'a.fiscal_blocking_at, a.store_id, a.register_id' : 'a.store_id, a.register_id';
  return { sql: `SELECT a.* FROM agents a WHERE ${where.join(' AND ') || '1'} ORDER BY ${order} LIMIT ?`, params };
}

/** COUNT(*) of a register filter (no cursor). */
export function registerCountSql(query: RegisterListQuery, nowMs: number): { sql: string; params: unknown[] } {
  const byBlocking = query.sort === 'blocking';
  const { where, params } = registerFilterSql(query, nowMs, { counting: true, byBlocking });
  return { sql: `SELECT COUNT(*) AS n FROM agents a WHERE ${where.join(' AND ') || '1'}`, params };
}

/**
 * The WHERE terms of a register page over `agents a`. By store, the page is read in (store_id,
 * register_id) order from its unique index and the filters are checked on the way, so no filter
 * makes SQLite collect and sort the fleet: hence `+a.connected`, `+a.id` and `+a.fiscal_blocking_at`
 * (a unary + keeps SQLite from driving the query by another index or a subquery's set, then
 * sorting). By blocking date, the blocking index drives and the date bound is its range.
 * `health` matches registers with at least one device whose last report had that health.
 * "Has open tickets" probes the one-open-ticket-per-finding index, named, because without table
 * statistics SQLite prefers tickets_by_register and reads every ticket the register ever had.
 */
function registerFilterSql(query: RegisterListQuery, nowMs: number, { counting = false, byBlocking = false } = {}): { where: string[]; params: unknown[] } {
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
  if (query.blockingWithinDays !== undefined) {
    // Blocked within N days from now, or already: everything up to that instant.
    where.push(`${counting || byBlocking ? '' : '+'}a.fiscal_blocking_at <= ?`);
    params.push(new Date(nowMs + query.blockingWithinDays * DAY_MS).toISOString());
  }
  // Registers without a blocking date are not in agents_by_fiscal_blocking, nor in that list.
  if (byBlocking) where.push('a.fiscal_blocking_at IS NOT NULL');
  return { where, params };
}

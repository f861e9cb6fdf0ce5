import { CashierNote, TimelineEvent, type RegisterSummary, type TicketDetail, type TicketListQuery, type TicketSummary } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { AgentRow, DeviceRow, OPEN_STATUSES, parseRows, SELECT_TICKET_ROW, TicketRow, TicketSummaryRow } from '../db/rows';
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

  /** Most severe first, then oldest first: the order an engineer should work in. */
  async list(query: TicketListQuery, username: string): Promise<TicketSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status === 'active') where.push(`t.status IN ${OPEN_STATUSES}`);
    if (query.status === 'resolved') where.push("t.status IN ('resolved', 'closed')");
    const filter = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (query.group) filter('t.group_name = ?', query.group);
    if (query.storeId) filter('a.store_id = ?', query.storeId);
    if (query.mine === '1') filter('t.assignee = ?', username);
    const rows = await this.sql.all(
      `SELECT ${SUMMARY_COLUMNS} FROM tickets t JOIN agents a ON a.id = t.agent_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY t.priority ASC, t.opened_at ASC, t.id ASC LIMIT ?`,
      ...params, query.limit,
    );
    return parseRows(TicketSummaryRow, rows).map(toSummary);
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

  async registers(agentIds?: string[]): Promise<RegisterSummary[]> {
    if (agentIds && agentIds.length === 0) return [];
    const placeholders = agentIds?.map(() => '?').join(', ');
    const params = agentIds ?? [];
    const agents = parseRows(AgentRow, await this.sql.all(
      `SELECT * FROM agents ${placeholders ? `WHERE id IN (${placeholders})` : ''} ORDER BY store_id, register_id`, ...params,
    ));
    const devicesByAgent = new Map<string, RegisterSummary['devices']>();
    for (const device of parseRows(DeviceRow, await this.sql.all(
      `SELECT * FROM devices ${placeholders ? `WHERE agent_id IN (${placeholders})` : ''} ORDER BY device_id`, ...params,
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
    // Counted only for the registers asked for: the feed calls this after every agent message.
    const openCounts = new Map(
      (await this.sql.all<{ agent_id: string; n: number }[]>(
        `SELECT agent_id, COUNT(*) AS n FROM tickets WHERE status IN ${OPEN_STATUSES}
         ${placeholders ? `AND agent_id IN (${placeholders})` : ''} GROUP BY agent_id`, ...params,
      )).map((row) => [row.agent_id, row.n]),
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

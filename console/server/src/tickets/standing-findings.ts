import { CATALOGUE, type AgentMessage, type DeviceReport, type DiagnosisCode } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { isFiscalReport } from '../fiscal/fiscal-writes';
import { allInChunks, runMultiRow } from '../db/multi-row';
import { OPEN_STATUSES } from '../db/rows';
import type { ChangeSet } from './change-set';
import { readDeviceStates, type StoredDeviceState } from './device-writes';

// A finding whose ticket is open: a standing one (a fiscal drive that expires within 30 days does so
// for a month) comes back with every report. A repeat with the ticket's detail, on an active ticket,
// changes nothing a person is told: the ticket only counts it (`occurrences`) and keeps the report's
// checklist, evidence and model, so an engineer who opens it sees the latest ones. It does NOT move
// `updated_at` and is not published on the live feed: `updated_at` is the time of the last change the
// feed announced (opened, detail changed, recovered, reopened, status, note, deadline). A new detail,
// or a finding back after it recovered, is such a change. One definition for the ticket engine (one
// report) and the ingest batcher (the registers of a batch whose reports need nothing else).

/** The first detail of each distinct finding code, in report order (as the ticket rules apply them). */
export function findingsOf(report: Pick<DeviceReport, 'findings'>): Map<DiagnosisCode, string> {
  const findings = new Map<DiagnosisCode, string>();
  for (const finding of report.findings) {
    // A finding the catalogue keeps off the queue ("could not check") takes no part in the ticket rules.
    if (CATALOGUE[finding.code].opensTicket === false) continue;
    if (!findings.has(finding.code)) findings.set(finding.code, finding.detail);
  }
  return findings;
}

/** One report of a finding that has an open ticket: a repeat, or (`changed`) a new detail or a finding back after it recovered. */
export interface FindingUpdate {
  ticketId: number;
  agentId: string;
  report: Pick<DeviceReport, 'checklist' | 'evidence' | 'model'>;
  detail: string;
  changed: boolean;
}

/**
 * Applies the updates in order, in a few statements: each counts on its ticket and stores its
 * report's checklist, evidence and model (the last of a ticket wins). A changed one also sets the
 * detail, marks the finding active, moves `updated_at`, notes 'finding_changed' and is published;
 * a repeat does none of these (see above).
 */
export async function writeFindingUpdates(sql: SqlConnection, updates: readonly FindingUpdate[], nowIso: string, changes: ChangeSet): Promise<void> {
  const byTicket = new Map<number, { count: number; last: FindingUpdate; changedDetail: string | null }>();
  const events: unknown[][] = [];
  for (const update of updates) {
    const held = byTicket.get(update.ticketId);
    byTicket.set(update.ticketId, { count: (held?.count ?? 0) + 1, last: update, changedDetail: update.changed ? update.detail : held?.changedDetail ?? null });
    if (update.changed) events.push([update.ticketId, nowIso, 'finding_changed', null, update.detail]);
  }
  const rows = [...byTicket].map(([ticketId, { count, last, changedDetail }]) => [
    ticketId, count, JSON.stringify(last.report.checklist), JSON.stringify(last.report.evidence), last.report.model ?? null, changedDetail, changedDetail === null ? null : nowIso,
  ]);
  // A column left NULL keeps the stored value: a repeat sets no detail and no updated_at.
  await runMultiRow(sql, 'WITH finding (id, n, checklist, evidence, model, detail, at) AS (', 7, rows,
    `) UPDATE tickets SET occurrences = occurrences + finding.n, checklist_json = finding.checklist, evidence_json = finding.evidence,
      device_model = COALESCE(finding.model, tickets.device_model), detail = COALESCE(finding.detail, tickets.detail),
      active = IIF(finding.detail IS NULL, tickets.active, 1), updated_at = COALESCE(finding.at, tickets.updated_at)
      FROM finding WHERE tickets.id = finding.id`);
  await runMultiRow(sql, 'INSERT INTO ticket_events (ticket_id, at, kind, actor, text)', 5, events);
  for (const [ticketId, { last, changedDetail }] of byTicket) if (changedDetail !== null) changes.ticketChanged(ticketId, last.agentId);
}

interface OpenDeviceTicket {
  id: number;
  agent_id: string;
  device_id: string;
  code: string;
  active: number;
  detail: string;
}

/** The open device tickets of these registers: agent → device → code → ticket. */
export async function readOpenDeviceTickets(sql: SqlConnection, agentIds: readonly string[]): Promise<Map<string, Map<string, Map<string, OpenDeviceTicket>>>> {
  const rows = await allInChunks<OpenDeviceTicket>(sql, agentIds, (ids) => `SELECT id, agent_id, device_id, code, active, detail
    FROM tickets INDEXED BY tickets_one_open_per_finding WHERE agent_id IN (${ids}) AND device_id IS NOT NULL AND status IN ${OPEN_STATUSES}`);
  const byAgent = new Map<string, Map<string, Map<string, OpenDeviceTicket>>>();
  for (const row of rows) {
    const devices = byAgent.get(row.agent_id) ?? new Map<string, Map<string, OpenDeviceTicket>>();
    const codes = devices.get(row.device_id) ?? new Map<string, OpenDeviceTicket>();
    codes.set(row.code, row);
    devices.set(row.device_id, codes);
    byAgent.set(row.agent_id, devices);
  }
  return byAgent;
}

/**
 * The updates in one register's messages (in order) if every finding has an open ticket and every
 * open ticket of a reported device is in its report: then the ticket rules would open, reopen and
 * recover nothing, only update those tickets. Otherwise undefined.
 */
export function findingUpdates(agentId: string, messages: readonly DeviceReport[][], openTickets: Map<string, Map<string, OpenDeviceTicket>> | undefined): FindingUpdate[] | undefined {
  const updates: FindingUpdate[] = [];
  // What each ticket holds as the messages apply one after another.
  const current = new Map<number, { active: boolean; detail: string }>();
  for (const report of messages.flat()) {
    const open = openTickets?.get(report.deviceId);
    const findings = findingsOf(report);
    if (findings.size !== (open?.size ?? 0)) return undefined;
    for (const [code, detail] of findings) {
      const ticket = open?.get(code);
      if (!ticket) return undefined;
      const held = current.get(ticket.id) ?? { active: ticket.active === 1, detail: ticket.detail };
      updates.push({ ticketId: ticket.id, agentId, report, detail, changed: !held.active || held.detail !== detail });
      current.set(ticket.id, { active: true, detail });
    }
  }
  return updates;
}

/** The registers of a batch whose reports only update open tickets (findingUpdates), with what the batch path needs. */
export interface StandingBatch {
  agents: Set<string>;
  updates: FindingUpdate[];
  /** Their devices' stored state, keyed by deviceKey(). */
  states: Map<string, StoredDeviceState>;
  /** Those that reported a fiscal register: their fiscal tickets' deadlines are re-evaluated, as the ticket rules do. */
  fiscalAgents: string[];
}

/**
 * Picks the registers all of whose messages in the batch are health reports that only update open
 * tickets (findingUpdates: no ticket opens, reopens or recovers, so the set of open tickets read
 * before the batch holds for each message), and that hold no finding. Three reads for the batch.
 */
export async function readStandingBatch(sql: SqlConnection, items: readonly { agentId: string; message: AgentMessage }[]): Promise<StandingBatch> {
  const reportsOf = new Map<string, DeviceReport[][] | null>();
  for (const { agentId, message } of items) {
    const earlier = reportsOf.get(agentId);
    if (earlier === null) continue;
    reportsOf.set(agentId, message.type === 'health' ? [...(earlier ?? []), message.payload.devices] : null);
  }
  const healthOnly = [...reportsOf].filter(([, reports]) => reports !== null).map(([agentId]) => agentId);
  const batch: StandingBatch = { agents: new Set(), updates: [], states: new Map(), fiscalAgents: [] };
  if (healthOnly.length === 0) return batch;
  // A register with a held finding (noise hold) goes through the rules: its report may clear it.
  const holding = new Set((await allInChunks<{ agent_id: string }>(sql, healthOnly,
    (ids) => `SELECT DISTINCT agent_id FROM pending_findings WHERE agent_id IN (${ids}) AND present = 1`)).map((row) => row.agent_id));
  const candidates = healthOnly.filter((agentId) => !holding.has(agentId));
  const tickets = await readOpenDeviceTickets(sql, candidates);
  for (const agentId of candidates) {
    const messages = reportsOf.get(agentId) ?? [];
    const updates = findingUpdates(agentId, messages, tickets.get(agentId));
    if (!updates) continue;
    batch.agents.add(agentId);
    batch.updates.push(...updates);
    if (messages.some((reports) => reports.some(isFiscalReport))) batch.fiscalAgents.push(agentId);
  }
  if (batch.agents.size > 0) batch.states = await readDeviceStates(sql, [...batch.agents]);
  return batch;
}

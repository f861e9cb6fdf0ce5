import { CATALOGUE, type ChecklistAnswer, type DiagnosisCode } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { OPEN_STATUSES, type TicketRow } from '../db/rows';
import type { ChangeSet } from '../tickets/change-set';
import type { CorrelateStage } from '../tickets/stages/correlate';
import type { TicketFinding } from '../tickets/stages/finding';
import { addEvent, findTicket, RESOLUTION_ENDS_WAIT } from '../tickets/ticket-store';
import { alikeVerdict, silenceVerdict, type CorrelationSettings, type StoreVerdict } from './store-verdict';

// Store correlation (issue 11): when most registers of a store go silent, or report the same code,
// within a short window, ONE store incident (`store.outage`, scope 'store', device NULL, anchored on
// one of its registers, routed like any ticket: the catalogue sends it to network) carries them:
// each register ticket becomes its symptom (parent_id), hidden from the default queue and listed on
// the incident. While the incident is open a symptom's recovery is only noted; once fewer than
// `minRegisters` symptoms are still failing the incident recovers, and when it is resolved (by
// itself or by an engineer) its open symptoms resolve with it. A register still failing after that
// gets a ticket of its own from its next report or offline sweep. No manual dependency rules.

const INCIDENT_CODE: DiagnosisCode = 'store.outage';
const SILENCE: DiagnosisCode = 'agent.offline';

/** The tickets the correlation opens and recovers: the pipeline's own, so an incident is routed, due and announced like any ticket. */
export interface IncidentTickets {
  /** Opens a ticket for the finding now: no hold, no correlation (route, deadlines, open, notify). */
  openNow(sql: SqlConnection, finding: TicketFinding, changes: ChangeSet): Promise<number>;
  /** The finding of this open ticket has gone (the recovery rules, then afterRecovery). */
  absent(sql: SqlConnection, open: TicketRow, changes: ChangeSet): Promise<void>;
}

export interface StoreCorrelationDeps {
  now: () => Date;
  /** Late-bound: the pipeline this stage is part of. */
  tickets: () => IncidentTickets;
  /** The admins' correlation settings (the noise settings' `correlation`). */
  settings: (sql: SqlConnection) => Promise<CorrelationSettings>;
}

export type StoreCorrelation = Required<CorrelateStage>;

/**
 * Whether tickets of this code may be symptoms: only a condition the catalogue marks as pointing to
 * the store itself (`storeCause`: silence, peripherals and the fiscal register not answering, the
 * OFD or time servers out of reach). Never a consumable (two registers out of paper together are
 * two tickets), a cashier's words, drift (an edited reference drifts a whole store by design) or an
 * incident itself.
 */
export function correlates(code: DiagnosisCode): boolean {
  const entry = CATALOGUE[code];
  return entry.storeCause === true && entry.scope !== 'store';
}

interface OpenIncident {
  id: number;
  agent_id: string;
}

export function createStoreCorrelation({ now, tickets, settings }: StoreCorrelationDeps): StoreCorrelation {
  const nowIso = () => now().toISOString();

  /** The store's open incident: at most one (only this stage opens them, and it reuses an open one). */
  const openIncidentOf = (sql: SqlConnection, storeId: string) => sql.get<OpenIncident>(
    `SELECT id, agent_id FROM tickets WHERE store_id = ? AND status IN ${OPEN_STATUSES} AND code = ? ORDER BY id LIMIT 1`, storeId, INCIDENT_CODE,
  );

  /** Whether the incident already carries symptoms of this code: then a new one attaches without counting again. */
  const hasCause = async (sql: SqlConnection, incidentId: number, code: DiagnosisCode) =>
    (await sql.get('SELECT 1 AS found FROM tickets WHERE parent_id = ? AND code = ? LIMIT 1', incidentId, code)) !== undefined;

  async function noteSymptom(sql: SqlConnection, incident: OpenIncident, agentId: string, code: DiagnosisCode, changes: ChangeSet) {
    const register = await sql.get<{ register_id: string }>('SELECT register_id FROM agents WHERE id = ?', agentId);
    const at = nowIso();
    await addEvent(sql, incident.id, at, 'symptom_attached', null, `${register?.register_id ?? agentId}: ${code}`);
    await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', at, incident.id);
    changes.ticketChanged(incident.id, incident.agent_id);
  }

  /** The verdict's registers' open tickets of this code that stand alone yet become symptoms too (but `self`, the finding's own). */
  async function attachOpen(sql: SqlConnection, incident: OpenIncident, verdict: StoreVerdict, code: DiagnosisCode, self: number | null, changes: ChangeSet) {
    const members = new Set(verdict.agentIds);
    const standing = await sql.all<{ id: number; agent_id: string }[]>(
      `SELECT id, agent_id FROM tickets WHERE store_id = ? AND status IN ${OPEN_STATUSES} AND code = ? AND parent_id IS NULL ORDER BY id`,
      verdict.storeId, code,
    );
    for (const ticket of standing.filter((row) => members.has(row.agent_id) && row.id !== self)) {
      await sql.run('UPDATE tickets SET parent_id = ?, updated_at = ? WHERE id = ?', incident.id, nowIso(), ticket.id);
      await addEvent(sql, ticket.id, nowIso(), 'attached_to_incident', null, `#${incident.id}`);
      changes.ticketChanged(ticket.id, ticket.agent_id);
      await noteSymptom(sql, incident, ticket.agent_id, code, changes);
    }
  }

  function incidentFinding(finding: TicketFinding, verdict: StoreVerdict, config: CorrelationSettings): TicketFinding {
    const share = `${verdict.agentIds.length} of ${verdict.alive} registers of store ${verdict.storeId}`;
    const silence = finding.code === SILENCE;
    const checklist: ChecklistAnswer[] = silence ? [{ step: 'agent.connected', result: 'failed', observed: `${share} silent since ${verdict.since}` }] : [];
    return {
      agentId: finding.agentId, deviceId: null, code: INCIDENT_CODE, checklist, evidence: null, device: null, source: { kind: 'event' },
      detail: silence
        ? `${share} went silent within ${config.windowSec} s (the first at ${verdict.since}).`
        : `${share} report ${finding.code} within ${config.windowSec} s.`,
    };
  }

  /** Resolves the incident's open symptoms with it (auto: it resolved itself, as untouched tickets do). */
  async function resolveSymptoms(sql: SqlConnection, incidentId: number, auto: boolean, changes: ChangeSet) {
    const open = await sql.all<{ id: number; agent_id: string }[]>(`SELECT id, agent_id FROM tickets WHERE parent_id = ? AND status IN ${OPEN_STATUSES}`, incidentId);
    const at = nowIso();
    for (const symptom of open) {
      await sql.run(`UPDATE tickets SET status = 'resolved', resolved_at = ?, updated_at = ?, active = 0, auto_resolved = ?, ${RESOLUTION_ENDS_WAIT} WHERE id = ?`, at, at, Number(auto), symptom.id);
      await addEvent(sql, symptom.id, at, 'resolved_with_incident', null, `#${incidentId}`);
      changes.ticketChanged(symptom.id, symptom.agent_id, true);
    }
  }

  /**
   * The store incident the finding's ticket is a symptom of, opening it when this finding tips the
   * store over; null for a ticket of its own. `self`: the finding's ticket when it exists already (reopened).
   */
  async function incidentFor(sql: SqlConnection, finding: TicketFinding, self: number | null, changes: ChangeSet): Promise<number | null> {
    if (!correlates(finding.code)) return null;
    const store = await sql.get<{ store_id: string }>('SELECT store_id FROM agents WHERE id = ?', finding.agentId);
    if (!store) return null;
    const incident = await openIncidentOf(sql, store.store_id);
    if (incident && (await hasCause(sql, incident.id, finding.code))) {
      await noteSymptom(sql, incident, finding.agentId, finding.code, changes);
      return incident.id;
    }
    const config = await settings(sql);
    const verdict = finding.code === SILENCE
      ? await silenceVerdict(sql, finding.agentId, config)
      : await alikeVerdict(sql, finding.agentId, finding.code, nowIso(), config);
    if (!verdict?.incident) return null;
    const target = incident ?? { id: await tickets().openNow(sql, incidentFinding(finding, verdict, config), changes), agent_id: finding.agentId };
    await attachOpen(sql, target, verdict, finding.code, self, changes);
    await noteSymptom(sql, target, finding.agentId, finding.code, changes);
    return target.id;
  }

  return {
    parentOf: (sql, finding, changes) => incidentFor(sql, finding, null, changes),

    async afterReopen(sql, ticketId, finding, changes) {
      // A ticket reopened (its condition back soon after it resolved) is judged like a new one: its
      // old incident is over, and its store may be failing again as a whole.
      const parentId = await incidentFor(sql, finding, ticketId, changes);
      await sql.run('UPDATE tickets SET parent_id = ? WHERE id = ?', parentId, ticketId);
      if (parentId !== null) await addEvent(sql, ticketId, nowIso(), 'attached_to_incident', null, `#${parentId}`);
    },

    async waitsForIncident(sql, ticket) {
      if (ticket.parent_id === null) return false;
      const parent = await sql.get(`SELECT 1 AS found FROM tickets WHERE id = ? AND status IN ${OPEN_STATUSES}`, ticket.parent_id);
      return parent !== undefined;
    },

    async afterRecovery(sql, ticket, resolved, changes) {
      if (ticket.scope === 'store') {
        if (resolved) await resolveSymptoms(sql, ticket.id, true, changes);
        return;
      }
      if (ticket.parent_id === null) return;
      const incident = await findTicket(sql, ticket.parent_id);
      if (!incident?.active || (incident.status !== 'open' && incident.status !== 'in_progress')) return;
      const failing = await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tickets WHERE parent_id = ? AND status IN ${OPEN_STATUSES} AND active = 1`, incident.id);
      // The store is back once fewer registers fail than could make an incident.
      if ((failing?.n ?? 0) < (await settings(sql)).minRegisters) await tickets().absent(sql, incident, changes);
    },

    async afterResolve(sql, ticketId, changes) {
      const ticket = await findTicket(sql, ticketId);
      if (ticket?.scope === 'store' && ticket.status === 'resolved') await resolveSymptoms(sql, ticket.id, false, changes);
    },
  };
}

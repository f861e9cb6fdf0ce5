import { DriverId, HostSection, type DeviceReport, type HostFacts, type HostSectionName } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { allInChunks, runMultiRow } from '../db/multi-row';
import { jsonColumn } from '../db/rows';

// Each register's latest host section per probe (migration 008, host_sections). One definition for
// the ticket engine (a message at a time) and the ingest fast path (a batch of registers).

/** A host section as a register reported it. */
export interface HostSectionWrite {
  agentId: string;
  section: HostSectionName;
  driver: DriverId;
  /** when the probe read it (the report's probedAt) */
  reportedAt: string;
  facts: HostSection;
}

/** The sections that drift is computed from: a report of only the clock or the OS log changes no drift. */
export const DRIFT_SECTIONS: ReadonlySet<HostSectionName> = new Set(['os', 'print', 'peripherals', 'pos']);

/** The host sections carried by these reports (kind 'host' with `host` set), in order. */
export function hostSectionsOf(agentId: string, reports: readonly DeviceReport[]): HostSectionWrite[] {
  return reports.flatMap((report) =>
    report.kind === 'host' && report.host ? [{ agentId, section: report.host.section, driver: report.driver, reportedAt: report.probedAt, facts: report.host }] : [],
  );
}

/**
 * Upserts each section. The latest to arrive wins, not the latest probedAt: one agent's messages
 * apply in the order it sent them, and a register whose clock was set back (a fixed clock drift)
 * must not have its facts frozen until its clock passes the old time again.
 */
export async function writeHostSections(sql: SqlConnection, writes: readonly HostSectionWrite[]): Promise<void> {
  // Within one statement a key may appear once: the last write of each (register, section) wins.
  const last = new Map(writes.map((write) => [`${write.agentId}\u0000${write.section}`, write]));
  await runMultiRow(sql, 'INSERT INTO host_sections (agent_id, section, driver, reported_at, facts_json)', 5,
    [...last.values()].map((write) => [write.agentId, write.section, write.driver, write.reportedAt, JSON.stringify(write.facts)]),
    'ON CONFLICT (agent_id, section) DO UPDATE SET driver = excluded.driver, reported_at = excluded.reported_at, facts_json = excluded.facts_json');
}

export const HostSectionRow = z.object({
  agent_id: z.string(),
  section: z.string(),
  driver: DriverId,
  reported_at: z.string(),
  facts_json: jsonColumn(HostSection),
});
export type HostSectionRow = z.infer<typeof HostSectionRow>;

/** The stored sections of these registers; `sections` limits which (default all). */
export async function readHostSections(sql: SqlConnection, agentIds: readonly string[], sections?: readonly HostSectionName[]): Promise<HostSectionRow[]> {
  const only = sections ? ` AND section IN (${sections.map((name) => `'${name}'`).join(', ')})` : '';
  const rows = await allInChunks<unknown>(sql, agentIds, (ids) => `SELECT agent_id, section, driver, reported_at, facts_json FROM host_sections WHERE agent_id IN (${ids})${only}`);
  return rows.map((row) => HostSectionRow.parse(row));
}

/** The register's host state: its latest section of each probe. */
export function mergeFacts(rows: readonly HostSectionRow[]): HostFacts {
  const facts: HostFacts = {};
  for (const { facts_json: section } of rows) (facts as Record<HostSectionName, HostSection>)[section.section] = section;
  return facts;
}

/** The drift-relevant facts of each register, keyed by agent id (registers without any section are absent). */
export async function readDriftFacts(sql: SqlConnection, agentIds: readonly string[]): Promise<Map<string, HostFacts>> {
  const byAgent = new Map<string, HostSectionRow[]>();
  for (const row of await readHostSections(sql, agentIds, [...DRIFT_SECTIONS])) byAgent.set(row.agent_id, [...(byAgent.get(row.agent_id) ?? []), row]);
  return new Map([...byAgent].map(([agentId, rows]) => [agentId, mergeFacts(rows)]));
}

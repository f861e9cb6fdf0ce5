import type { ChecklistAnswer, DeviceReport, DiagnosisCode, DriftDifference, HostFacts } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { allInChunks } from '../db/multi-row';
import type { ChangeSet } from '../tickets/change-set';
import { areasOf, carryForward, computeDrift, driftDetail, sameDifferences } from './drift';
import { DRIFT_SECTIONS, hostSectionsOf, readDriftFacts, writeHostSections } from './host-store';
import { chooseReference, type StoredReference } from './reference-choice';
import { readDriftRows, readReferences, writeDriftRows, type DriftRow, type DriftWrite } from './reference-store';

/** The drift ticket's device: one per register, whatever differs. */
export const DRIFT_DEVICE_ID = 'reference';
export const DRIFT_CODE: DiagnosisCode = 'host.drift_from_reference';

/** A finding the console derives itself: `present` null means it has gone (recovered). */
export interface DerivedFinding {
  deviceId: string;
  code: DiagnosisCode;
  present: {
    detail: string;
    checklist: ChecklistAnswer[];
    /** what it is about changed (the set of differences): the ticket gets a `drift_changed` entry */
    changed: boolean;
  } | null;
}

/** The ticket rules the stage needs (TicketEngine). */
export interface DerivedFindingRules {
  applyDerivedFinding(sql: SqlConnection, agentId: string, finding: DerivedFinding, changes: ChangeSet): Promise<void>;
}

/** Host reports of one register, as one message carried them. */
export interface HostReportBatch {
  agentId: string;
  reports: readonly DeviceReport[];
}

// The console's side of host facts inside the ticket engine's transactions: stores each register's
// latest host sections and keeps its comparison with its reference (register_drift) and its ONE
// `host.drift_from_reference` ticket (device 'reference') in step: opened when differences appear,
// updated with a `drift_changed` entry when the set of differences changes, recovered (the engine's
// rule: an untouched ticket resolves itself) when the register matches again or no reference applies.

/**
 * Stores the host sections of these reports and recomputes the drift of registers whose
 * drift-relevant sections (os, print, peripherals, pos) arrived.
 */
export async function applyHostReports(sql: SqlConnection, rules: DerivedFindingRules, batches: readonly HostReportBatch[], nowIso: string, changes: ChangeSet): Promise<void> {
  const writes = batches.flatMap((batch) => hostSectionsOf(batch.agentId, batch.reports));
  if (writes.length === 0) return;
  await writeHostSections(sql, writes);
  const drifting = [...new Set(writes.filter((write) => DRIFT_SECTIONS.has(write.section)).map((write) => write.agentId))];
  await recomputeDrift(sql, rules, drifting, nowIso, changes);
}

/** Compares each register with the reference that applies to it now and applies the ticket rule. */
export async function recomputeDrift(sql: SqlConnection, rules: DerivedFindingRules, agentIds: readonly string[], nowIso: string, changes: ChangeSet): Promise<void> {
  if (agentIds.length === 0) return;
  const references = await readReferences(sql);
  const previous = await readDriftRows(sql, agentIds);
  // A console without references (until an admin makes one) compares nothing: no facts to read.
  if (references.length === 0 && previous.size === 0) return;
  const facts = await readDriftFacts(sql, agentIds);
  const registers = await allInChunks<{ id: string; store_id: string }>(sql, agentIds, (ids) => `SELECT id, store_id FROM agents WHERE id IN (${ids})`);
  const writes: DriftWrite[] = [];
  for (const { id: agentId, store_id: storeId } of registers) {
    const registerFacts = facts.get(agentId);
    const before = previous.get(agentId);
    // A model the OS did not give this time (systeminformation failed) is taken to be the one its
    // reference was chosen by: a failed read must not make the reference, and its ticket, go away.
    const lastModel = references.find((reference) => reference.id === before?.reference_id)?.scope.machineModel;
    const reference = chooseReference(references, { storeId, machineModel: registerFacts?.os?.machine?.model || lastModel });
    const { write, differences } = compareWithReference(agentId, reference, registerFacts, before, nowIso);
    if (write.referenceId !== null || before) writes.push(write);
    const changed = (before?.reference_id ?? undefined) !== reference?.id || !sameDifferences(before?.differences_json ?? [], differences);
    if (changed) changes.registers.add(agentId); // its page shows the comparison
    const hadDrift = (before?.differences_json?.length ?? 0) > 0;
    if (differences.length === 0 && !hadDrift) continue;
    const present = differences.length === 0 || !reference ? null : {
      detail: driftDetail(reference.name, differences),
      checklist: [{ step: 'host.reference' as const, result: 'failed' as const, observed: driftDetail(reference.name, differences, 200) }],
      changed,
    };
    await rules.applyDerivedFinding(sql, agentId, { deviceId: DRIFT_DEVICE_ID, code: DRIFT_CODE, present }, changes);
  }
  await writeDriftRows(sql, writes);
}

/** The register's comparison to store, and its differences ([] when no reference applies or nothing is known). */
function compareWithReference(
  agentId: string, reference: StoredReference | undefined, facts: HostFacts | undefined, before: DriftRow | undefined, nowIso: string,
): { write: DriftWrite; differences: DriftDifference[] } {
  if (!reference) return { write: { agentId, referenceId: null, comparedAt: null, differences: null, unchecked: [] }, differences: [] };
  if (!facts) return { write: { agentId, referenceId: reference.id, comparedAt: null, differences: null, unchecked: areasOf(reference.spec) }, differences: [] };
  const outcome = computeDrift(reference.spec, facts);
  const carried = before?.reference_id === reference.id ? before.differences_json ?? [] : [];
  const differences = carryForward(outcome, carried).slice(0, 256);
  return { write: { agentId, referenceId: reference.id, comparedAt: nowIso, differences, unchecked: outcome.unchecked }, differences };
}

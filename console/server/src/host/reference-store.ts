import { DriftDifference, ReferenceScope, ReferenceSpec, type ReferenceDetail, type ReferenceRequest, type ReferenceSummary } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { allInChunks, runInChunks, runMultiRow } from '../db/multi-row';
import { jsonColumn, parseRows } from '../db/rows';
import type { StoredReference } from './reference-choice';

// Reference images (host_references) and each register's latest comparison (register_drift),
// migration 008. Rows are parsed on read like every other table's.

const ReferenceRow = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  scope_json: jsonColumn(ReferenceScope),
  spec_json: jsonColumn(ReferenceSpec),
  created_by: z.string(),
  updated_at: z.string(),
});

const toReference = (row: z.infer<typeof ReferenceRow>): StoredReference => ({
  id: row.id, name: row.name, scope: row.scope_json, spec: row.spec_json, createdBy: row.created_by, updatedAt: row.updated_at,
});

const REFERENCE_COLUMNS = 'id, name, scope_json, spec_json, created_by, updated_at';

/** Every reference: a console holds a handful (one per register model or store format), read whole. */
export async function readReferences(sql: SqlConnection): Promise<StoredReference[]> {
  return parseRows(ReferenceRow, await sql.all(`SELECT ${REFERENCE_COLUMNS} FROM host_references ORDER BY id`)).map(toReference);
}

export async function readReference(sql: SqlConnection, id: number): Promise<StoredReference | undefined> {
  const row = await sql.get(`SELECT ${REFERENCE_COLUMNS} FROM host_references WHERE id = ?`, id);
  return row ? toReference(ReferenceRow.parse(row)) : undefined;
}

export async function insertReference(sql: SqlConnection, request: ReferenceRequest, createdBy: string, nowIso: string): Promise<number> {
  const result = await sql.run(
    'INSERT INTO host_references (name, scope_json, spec_json, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    request.name, JSON.stringify(request.scope), JSON.stringify(request.spec), createdBy, nowIso, nowIso,
  );
  if (result.lastID === undefined) throw new Error('reference insert returned no id');
  return result.lastID;
}

/** Returns false when there is no such reference. */
export async function updateReference(sql: SqlConnection, id: number, request: ReferenceRequest, nowIso: string): Promise<boolean> {
  const result = await sql.run(
    'UPDATE host_references SET name = ?, scope_json = ?, spec_json = ?, updated_at = ? WHERE id = ?',
    request.name, JSON.stringify(request.scope), JSON.stringify(request.spec), nowIso, id,
  );
  return (result.changes ?? 0) > 0;
}

/** Deletes the reference; its registers' comparisons stay, without a reference, until compared again (migration 008). */
export async function deleteReference(sql: SqlConnection, id: number): Promise<boolean> {
  return ((await sql.run('DELETE FROM host_references WHERE id = ?', id)).changes ?? 0) > 0;
}

// --- comparisons -----------------------------------------------------------------------------------

export const DriftRow = z.object({
  agent_id: z.string(),
  /** null: the reference was deleted and the register not compared again yet */
  reference_id: z.number().int().positive().nullable(),
  compared_at: z.string().nullable(),
  differences_json: jsonColumn(z.array(DriftDifference)).nullable(),
  unchecked_json: jsonColumn(z.array(z.string())),
});
export type DriftRow = z.infer<typeof DriftRow>;

export async function readDriftRows(sql: SqlConnection, agentIds: readonly string[]): Promise<Map<string, DriftRow>> {
  const rows = await allInChunks<unknown>(sql, agentIds, (ids) => `SELECT * FROM register_drift WHERE agent_id IN (${ids})`);
  return new Map(rows.map((row) => DriftRow.parse(row)).map((row) => [row.agent_id, row]));
}

/** The registers whose latest comparison was with this reference. */
export async function agentsComparedWith(sql: SqlConnection, referenceId: number): Promise<string[]> {
  return (await sql.all<{ agent_id: string }[]>('SELECT agent_id FROM register_drift WHERE reference_id = ?', referenceId)).map((row) => row.agent_id);
}

/** A register's comparison to store; `referenceId` null deletes it (no reference applies). */
export interface DriftWrite {
  agentId: string;
  referenceId: number | null;
  comparedAt: string | null;
  differences: DriftDifference[] | null;
  unchecked: string[];
}

/** Upserts (or deletes) the comparisons in a few multi-row statements. */
export async function writeDriftRows(sql: SqlConnection, writes: readonly DriftWrite[]): Promise<void> {
  const kept = writes.filter((write) => write.referenceId !== null);
  await runMultiRow(sql, 'INSERT INTO register_drift (agent_id, reference_id, compared_at, differences_json, unchecked_json)', 5,
    kept.map((row) => [row.agentId, row.referenceId, row.comparedAt, row.differences === null ? null : JSON.stringify(row.differences), JSON.stringify(row.unchecked)]),
    `ON CONFLICT (agent_id) DO UPDATE SET reference_id = excluded.reference_id, compared_at = excluded.compared_at,
       differences_json = excluded.differences_json, unchecked_json = excluded.unchecked_json`);
  const gone = writes.filter((write) => write.referenceId === null).map((write) => write.agentId);
  await runInChunks(sql, gone, (ids) => `DELETE FROM register_drift WHERE agent_id IN (${ids})`);
}

/**
 * How a comparison counts on its reference: differing when it found differences; unknown when the
 * register has not reported host facts, or not all the reference asks about (areas unchecked); else matching.
 */
export function outcomeOf(row: Pick<DriftRow, 'differences_json' | 'unchecked_json'>): 'matching' | 'differing' | 'unknown' {
  if (row.differences_json && row.differences_json.length > 0) return 'differing';
  return row.differences_json === null || row.unchecked_json.length > 0 ? 'unknown' : 'matching';
}

const COUNTS_SQL = `SELECT reference_id,
    SUM(differences_json IS NOT NULL AND differences_json <> '[]') AS differing,
    SUM(differences_json = '[]' AND unchecked_json = '[]') AS matching,
    SUM(differences_json IS NULL OR (differences_json = '[]' AND unchecked_json <> '[]')) AS unknown
  FROM register_drift WHERE reference_id IS NOT NULL GROUP BY reference_id`;

const Counts = z.object({ reference_id: z.number().int(), differing: z.number().int(), matching: z.number().int(), unknown: z.number().int() });

function summaryOf(reference: StoredReference, counts: Omit<z.infer<typeof Counts>, 'reference_id'> | undefined): ReferenceSummary {
  return {
    id: reference.id, name: reference.name, scope: reference.scope, createdBy: reference.createdBy, updatedAt: reference.updatedAt,
    matching: counts?.matching ?? 0, differing: counts?.differing ?? 0, unknown: counts?.unknown ?? 0,
  };
}

/** Every reference with how many of its registers match, differ, or are not known yet (outcomeOf, in SQL). */
export async function referenceSummaries(sql: SqlConnection): Promise<ReferenceSummary[]> {
  const counts = new Map(parseRows(Counts, await sql.all(COUNTS_SQL)).map((row) => [row.reference_id, row]));
  return (await readReferences(sql)).map((reference) => summaryOf(reference, counts.get(reference.id)));
}

const DetailRow = DriftRow.extend({ store_id: z.string(), register_id: z.string() });

/** The reference, its counts, and each register it applies to with its differences (null: unknown, see outcomeOf). */
export async function referenceDetail(sql: SqlConnection, id: number): Promise<ReferenceDetail | undefined> {
  const reference = await readReference(sql, id);
  if (!reference) return undefined;
  const rows = parseRows(DetailRow, await sql.all(
    `SELECT d.*, a.store_id, a.register_id FROM register_drift d JOIN agents a ON a.id = d.agent_id
     WHERE d.reference_id = ? ORDER BY a.store_id, a.register_id`, id,
  ));
  const counts = { matching: 0, differing: 0, unknown: 0 };
  for (const row of rows) counts[outcomeOf(row)] += 1;
  return {
    ...summaryOf(reference, counts),
    spec: reference.spec,
    registers: rows.map((row) => ({
      agentId: row.agent_id, storeId: row.store_id, registerId: row.register_id,
      differences: outcomeOf(row) === 'unknown' ? null : row.differences_json, comparedAt: row.compared_at,
    })),
  };
}

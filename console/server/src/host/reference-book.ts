import type { PromoteRegisterRequest, ReferenceDetail, ReferenceRequest, ReferenceScope } from '@tillscope/shared';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import { promotedReference } from './host-views';
import { sameModel } from './reference-choice';
import { agentsComparedWith, deleteReference, insertReference, readReference, referenceDetail, updateReference } from './reference-store';

/** Registers compared again per write transaction after a reference changed: ingest waits between them, not behind the whole fleet. */
export const RECOMPUTE_CHUNK = 500;

/** What the book needs of the ticket engine. */
export interface DriftRecomputer {
  recomputeDrift(sql: SqlConnection, agentIds: readonly string[], changes: ChangeSet): Promise<void>;
}

/** Why a register cannot be promoted. */
export type PromoteRefusal = 'unknown_register' | 'no_host_facts';

/**
 * Admins' changes to reference images. Each change is written in one transaction; then every
 * register it may concern (those its scope matches before and after, and those last compared with
 * it) is compared again, in transactions of RECOMPUTE_CHUNK registers, each published when
 * committed. A comparison is idempotent, so ingest comparing a register in between does no harm.
 */
export class ReferenceBook {
  constructor(
    private readonly db: ConsoleDatabase,
    private readonly engine: DriftRecomputer,
    private readonly bus: ChangeBus,
    private readonly now: () => Date,
  ) {}

  async create(request: ReferenceRequest, createdBy: string): Promise<ReferenceDetail> {
    const { id, affected } = await this.db.write(async (sql) => {
      const id = await insertReference(sql, request, createdBy, this.now().toISOString());
      return { id, affected: await registersInScope(sql, request.scope) };
    });
    return this.recomputeAndDescribe(id, affected);
  }

  /** Undefined: no such reference. */
  async update(id: number, request: ReferenceRequest): Promise<ReferenceDetail | undefined> {
    const affected = await this.db.write(async (sql) => {
      const before = await readReference(sql, id);
      if (!before) return undefined;
      const concerned = new Set([...(await agentsComparedWith(sql, id)), ...(await registersInScope(sql, before.scope))]);
      await updateReference(sql, id, request, this.now().toISOString());
      for (const agentId of await registersInScope(sql, request.scope)) concerned.add(agentId);
      return [...concerned];
    });
    return affected && this.recomputeAndDescribe(id, affected);
  }

  /** False: no such reference. Its registers are compared again with whatever applies to them now. */
  async remove(id: number): Promise<boolean> {
    const affected = await this.db.write(async (sql) => {
      const compared = await agentsComparedWith(sql, id);
      return (await deleteReference(sql, id)) ? compared : undefined;
    });
    if (!affected) return false;
    await this.recompute(affected);
    return true;
  }

  /** The register's current state becomes a new reference. */
  async promote(request: PromoteRegisterRequest, createdBy: string): Promise<ReferenceDetail | PromoteRefusal> {
    const known = await this.db.sql.get('SELECT 1 AS found FROM agents WHERE id = ?', request.agentId);
    if (!known) return 'unknown_register';
    const reference = await promotedReference(this.db.sql, request);
    if (!reference) return 'no_host_facts';
    return this.create(reference, createdBy);
  }

  private async recomputeAndDescribe(id: number, agentIds: readonly string[]): Promise<ReferenceDetail> {
    await this.recompute(agentIds);
    const detail = await referenceDetail(this.db.sql, id);
    if (!detail) throw new Error(`reference ${id} vanished while it was being applied`);
    return detail;
  }

  private async recompute(agentIds: readonly string[]): Promise<void> {
    for (let start = 0; start < agentIds.length; start += RECOMPUTE_CHUNK) {
      const changes = new ChangeSet();
      await this.db.write((sql) => this.engine.recomputeDrift(sql, agentIds.slice(start, start + RECOMPUTE_CHUNK), changes));
      this.bus.publish(changes);
    }
  }
}

/** The registers a scope may apply to: in its stores, or reporting its machine model (compared as reference-choice does). */
async function registersInScope(sql: SqlConnection, scope: ReferenceScope): Promise<string[]> {
  const found = new Set<string>();
  if (scope.storeIds.length > 0) {
    const placeholders = scope.storeIds.map(() => '?').join(', ');
    for (const row of await sql.all<{ id: string }[]>(`SELECT id FROM agents WHERE store_id IN (${placeholders})`, ...scope.storeIds)) found.add(row.id);
  }
  const model = scope.machineModel;
  if (model !== undefined) {
    const rows = await sql.all<{ agent_id: string; model: unknown }[]>(
      "SELECT agent_id, json_extract(facts_json, '$.machine.model') AS model FROM host_sections WHERE section = 'os'",
    );
    for (const row of rows) if (typeof row.model === 'string' && sameModel(row.model, model)) found.add(row.agent_id);
  }
  return [...found];
}

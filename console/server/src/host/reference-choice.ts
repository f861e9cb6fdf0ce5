import type { ReferenceScope, ReferenceSpec } from '@tillscope/shared';

/** A reference as stored (host_references), parsed. */
export interface StoredReference {
  id: number;
  name: string;
  scope: ReferenceScope;
  spec: ReferenceSpec;
  createdBy: string;
  updatedAt: string;
}

/** What a reference's scope is matched against: the register's store and the machine model its OS reports. */
export interface RegisterIdentity {
  storeId: string;
  /** OsSection `machine.model`; undefined until the register reported it */
  machineModel: string | undefined;
}

/** Machine models are compared trimmed and case-insensitively (firmware strings vary in case). */
export const sameModel = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * How specific a matching scope is (3: model and stores, 2: stores, 1: model), or 0 when it does
 * not apply. A scope that names both applies only to registers matching both.
 */
export function specificity(scope: ReferenceScope, register: RegisterIdentity): number {
  const byModel = scope.machineModel !== undefined;
  const byStore = scope.storeIds.length > 0;
  if (byModel && (register.machineModel === undefined || !sameModel(scope.machineModel!, register.machineModel))) return 0;
  if (byStore && !scope.storeIds.includes(register.storeId)) return 0;
  return (byStore ? 2 : 0) + (byModel ? 1 : 0);
}

/**
 * The register's reference (host-api.ts ReferenceScope): the most specific that applies, ties going
 * to the most recently updated (then the higher id); undefined when none applies.
 */
export function chooseReference(references: readonly StoredReference[], register: RegisterIdentity): StoredReference | undefined {
  let best: { reference: StoredReference; rank: number } | undefined;
  for (const reference of references) {
    const rank = specificity(reference.scope, register);
    if (rank === 0) continue;
    const better = !best || rank > best.rank
      || (rank === best.rank && (reference.updatedAt > best.reference.updatedAt || (reference.updatedAt === best.reference.updatedAt && reference.id > best.reference.id)));
    if (better) best = { reference, rank };
  }
  return best?.reference;
}

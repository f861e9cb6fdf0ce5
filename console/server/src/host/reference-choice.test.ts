import { ReferenceScope } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { referenceSpec } from './host-fixtures';
import { chooseReference, specificity, type StoredReference } from './reference-choice';

const reference = (id: number, scope: Partial<ReferenceScope>, updatedAt = '2026-11-22T10:00:00.000Z'): StoredReference => ({
  id, name: `ref ${id}`, scope: ReferenceScope.parse({ storeIds: [], ...scope }), spec: referenceSpec(), createdBy: 'admin', updatedAt,
});

const till = { storeId: 'store-1', machineModel: ' jazz 2 ' };

describe('which reference a register takes', () => {
  it('ranks model and stores over stores over model, and applies a scope only if all it names matches', () => {
    expect(specificity(reference(1, { machineModel: 'Jazz 2', storeIds: ['store-1'] }).scope, till)).toBe(3);
    expect(specificity(reference(1, { storeIds: ['store-1'] }).scope, till)).toBe(2);
    expect(specificity(reference(1, { machineModel: 'JAZZ 2' }).scope, till)).toBe(1);
    expect(specificity(reference(1, { machineModel: 'Jazz 2', storeIds: ['store-2'] }).scope, till)).toBe(0);
    expect(specificity(reference(1, { machineModel: 'Jazz 2' }).scope, { storeId: 'store-1', machineModel: undefined })).toBe(0);
  });

  it('takes the most specific, then the most recently updated, then the higher id', () => {
    const model = reference(1, { machineModel: 'Jazz 2' }, '2026-11-23T00:00:00.000Z');
    const store = reference(2, { storeIds: ['store-1'] });
    const both = reference(3, { machineModel: 'Jazz 2', storeIds: ['store-1', 'store-9'] });
    const other = reference(4, { storeIds: ['store-9'] });
    expect(chooseReference([model, store, both, other], till)?.id).toBe(3);
    expect(chooseReference([model, store, other], till)?.id).toBe(2);
    expect(chooseReference([model, other], till)?.id).toBe(1);
    expect(chooseReference([other], till)).toBeUndefined();
    const newer = reference(5, { storeIds: ['store-1'] }, '2026-11-24T00:00:00.000Z');
    expect(chooseReference([newer, store], till)?.id).toBe(5);
    expect(chooseReference([reference(7, { storeIds: ['store-1'] }), store], till)?.id).toBe(7);
  });
});

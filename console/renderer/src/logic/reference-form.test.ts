import { describe, expect, it } from 'vitest';
import { makeReferenceDetail } from '../testing/host-fixtures';
import { EMPTY_FORM, formFromReference, requestFromForm } from './reference-form';

describe('the reference form', () => {
  it('turns a reference into lines and back into the same request', () => {
    const reference = makeReferenceDetail(3, {
      scope: { machineModel: 'POS-M15', storeFormat: 'магазин у дома', storeIds: ['msk-014', 'msk-020'] },
    });
    reference.spec.services.push({ name: 'cups.service', startMode: 'disabled' });
    reference.spec.posApps.push({ id: 'ukm', running: false });
    const form = formFromReference(reference);
    expect(form.services).toBe('Spooler = running, auto\ncups.service = -, disabled');
    expect(form.posApps).toBe('frontol = 6.21.0, running\nukm = -, stopped');
    expect(form.storeIds).toBe('msk-014, msk-020');
    expect(requestFromForm(form)).toEqual({ request: { name: reference.name, scope: reference.scope, spec: reference.spec } });
  });

  it('reads lines loosely: spaces, case, empty lines, a driver without a version, a device without a name', () => {
    const result = requestFromForm({
      ...EMPTY_FORM,
      name: '  Атол на Linux  ',
      storeIds: 'spb-001\nspb-002;  spb-003',
      drivers: '\n  ATOL RP-326 = 1.2, build 7  \n\nGeneric / Text Only\n',
      services: 'cups.service = RUNNING',
      fiscalStack: 'ATOL-DRIVER-10',
      peripherals: '0FE6:811E',
      configFiles: `fptr10.json = ${'C'.repeat(64)}`,
    });
    expect(result).toEqual({
      request: {
        name: 'Атол на Linux',
        scope: { storeIds: ['spb-001', 'spb-002', 'spb-003'] },
        spec: {
          drivers: [{ name: 'ATOL RP-326', version: '1.2, build 7' }, { name: 'Generic / Text Only' }],
          services: [{ name: 'cups.service', state: 'running' }],
          posApps: [],
          fiscalStack: [{ id: 'atol-driver-10' }],
          peripherals: [{ vendorId: '0fe6', productId: '811e', name: '0fe6:811e' }],
          configFiles: [{ name: 'fptr10.json', sha256: 'c'.repeat(64) }],
        },
      },
    });
  });

  it('names every problem with its field and line, and sends nothing', () => {
    const result = requestFromForm({
      ...EMPTY_FORM,
      storeIds: 'msk 014/2',
      services: 'Spooler = sleeping',
      posApps: 'frontol = 6\nkassa-plus = 1.0',
      peripherals: 'epson printer',
      configFiles: 'frontol.ini = abc',
    });
    expect('errors' in result && result.errors.map((e) => [e.field, e.line, e.key, e.vars ?? e.hint])).toEqual([
      ['name', undefined, 'refForm.error.name', undefined],
      ['storeIds', undefined, 'refForm.error.store', { value: '014/2' }],
      ['services', 1, 'refForm.problem.value', { value: 'sleeping' }],
      ['posApps', 2, 'refForm.problem.value', { value: 'kassa-plus' }],
      ['peripherals', 1, 'refForm.problem.format', 'refForm.hint.peripherals'],
      ['configFiles', 1, 'refForm.problem.format', 'refForm.hint.configFiles'],
    ]);
  });

  it('needs a machine model or a store, and keeps to the schema\'s limits', () => {
    const noScope = requestFromForm({ ...EMPTY_FORM, name: 'x' });
    expect('errors' in noScope && noScope.errors.map((e) => e.field)).toEqual(['scope']);
    const tooMany = requestFromForm({ ...EMPTY_FORM, name: 'x', machineModel: 'm', posApps: Array.from({ length: 9 }, () => 'ukm').join('\n') });
    expect('errors' in tooMany && tooMany.errors.map((e) => [e.field, e.key])).toEqual([['posApps', 'refForm.problem.tooMany']]);
    const tooLong = requestFromForm({ ...EMPTY_FORM, name: 'x', machineModel: 'm', drivers: `d = ${'9'.repeat(65)}` });
    expect('errors' in tooLong && tooLong.errors.map((e) => [e.field, e.key])).toEqual([['drivers', 'refForm.error.tooLong']]);
  });
});

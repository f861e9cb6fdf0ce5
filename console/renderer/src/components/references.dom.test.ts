// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Me } from '@tillscope/shared';
import { ApiError, type ApiClient } from '../api/client';
import { flush, mountPerTest } from '../testing/dom';
import { makeReferenceDetail, makeReferenceSummary } from '../testing/host-fixtures';
import { ReferencesScreen } from './references';

const engineer: Me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer', groups: ['pos_software'] };
const admin: Me = { username: 'root', displayName: 'Админ', role: 'admin', groups: [] };
const hostile = '<img src=x onerror="alert(1)">';
const mount = mountPerTest();

function referencesApi() {
  return {
    references: vi.fn(async () => ({
      references: [makeReferenceSummary(3), makeReferenceSummary(4, { name: hostile, scope: { storeFormat: 'магазин у дома', storeIds: ['msk-014', 'msk-020'] }, matching: 5, differing: 0, unknown: 0 })],
    })),
    reference: vi.fn(async (id: number) => makeReferenceDetail(id)),
    createReference: vi.fn(async () => makeReferenceSummary(8)),
    updateReference: vi.fn(async (id: number) => makeReferenceSummary(id)),
    deleteReference: vi.fn(async () => undefined),
  };
}

const type = (el: HTMLElement, testid: string, value: string) =>
  void act(() => {
    const field = el.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testid}"]`)!;
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
const click = (el: HTMLElement, testid: string) => act(async () => void el.querySelector<HTMLElement>(`[data-testid="${testid}"]`)!.click());

describe('the references list', () => {
  it('shows each reference with its scope and how many registers match, differ or have not reported', async () => {
    const api = referencesApi();
    const el = mount(h(ReferencesScreen, { id: null, api: api as unknown as ApiClient, me: engineer, onNavigate: () => {} }));
    await flush();
    const rows = [...el.querySelectorAll('[data-testid="references-table"] tbody tr')].map((tr) => [
      tr.querySelector('a')!.textContent,
      tr.querySelector('[data-testid="reference-scope"]')!.textContent,
      ...['matching', 'differing', 'unknown'].map((c) => tr.querySelector(`[data-count="${c}"]`)!.textContent),
    ]);
    expect(rows).toEqual([
      ['Pioneer POS-M15, Windows 10', 'модель POS-M15', '12', '2', '1'],
      [hostile, 'формат «магазин у дома» · магазинов: 2', '5', '0', '0'],
    ]);
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[data-reference-id="3"] a')!.getAttribute('href')).toBe('#/references/3');
    // Creating is for admins.
    expect(el.querySelector('[data-testid="reference-create"]')).toBeNull();
  });

  it('says how to start when there is none, and offers admins a new one', async () => {
    const api = { ...referencesApi(), references: vi.fn(async () => ({ references: [] })) };
    const el = mount(h(ReferencesScreen, { id: null, api: api as unknown as ApiClient, me: admin, onNavigate: () => {} }));
    await flush();
    expect(el.querySelector('[data-testid="references-empty"]')!.textContent).toContain('сделайте эталоном исправную кассу');
    expect(el.querySelector('[data-testid="reference-create"]')!.getAttribute('href')).toBe('#/references/new');
  });
});

describe('one reference', () => {
  it('shows what it expects and its registers, differing first, each difference as expected against actual', async () => {
    const api = referencesApi();
    const el = mount(h(ReferencesScreen, { id: 3, api: api as unknown as ApiClient, me: engineer, onNavigate: () => {} }));
    await flush();
    expect(api.reference).toHaveBeenCalledWith(3);
    const spec = el.querySelector('[data-testid="reference-spec"]')!;
    expect(spec.querySelector('[data-spec="services"]')!.textContent).toContain('Spooler — работает — автоматически');
    expect(spec.querySelector('[data-spec="fiscalStack"]')!.textContent).toContain('atol-driver-10 — любая версия');
    const registers = [...el.querySelectorAll('[data-testid="reference-registers"] > li')].map((li) => [li.getAttribute('data-agent-id'), li.getAttribute('data-state')]);
    expect(registers).toEqual([['agt-1', 'differs'], ['agt-3', 'unknown'], ['agt-2', 'matches']]);
    const differing = el.querySelector('[data-agent-id="agt-1"]')!;
    expect(differing.querySelector('a')!.getAttribute('href')).toBe('#/registers/agt-1');
    expect(differing.querySelector('[data-kind="driver_version"]')!.textContent).toBe('Другая версия драйвера' + 'EPSON TM-T20II Receipt5' + '5.10.0.0' + '5.12.0.0');
    expect(el.querySelector('[data-agent-id="agt-3"]')!.textContent).toContain('касса ещё не сообщила данные');
    expect(el.querySelector('[data-testid="reference-edit"]')).toBeNull();
  });

  it('lets an admin edit it: the form starts from the reference and sends the changed request', async () => {
    const api = referencesApi();
    const el = mount(h(ReferencesScreen, { id: 3, api: api as unknown as ApiClient, me: admin, onNavigate: () => {} }));
    await flush();
    await click(el, 'reference-edit');
    expect(el.querySelector<HTMLTextAreaElement>('[data-testid="ref-drivers"]')!.value).toBe('EPSON TM-T20II Receipt5 = 5.10.0.0');
    type(el, 'ref-drivers', 'EPSON TM-T20II Receipt5 = 5.12.0.0');
    await click(el, 'ref-save');
    await flush();
    const reference = makeReferenceDetail(3);
    expect(api.updateReference).toHaveBeenCalledWith(3, {
      name: reference.name,
      scope: reference.scope,
      spec: { ...reference.spec, drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0' }] },
    });
    // Saved: back to the reference, read again.
    expect(el.querySelector('[data-testid="reference-form"]')).toBeNull();
    expect(api.reference).toHaveBeenCalledTimes(2);
  });

  it('asks before deleting, then goes back to the list', async () => {
    const api = referencesApi();
    const onNavigate = vi.fn();
    const el = mount(h(ReferencesScreen, { id: 3, api: api as unknown as ApiClient, me: admin, onNavigate }));
    await flush();
    await click(el, 'reference-delete');
    expect(api.deleteReference).not.toHaveBeenCalled();
    expect(el.querySelector('[data-testid="reference-delete-confirm"]')!.textContent).toContain('Удалить эталон «Pioneer POS-M15, Windows 10»?');
    await click(el, 'reference-delete-yes');
    await flush();
    expect(api.deleteReference).toHaveBeenCalledWith(3);
    expect(onNavigate).toHaveBeenCalledWith(null);
  });
});

describe('a new reference', () => {
  it('lists each problem with its field and line before sending, then creates and opens it', async () => {
    const api = referencesApi();
    const onNavigate = vi.fn();
    const el = mount(h(ReferencesScreen, { id: 'new', api: api as unknown as ApiClient, me: admin, onNavigate }));
    type(el, 'ref-name', 'Linux + АТОЛ');
    type(el, 'ref-services', 'cups.service = running, auto\ncups-browsed = sleeping');
    await click(el, 'ref-save');
    const errors = [...el.querySelectorAll('[data-testid="ref-errors"] li')].map((li) => li.textContent);
    expect(errors).toEqual(['Укажите модель компьютера или хотя бы один магазин.', 'Службы, строка 2: неизвестное значение «sleeping»']);
    expect(el.querySelector('[data-testid="ref-model"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(api.createReference).not.toHaveBeenCalled();

    type(el, 'ref-stores', 'spb-001');
    type(el, 'ref-services', 'cups.service = running, auto');
    await click(el, 'ref-save');
    await flush();
    expect(api.createReference).toHaveBeenCalledWith({
      name: 'Linux + АТОЛ',
      scope: { storeIds: ['spb-001'] },
      spec: { drivers: [], services: [{ name: 'cups.service', state: 'running', startMode: 'auto' }], posApps: [], fiscalStack: [], peripherals: [], configFiles: [] },
    });
    expect(onNavigate).toHaveBeenCalledWith(8);
  });

  it('shows the server\'s refusal and keeps what was typed', async () => {
    const api = { ...referencesApi(), createReference: vi.fn(async () => Promise.reject(new ApiError(403, 'forbidden', 'admins only'))) };
    const el = mount(h(ReferencesScreen, { id: 'new', api: api as unknown as ApiClient, me: admin, onNavigate: () => {} }));
    type(el, 'ref-name', 'x');
    type(el, 'ref-model', 'POS-M15');
    await click(el, 'ref-save');
    await flush();
    expect(el.querySelector('[data-testid="ref-save-error"]')!.textContent).toContain('Недостаточно прав');
    expect(el.querySelector<HTMLInputElement>('[data-testid="ref-name"]')!.value).toBe('x');
  });

  it('is not offered to an engineer', () => {
    const el = mount(h(ReferencesScreen, { id: 'new', api: referencesApi() as unknown as ApiClient, me: engineer, onNavigate: () => {} }));
    expect(el.querySelector('[data-testid="reference-form"]')).toBeNull();
    expect(el.textContent).toContain('Создавать и менять эталоны могут администраторы.');
  });
});

// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, clickAndFlush, typeInto } from '../testing/dom-actions';
import { makeRegister } from '../testing/fixtures';
import { admin, engineer, fakeServer, makeStore, makeWindow, writes, type FakeCall } from '../testing/service-fixtures';
import { MaintenancePlanForm } from './maintenance-plan';
import { ServiceDeskScreen } from './service-desk';

const mount = mountPerTest();
const q = (el: HTMLElement, testid: string) => byTestId(el, testid);
const type = typeInto;
const click = (el: HTMLElement, testid: string) => clickAndFlush(q(el, testid));
function windowsServer() {
  const current = [makeWindow(7, { state: 'active', suppressed: 12, createdBy: 'petrova' }), makeWindow(8, { registerId: 'pos-2', createdBy: 'ivanov' })];
  const past = [makeWindow(3, { state: 'ended', suppressed: 40 }), makeWindow(2, { state: 'cancelled', cancelledBy: 'root', cancelledAt: '2026-11-20T10:00:00Z' })];
  return fakeServer({
    'GET /api/maintenance?state=current': { windows: current },
    'GET /api/maintenance?state=past': { windows: past },
    'GET /api/stores': { stores: [makeStore('msk-001'), makeStore('vvo-003', { timeZone: 'Asia/Vladivostok' })] },
    'POST /api/maintenance': (c: FakeCall) => ({ status: 201, body: makeWindow(9, c.body as object) }),
    'GET /api/registers?storeId=vvo-003&limit=1000': { registers: [makeRegister('agt-1', { storeId: 'vvo-003', registerId: 'pos-1' }), makeRegister('agt-2', { storeId: 'vvo-003', registerId: 'pos-2' })], total: 2, nextCursor: null },
    'DELETE /api/maintenance/*': (c: FakeCall) => makeWindow(Number(c.path.split('/')[3]), { state: 'cancelled', cancelledBy: 'root', cancelledAt: '2026-11-30T12:00:00Z' }),
  });
}

describe('maintenance windows', () => {
  it('lists current and past windows with how many findings each held back', async () => {
    const { api } = windowsServer();
    const el = mount(h(ServiceDeskScreen, { section: 'maintenance', api, me: engineer }));
    await flush();
    const rows = (testid: string) =>
      [...el.querySelectorAll(`[data-testid="${testid}"] tbody tr`)].map((tr) => [tr.getAttribute('data-window-id'), tr.getAttribute('data-state'), tr.querySelector('[data-col="suppressed"]')!.textContent]);
    expect(rows('svc-mw-current')).toEqual([['7', 'active', '12'], ['8', 'planned', '0']]);
    expect(rows('svc-mw-past')).toEqual([['3', 'ended', '40'], ['2', 'cancelled', '0']]);
    expect(el.querySelector('[data-window-id="7"]')!.textContent).toContain('весь магазин');
    expect(el.querySelector('[data-window-id="2"]')!.textContent).toContain('отменил root');
    // An engineer may cancel a window that has not ended, whoever planned it; an ended one stays as history.
    expect(el.querySelector('[data-window-id="7"] [data-testid="svc-mw-cancel"]')).not.toBeNull();
    expect(el.querySelector('[data-window-id="8"] [data-testid="svc-mw-cancel"]')).not.toBeNull();
    expect(el.querySelector('[data-window-id="3"] [data-testid="svc-mw-cancel"]')).toBeNull();
    expect(el.querySelector('[data-window-id="2"] [data-testid="svc-mw-cancel"]')).toBeNull();
  });

  it('lets an engineer plan one in the store time zone, after naming each problem', async () => {
    const { api, calls } = windowsServer();
    const el = mount(h(ServiceDeskScreen, { section: 'maintenance', api, me: engineer }));
    await flush();
    type(el, 'svc-mw-store', 'vvo-003');
    await flush();
    expect([...el.querySelectorAll('[data-testid="svc-mw-register-list"] option')].map((o) => o.getAttribute('value'))).toEqual(['pos-1', 'pos-2']);
    type(el, 'svc-mw-starts', '2030-06-01T02:00');
    type(el, 'svc-mw-ends', '2030-06-01T01:00');
    type(el, 'svc-mw-reason', 'ок');
    await click(el, 'svc-mw-submit');
    expect([...el.querySelectorAll('[data-testid="svc-mw-errors"] li')].map((li) => li.textContent)).toEqual([
      'Конец: конец должен быть позже начала',
      'Причина: опишите причину (от 3 до 500 символов)',
    ]);
    expect(q(el, 'svc-mw-reason').getAttribute('aria-invalid')).toBe('true');
    expect(writes(calls)).toEqual([]);
    expect(q(el, 'svc-mw-zone').textContent).toBe('Время магазина (Asia/Vladivostok).');

    type(el, 'svc-mw-ends', '2030-06-01T05:00');
    type(el, 'svc-mw-reason', 'Замена роутера');
    type(el, 'svc-mw-register', 'pos-1');
    const listsBefore = calls.filter((c) => c.path.startsWith('/api/maintenance?')).length;
    await click(el, 'svc-mw-submit');
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/api/maintenance', body: { storeId: 'vvo-003', registerId: 'pos-1', startsAt: '2030-05-31T16:00:00Z', endsAt: '2030-05-31T19:00:00Z', reason: 'Замена роутера' } },
    ]);
    expect(q(el, 'svc-mw-planned').textContent).toBe('Работы запланированы.');
    // Both lists are read again.
    expect(calls.filter((c) => c.path.startsWith('/api/maintenance?')).length).toBe(listsBefore + 2);
  });

  it('asks before cancelling, then cancels and reads the lists again', async () => {
    const { api, calls } = windowsServer();
    const el = mount(h(ServiceDeskScreen, { section: 'maintenance', api, me: admin }));
    await flush();
    await act(async () => void el.querySelector<HTMLElement>('[data-window-id="7"] [data-testid="svc-mw-cancel"]')!.click());
    expect(writes(calls)).toEqual([]);
    expect(el.querySelector('[data-window-id="7"] [role="alertdialog"]')!.textContent).toContain('Отменить эти работы?');
    await click(el, 'svc-mw-cancel-yes');
    expect(writes(calls)).toEqual([{ method: 'DELETE', path: '/api/maintenance/7', body: undefined }]);
  });

  it('shows a refusal of the server beside the window', async () => {
    const { api } = fakeServer({
      'GET /api/maintenance?state=current': { windows: [makeWindow(8, { createdBy: 'ivanov' })] },
      'GET /api/maintenance?state=past': { windows: [] },
      'DELETE /api/maintenance/8': { status: 403, body: { ok: false, code: 'forbidden', message: 'not yours' } },
    });
    const el = mount(h(ServiceDeskScreen, { section: 'maintenance', api, me: engineer }));
    await flush();
    await click(el, 'svc-mw-cancel');
    await click(el, 'svc-mw-cancel-yes');
    expect(q(el, 'svc-mw-cancel-error').textContent).toBe('Недостаточно прав для этого действия.');
    expect(q(el, 'svc-mw-past-empty').textContent).toBe('Нет.');
  });

  it('says the part is not available on a server without maintenance windows', async () => {
    const { api } = fakeServer({ 'GET /api/stores': { stores: [] } });
    const el = mount(h(ServiceDeskScreen, { section: 'maintenance', api, me: engineer }));
    await flush();
    expect(q(el, 'svc-mw-unavailable')).not.toBeNull();
    expect(q(el, 'svc-mw-form')).toBeNull();
  });

  it('reads the times of a store it does not know in the browser zone, and refuses a window ending in the past', async () => {
    const { api, calls } = fakeServer({});
    const now = () => Date.parse('2026-11-30T12:00:00Z');
    const el = mount(h(MaintenancePlanForm, { api, stores: [], onPlanned: () => {}, now }));
    type(el, 'svc-mw-store', 'spb-009');
    type(el, 'svc-mw-starts', '2026-11-29T10:00');
    type(el, 'svc-mw-ends', '2026-11-29T12:00');
    type(el, 'svc-mw-reason', 'Переезд кассы');
    await click(el, 'svc-mw-submit');
    expect(q(el, 'svc-mw-zone').textContent).toContain('Время этого компьютера');
    expect(q(el, 'svc-mw-errors').textContent).toBe('Конец: работы не могут закончиться в прошлом');
    expect(calls).toEqual([]);
  });
});

// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { SlaTargets, StoreSettings, UpdateStoreRequest } from '@tillscope/shared';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, choose, clickAndFlush, typeInto } from '../testing/dom-actions';
import { admin, engineer, fakeServer, makeStore, makeTargets, writes } from '../testing/service-fixtures';
import { Header } from './header';
import { ServiceDeskScreen } from './service-desk';

const mount = mountPerTest();
const q = (el: HTMLElement, testid: string) => byTestId(el, testid);
const type = typeInto;
const click = (el: HTMLElement, testid: string) => clickAndFlush(q(el, testid));
const pick = (el: HTMLElement, testid: string, value: string) => choose(byTestId<HTMLSelectElement>(el, testid), value);
describe('SLA targets', () => {
  it('shows the category × priority table in h:mm and checks each cell before sending', async () => {
    const { api, calls } = fakeServer({ 'GET /api/sla/targets': makeTargets(), 'PUT /api/sla/targets': (c) => c.body });
    const el = mount(h(ServiceDeskScreen, { section: 'sla', api, me: admin }));
    await flush();
    expect(q(el, 'sla-printer/1-react').value).toBe('0:15');
    expect(q(el, 'sla-fiscal/4-resolve').value).toBe('72:00');
    expect(el.querySelectorAll('[data-testid="svc-sla-table"] tbody tr')).toHaveLength(6);

    type(el, 'sla-printer/1-react', 'скоро');
    type(el, 'sla-fiscal/2-react', '9:00');
    await click(el, 'svc-sla-save');
    expect([...el.querySelectorAll('[data-testid="svc-sla-errors"] li')].map((li) => li.textContent)).toEqual([
      'Печать чеков, P1, реакция: не понимаю время: напишите ч:мм, например 0:15 или 4:00',
      'ККТ и ФН, P2, реакция: реакция не может быть дольше решения',
    ]);
    expect(q(el, 'sla-printer/1-react').getAttribute('aria-invalid')).toBe('true');
    expect(writes(calls)).toEqual([]);

    type(el, 'sla-printer/1-react', '0:10');
    type(el, 'sla-fiscal/2-react', '20 мин');
    await click(el, 'svc-sla-save');
    const sent = writes(calls)[0]!.body as SlaTargets;
    expect(sent.targets).toHaveLength(24);
    expect(sent.targets.find((t) => t.category === 'printer' && t.priority === 1)).toEqual({ category: 'printer', priority: 1, reactMinutes: 10, resolveMinutes: 240 });
    expect(sent.targets.find((t) => t.category === 'fiscal' && t.priority === 2)?.reactMinutes).toBe(20);
    expect(q(el, 'svc-sla-saved').textContent).toBe('Сохранено');
    expect(q(el, 'sla-fiscal/2-react').value).toBe('0:20');
  });

  it('is read-only for an engineer', async () => {
    const { api } = fakeServer({ 'GET /api/sla/targets': makeTargets() });
    const el = mount(h(ServiceDeskScreen, { section: 'sla', api, me: engineer }));
    await flush();
    expect(q(el, 'sla-printer/1-react').tagName).toBe('SPAN');
    expect(q(el, 'sla-printer/1-react').textContent).toBe('0:15');
    expect(q(el, 'svc-sla-save')).toBeNull();
    expect(q(el, 'svc-read-only')).not.toBeNull();
  });

  it('says the part is not available when the server has no such route (404), and offers every part in the tabs', async () => {
    const { api } = fakeServer({});
    const el = mount(h(ServiceDeskScreen, { section: 'sla', api, me: admin }));
    await flush();
    expect(q(el, 'svc-sla-unavailable').textContent).toContain('Этот раздел пока недоступен');
    expect(q(el, 'svc-sla-error')).toBeNull();
    expect([...el.querySelectorAll('.service-tabs a')].map((a) => a.getAttribute('href'))).toEqual([
      '#/service/sla', '#/service/stores', '#/service/calendar', '#/service/groups', '#/service/routing', '#/service/noise', '#/service/maintenance', '#/service/notify', '#/service/actions', '#/service/cashier',
    ]);
  });

  it('shows an answer that does not match the shared schema as an error, not as data', async () => {
    const { api } = fakeServer({ 'GET /api/sla/targets': { targets: [{ category: 'printer', priority: 7, reactMinutes: 1, resolveMinutes: 2 }] } });
    const el = mount(h(ServiceDeskScreen, { section: 'sla', api, me: admin }));
    await flush();
    expect(q(el, 'svc-sla-error').textContent).toContain('Сервер прислал неожиданный ответ');
  });
});

describe('stores', () => {
  const stores = () => ({ stores: [makeStore('msk-001'), makeStore('vvo-003', { timeZone: 'Asia/Vladivostok', calendar: 'own', hours: Array(7).fill({ open: '00:00', close: '24:00' }) })] });

  it('lists each store with its zone, hours Monday first and calendar', async () => {
    const { api } = fakeServer({ 'GET /api/stores': stores() });
    const el = mount(h(ServiceDeskScreen, { section: 'stores', api, me: engineer }));
    await flush();
    const rows = [...el.querySelectorAll('[data-testid="svc-stores-table"] tbody tr')].map((tr) => ['zone', 'hours', 'calendar'].map((c) => tr.querySelector(`[data-col="${c}"]`)!.textContent));
    expect(rows).toEqual([
      ['Europe/Moscow', 'Пн–Пт 09:00–21:00, Сб 10:00–18:00, Вс выходной', 'календарь сети'],
      ['Asia/Vladivostok', 'Пн–Вс 00:00–24:00', 'свои дни поверх календаря сети'],
    ]);
    expect(q(el, 'svc-store-edit')).toBeNull();
  });

  it('lets an admin edit one store: names the bad weekday before sending, then sends the zone, hours and calendar', async () => {
    let saved: StoreSettings | null = null;
    const { api, calls } = fakeServer({
      'GET /api/stores': stores(),
      'PUT /api/stores/msk-001': (c) => (saved = { ...makeStore('msk-001'), ...(c.body as UpdateStoreRequest) } as StoreSettings),
    });
    const el = mount(h(ServiceDeskScreen, { section: 'stores', api, me: admin }));
    await flush();
    await click(el, 'svc-store-edit');
    const zones = [...el.querySelectorAll<HTMLOptionElement>('[data-testid="svc-store-zone"] option')].map((o) => o.value);
    expect(zones.slice(0, 2)).toEqual(['Europe/Kaliningrad', 'Europe/Moscow']);
    expect(zones).toContain('America/New_York');

    type(el, 'svc-day-2-to', '08:00');
    type(el, 'svc-day-3-from', '9');
    await click(el, 'svc-store-save');
    expect([...el.querySelectorAll('[data-testid="svc-store-errors"] li')].map((li) => li.textContent)).toEqual([
      'Вт: закрытие должно быть позже открытия (не позже 24:00)',
      'Ср: время пишется как чч:мм, например 09:00',
    ]);
    expect(writes(calls)).toEqual([]);

    type(el, 'svc-day-2-to', '24:00');
    type(el, 'svc-day-3-from', '9:30');
    await act(async () => {
      const sunday = q(el, 'svc-day-7-open');
      sunday.click();
    });
    type(el, 'svc-day-7-from', '10:00');
    type(el, 'svc-day-7-to', '16:00');
    await pick(el, 'svc-store-zone', 'Asia/Yekaterinburg');
    await act(async () => void q(el, 'svc-store-mode-none').click());
    await click(el, 'svc-store-save');
    expect(writes(calls)).toEqual([
      {
        method: 'PUT',
        path: '/api/stores/msk-001',
        body: {
          name: 'Магазин msk-001',
          timeZone: 'Asia/Yekaterinburg',
          hours: [
            { open: '09:00', close: '21:00' }, { open: '09:00', close: '24:00' }, { open: '09:30', close: '21:00' }, { open: '09:00', close: '21:00' },
            { open: '09:00', close: '21:00' }, { open: '10:00', close: '18:00' }, { open: '10:00', close: '16:00' },
          ],
          calendar: 'none',
        },
      },
    ]);
    expect(saved).not.toBeNull();
    expect(q(el, 'svc-store-editor')).toBeNull();
    expect(el.querySelector('[data-store-id="msk-001"] [data-col="zone"]')!.textContent).toBe('Asia/Yekaterinburg');
    expect(q(el, 'svc-store-saved')).not.toBeNull();
  });

  it('shows the server refusal (400) and keeps the form', async () => {
    const { api } = fakeServer({ 'GET /api/stores': stores(), 'PUT /api/stores/msk-001': () => ({ status: 400, body: { ok: false, code: 'bad_request', message: 'unknown time zone' } }) });
    const el = mount(h(ServiceDeskScreen, { section: 'stores', api, me: admin }));
    await flush();
    await click(el, 'svc-store-edit');
    await click(el, 'svc-store-save');
    expect(q(el, 'svc-store-save-error').textContent).toBe('Ошибка: unknown time zone');
    expect(q(el, 'svc-store-editor')).not.toBeNull();
  });
});

describe('the header', () => {
  it('has a "Сервис" entry, marked current on the service desk', () => {
    const el = mount(h(Header, { me: engineer, route: { name: 'service', section: 'noise' }, feedState: 'live', canEnableNotifications: false, onEnableNotifications: () => {}, onLocale: () => {}, onLogout: () => {} }));
    const link = q(el, 'nav-service');
    expect([link.textContent, link.getAttribute('href'), link.getAttribute('aria-current')]).toEqual(['Сервис', '#/service', 'page']);
  });
});

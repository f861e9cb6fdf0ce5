// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import type { DeliveryList, NotifyChannel, NotifyRule } from '@tillscope/shared';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, choose, clickAndFlush, typeInto } from '../testing/dom-actions';
import { admin, engineer, fakeServer, makeGroups, writes } from '../testing/service-fixtures';
import { ServiceDeskScreen } from './service-desk';

const mount = mountPerTest();
const q = (el: HTMLElement, testid: string) => byTestId(el, testid);

const telegram: NotifyChannel = { id: 1, kind: 'telegram', name: 'Дежурные', enabled: true, perMinute: 20, config: { chatId: '-100500' }, secret: { set: true, last4: '-xyz' } };
const rule: NotifyRule = { id: 3, channelId: 1, group: 'printers', triggers: ['p1_opened', 'escalated'], quiet: { from: '22:00', to: '08:00', timeZone: 'Europe/Moscow', p1Overrides: true }, enabled: true };
const deliveries: DeliveryList = {
  deliveries: [
    { id: 9, channelId: 1, channelName: 'Дежурные', channelKind: 'telegram', ticketId: 41, trigger: 'p1_opened', status: 'failed', attempts: 9, createdAt: '2026-11-22T10:00:00.000Z', nextAt: '2026-11-22T11:00:00.000Z', sentAt: null, lastError: 'Telegram 403: Forbidden: bot was kicked', quiet: false },
    { id: 8, channelId: 1, channelName: 'Дежурные', channelKind: 'telegram', ticketId: 40, trigger: 'sla_warning', status: 'pending', attempts: 0, createdAt: '2026-11-22T09:00:00.000Z', nextAt: '2026-11-23T05:00:00.000Z', sentAt: null, lastError: null, quiet: true },
  ],
  counts: [{ channelId: 1, status: 'failed', count: 1 }, { channelId: 1, status: 'pending', count: 1 }, { channelId: 1, status: 'sent', count: 12 }],
};

function server(extra: Record<string, unknown> = {}) {
  return fakeServer({
    'GET /api/notify/channels': { channels: [telegram] },
    'GET /api/notify/rules': { rules: [rule] },
    'GET /api/groups': makeGroups(),
    'GET /api/notify/deliveries*': deliveries,
    ...extra,
  });
}

describe('notifications (service desk)', () => {
  it('an engineer sees that admins set it up, and nothing is asked of the server', async () => {
    const { api, calls } = server();
    const el = mount(h(ServiceDeskScreen, { section: 'notify', api, me: engineer }));
    await flush();
    expect(q(el, 'ntf-admins-only').textContent).toBe('Каналы и правила уведомлений настраивает администратор.');
    expect(calls.filter((c) => c.path.startsWith('/api/notify'))).toEqual([]);
  });

  it('lists channels without their secrets, rules in words, and deliveries with counts; retries a failed one', async () => {
    const { api, calls } = server({ 'POST /api/notify/deliveries/9/retry': { ok: true } });
    const el = mount(h(ServiceDeskScreen, { section: 'notify', api, me: admin }));
    await flush();
    await flush(); // the deliveries load once the setup is shown
    const row = el.querySelector('[data-channel-id="1"]')!;
    expect(row.textContent).toContain('-100500');
    expect(row.textContent).toContain('задан, …-xyz');
    expect(el.querySelector('[data-rule-id="3"]')!.textContent).toContain('Новая заявка P1, Эскалация');
    expect(el.querySelector('[data-rule-id="3"] [data-col="quiet"]')!.textContent).toBe('22:00–08:00 (Europe/Moscow), P1 сразу');
    expect(q(el, 'ntf-counts').textContent).toBe('Дежурные: отправлено 12, в очереди 1, не доставлено 1, пропущено 0');
    expect(el.querySelector('[data-delivery-id="9"] [data-col="error"]')!.textContent).toBe('Telegram 403: Forbidden: bot was kicked');
    expect(el.querySelector('[data-delivery-id="8"] [data-col="status"]')!.textContent).toBe('в очереди (ждёт конца тихих часов)');
    expect(el.querySelector('[data-delivery-id="8"] [data-testid="ntf-delivery-retry"]')).toBeNull();
    await clickAndFlush(el.querySelector<HTMLElement>('[data-delivery-id="9"] [data-testid="ntf-delivery-retry"]')!);
    expect(writes(calls)).toEqual([{ method: 'POST', path: '/api/notify/deliveries/9/retry', body: undefined }]);
    expect(calls.filter((c) => c.path.startsWith('/api/notify/deliveries?'))).toHaveLength(2); // reloaded after the retry
  });

  it('adds a webhook channel after checking its fields; editing keeps the secret unless one is typed', async () => {
    const { api, calls } = server({
      'POST /api/notify/channels': (c: { body: unknown }) => ({ ...(c.body as object), id: 2, secret: { set: true, last4: null } }),
      'PUT /api/notify/channels/1': (c: { body: unknown }) => ({ ...(c.body as object), id: 1, secret: telegram.secret }),
    });
    const el = mount(h(ServiceDeskScreen, { section: 'notify', api, me: admin }));
    await flush();
    await clickAndFlush(q(el, 'ntf-channel-new'));
    await choose(byTestId<HTMLSelectElement>(el, 'ntf-channel-kind'), 'webhook');
    typeInto(el, 'ntf-channel-url', 'ftp://example.ru');
    await clickAndFlush(q(el, 'ntf-channel-save'));
    expect([...el.querySelectorAll('[data-testid="ntf-channel-errors"] li')].map((li) => li.textContent)).toEqual(['Название: неверное значение', 'Адрес (URL): неверное значение']);
    expect(writes(calls)).toEqual([]);
    typeInto(el, 'ntf-channel-name', 'Service desk');
    typeInto(el, 'ntf-channel-url', 'https://sd.example.ru/hook');
    typeInto(el, 'ntf-channel-secret', 'hook-secret-1');
    await clickAndFlush(q(el, 'ntf-channel-save'));
    await clickAndFlush(el.querySelector<HTMLElement>('[data-channel-id="1"] [data-testid="ntf-channel-edit"]')!);
    expect(q(el, 'ntf-channel-secret').value).toBe('');
    expect(q(el, 'ntf-channel-secret').placeholder).toBe('пусто — оставить сохранённый');
    typeInto(el, 'ntf-channel-per-minute', '5');
    await clickAndFlush(q(el, 'ntf-channel-save'));
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/api/notify/channels', body: { kind: 'webhook', name: 'Service desk', enabled: true, perMinute: 20, config: { url: 'https://sd.example.ru/hook' }, secret: 'hook-secret-1' } },
      { method: 'PUT', path: '/api/notify/channels/1', body: { kind: 'telegram', name: 'Дежурные', enabled: true, perMinute: 5, config: { chatId: '-100500' } } },
    ]);
  });

  it('adds a rule for one group with quiet hours; a rule without events is refused before sending', async () => {
    const { api, calls } = server({ 'POST /api/notify/rules': (c: { body: unknown }) => ({ ...(c.body as object), id: 4 }) });
    const el = mount(h(ServiceDeskScreen, { section: 'notify', api, me: admin }));
    await flush();
    await clickAndFlush(q(el, 'ntf-rule-new'));
    for (const trigger of ['p1_opened', 'sla_warning', 'escalated']) await clickAndFlush(q(el, `ntf-rule-trigger-${trigger}`));
    await clickAndFlush(q(el, 'ntf-rule-save'));
    expect(q(el, 'ntf-rule-errors').textContent).toBe('События: выберите');
    await clickAndFlush(q(el, 'ntf-rule-trigger-sla_warning'));
    await choose(byTestId<HTMLSelectElement>(el, 'ntf-rule-group'), 'fiscal');
    await clickAndFlush(q(el, 'ntf-rule-quiet'));
    typeInto(el, 'ntf-rule-from', '23:00');
    typeInto(el, 'ntf-rule-zone', 'Asia/Yekaterinburg');
    await clickAndFlush(q(el, 'ntf-rule-p1'));
    await clickAndFlush(q(el, 'ntf-rule-save'));
    expect(writes(calls)).toEqual([{
      method: 'POST', path: '/api/notify/rules',
      body: { channelId: 1, group: 'fiscal', triggers: ['sla_warning'], quiet: { from: '23:00', to: '08:00', timeZone: 'Asia/Yekaterinburg', p1Overrides: false }, enabled: true },
    }]);
  });
});

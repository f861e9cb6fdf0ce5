// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import type { NoiseSettings } from '@tillscope/shared';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, choose, clickAndFlush, typeInto } from '../testing/dom-actions';
import { admin, engineer, fakeServer, makeGroups, makeNoise, makeRouting, writes } from '../testing/service-fixtures';
import { ServiceDeskScreen } from './service-desk';

const mount = mountPerTest();
const q = (el: HTMLElement, testid: string) => byTestId(el, testid);
const type = typeInto;
describe('groups', () => {
  it('lists groups with their line, engineers and archived state; engineers only read', async () => {
    const { api } = fakeServer({ 'GET /api/groups': makeGroups() });
    const el = mount(h(ServiceDeskScreen, { section: 'groups', api, me: engineer }));
    await flush();
    const printers = el.querySelector('[data-group-id="printers"]')!;
    expect(printers.textContent).toContain('Вторая линия');
    expect(printers.querySelector('[data-col="members"]')!.textContent).toBe('ivanov, petrova');
    expect(el.querySelector('[data-group-id="old_team"]')!.getAttribute('data-archived')).toBe('true');
    expect(q(el, 'svc-group-new')).toBeNull();
    expect(q(el, 'svc-user-groups')).toBeNull();
  });

  it('creates a group after checking its id and titles, and edits one', async () => {
    const { api, calls } = fakeServer({ 'GET /api/groups': makeGroups(), 'PUT /api/groups/*': (c) => ({ id: c.path.split('/')[3], ...(c.body as object), members: [] }) });
    const el = mount(h(ServiceDeskScreen, { section: 'groups', api, me: admin }));
    await flush();
    await clickAndFlush(q(el, 'svc-group-new'));
    type(el, 'svc-group-id', 'Printers');
    type(el, 'svc-group-ru', 'Кассы АТОЛ');
    await clickAndFlush(q(el, 'svc-group-save'));
    expect([...el.querySelectorAll('[data-testid="svc-group-errors"] li')].map((li) => li.textContent)).toEqual([
      'Код группы: латинские строчные буквы, цифры и _, от 2 до 32 символов, начиная с буквы',
      'Название по-английски: нужно от 1 до 80 символов',
    ]);
    type(el, 'svc-group-id', 'printers');
    type(el, 'svc-group-en', 'ATOL registers');
    await clickAndFlush(q(el, 'svc-group-save'));
    expect(q(el, 'svc-group-errors').textContent).toBe('Код группы: такая группа уже есть');
    expect(writes(calls)).toEqual([]);

    type(el, 'svc-group-id', 'kkt_atol');
    await clickAndFlush(q(el, 'svc-group-save'));
    await clickAndFlush(el.querySelector<HTMLElement>('[data-group-id="fiscal"] [data-testid="svc-group-edit"]')!);
    expect(q(el, 'svc-group-id')).toBeNull();
    await clickAndFlush(q(el, 'svc-group-archived'));
    await clickAndFlush(q(el, 'svc-group-save'));
    expect(writes(calls)).toEqual([
      { method: 'PUT', path: '/api/groups/kkt_atol', body: { title: { ru: 'Кассы АТОЛ', en: 'ATOL registers' }, line: 'second', archived: false } },
      { method: 'PUT', path: '/api/groups/fiscal', body: { title: { ru: 'ККТ', en: 'Fiscal' }, line: 'second', archived: true } },
    ]);
    expect(calls.filter((c) => c.path === '/api/groups')).toHaveLength(3);
  });

  it("sets an engineer's groups, starting from the groups they are in and never offering an archived one", async () => {
    const { api, calls } = fakeServer({ 'GET /api/groups': makeGroups(), 'PUT /api/users/*': (c) => ({ username: 'petrova', displayName: 'Петрова', role: 'engineer', groups: (c.body as { groups: string[] }).groups }) });
    const el = mount(h(ServiceDeskScreen, { section: 'groups', api, me: admin }));
    await flush();
    type(el, 'svc-user-name', 'petrova');
    expect(['helpdesk', 'printers', 'fiscal'].map((g) => q(el, `svc-user-group-${g}`).checked)).toEqual([true, true, false]);
    expect(q(el, 'svc-user-group-old_team')).toBeNull();
    await clickAndFlush(q(el, 'svc-user-group-helpdesk'));
    await clickAndFlush(q(el, 'svc-user-group-fiscal'));
    await clickAndFlush(q(el, 'svc-user-save'));
    expect(writes(calls)).toEqual([{ method: 'PUT', path: '/api/users/petrova/groups', body: { groups: ['printers', 'fiscal'] } }]);
    expect(q(el, 'svc-user-saved')).not.toBeNull();

    type(el, 'svc-user-name', '');
    await clickAndFlush(q(el, 'svc-user-save'));
    expect(q(el, 'svc-user-problem').textContent).toBe('Укажите имя пользователя инженера.');
    expect(writes(calls)).toHaveLength(1);
  });
});

describe('routing', () => {
  it('shows each diagnosis with its group, marks a changed rule, and routes or resets over the API', async () => {
    const { api, calls } = fakeServer({ 'GET /api/routing': makeRouting({ 'printer.paper_end': 'helpdesk' }), 'GET /api/groups': makeGroups(), 'PUT /api/routing/*': (c) => {
        const group = (c.body as { group: string | null }).group;
        return { code: c.path.split('/')[3], group: group ?? 'printers', defaultGroup: 'printers', custom: group !== null };
      } });
    const el = mount(h(ServiceDeskScreen, { section: 'routing', api, me: admin }));
    await flush();
    const paper = el.querySelector<HTMLElement>('[data-code="printer.paper_end"]')!;
    expect(paper.textContent).toContain('Нет бумаги');
    expect(paper.getAttribute('data-custom')).toBe('true');
    expect(paper.querySelector('[data-testid="svc-route-custom"]')!.textContent).toContain('изменено');
    const options = [...paper.querySelectorAll('option')].map((o) => o.value);
    expect(options).toEqual(['helpdesk', 'printers', 'fiscal']);

    await clickAndFlush(paper.querySelector<HTMLElement>('[data-testid="svc-route-reset"]')!);
    await choose(el.querySelector<HTMLSelectElement>('[data-code="fiscal.no_reply"] select')!, 'helpdesk');
    expect(writes(calls)).toEqual([
      { method: 'PUT', path: '/api/routing/printer.paper_end', body: { group: null } },
      { method: 'PUT', path: '/api/routing/fiscal.no_reply', body: { group: 'helpdesk' } },
    ]);
    expect(calls.filter((c) => c.path === '/api/routing')).toHaveLength(3);
  });

  it('is read-only for an engineer and filters by words', async () => {
    const { api } = fakeServer({ 'GET /api/routing': makeRouting(), 'GET /api/groups': makeGroups() });
    const el = mount(h(ServiceDeskScreen, { section: 'routing', api, me: engineer }));
    await flush();
    expect(el.querySelector('[data-testid="svc-routing-table"] select')).toBeNull();
    expect(el.querySelector('[data-code="fiscal.no_reply"]')!.textContent).toContain('ККТ');
    type(el, 'svc-routing-filter', 'fiscal.no_reply');
    expect([...el.querySelectorAll('[data-testid="svc-routing-table"] tbody tr')].map((tr) => tr.getAttribute('data-code'))).toEqual(['fiscal.no_reply']);
  });
});

describe('noise settings', () => {
  it('shows each default hold beside its override and sends the settings after checking ranges', async () => {
    const { api, calls } = fakeServer({ 'GET /api/settings/noise': makeNoise({ 'printer.cover_open': 120 }), 'PUT /api/settings/noise': (c) => ({ settings: c.body, defaultHolds: makeNoise().defaultHolds }) });
    const el = mount(h(ServiceDeskScreen, { section: 'noise', api, me: admin }));
    await flush();
    const cover = el.querySelector('[data-code="printer.cover_open"]')!;
    expect(cover.querySelector('[data-col="default"]')!.textContent).toBe('30 с');
    expect(q(el, 'svc-hold-printer.cover_open').value).toBe('2 мин');
    expect(el.querySelector('[data-code="agent.offline"] [data-col="default"]')!.textContent).toBe('5 мин');
    expect(q(el, 'svc-noise-flapWindow').value).toBe('30 мин');

    type(el, 'svc-noise-flapThreshold', '1');
    type(el, 'svc-hold-agent.offline', 'долго');
    await clickAndFlush(q(el, 'svc-noise-save'));
    expect([...el.querySelectorAll('[data-testid="svc-noise-errors"] li')].map((li) => li.textContent)).toEqual([
      'Касса не на связи: не понимаю длительность: напишите, например, «90 с» или «10 мин»',
      'Мерцание: повторов: нужно целое число от 2 до 100',
    ]);
    expect(writes(calls)).toEqual([]);

    type(el, 'svc-noise-flapThreshold', '5');
    type(el, 'svc-hold-agent.offline', '10 мин');
    type(el, 'svc-hold-printer.cover_open', '');
    type(el, 'svc-noise-correlationPercent', '75');
    await clickAndFlush(q(el, 'svc-noise-save'));
    const sent = writes(calls)[0]!.body as NoiseSettings;
    expect(sent).toEqual({ holds: { 'agent.offline': 600 }, reopenDays: 3, flapThreshold: 5, flapWindowSec: 1800, calmSec: 600, correlation: { windowSec: 120, share: 0.75, minRegisters: 2 } });
    expect(q(el, 'svc-noise-saved').textContent).toBe('Сохранено');
    // The editor starts again from the server's answer.
    expect(q(el, 'svc-hold-agent.offline').value).toBe('10 мин');
    expect(q(el, 'svc-hold-printer.cover_open').value).toBe('');
    expect(q(el, 'svc-noise-correlationPercent').value).toBe('75');
  });

  it('is read-only for an engineer, and says so when the server has no noise settings', async () => {
    const { api } = fakeServer({ 'GET /api/settings/noise': makeNoise() });
    const el = mount(h(ServiceDeskScreen, { section: 'noise', api, me: engineer }));
    await flush();
    expect(q(el, 'svc-noise-reopenDays').disabled).toBe(true);
    expect(q(el, 'svc-noise-save')).toBeNull();
    const none = mount(h(ServiceDeskScreen, { section: 'noise', api: fakeServer({}).api, me: admin }));
    await flush();
    expect(q(none, 'svc-noise-unavailable')).not.toBeNull();
  });
});

// @vitest-environment jsdom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ActionState, ActionUnavailable, CommandVerb, type AuditPage, type RemoteAction, type TicketActions } from '@tillscope/shared';
import { ApiClient, ApiError } from '../api/client';
import { STRINGS } from '../i18n/strings';
import { EMPTY_AUDIT_FILTER, type AuditFilter } from '../logic/audit-filter';
import { parseHash, routeToHash } from '../logic/route';
import { byTestId, choose, clickAndFlush, typeInto } from '../testing/dom-actions';
import { flush, mountPerTest } from '../testing/dom';
import { makeDetail } from '../testing/fixtures';
import { AuditScreen } from './audit-screen';
import { RegisterActionsCard } from './register-actions';
import { ActionsAdminPanel } from './service-actions';
import { TicketActionsCard } from './ticket-actions';

// The ticket's "Действия" block, the "Журнал действий" page and the per-store switches, over a stub
// API: what the engineer sees and what each click asks the server.

const mount = mountPerTest();

const action = (patch: Partial<RemoteAction>): RemoteAction => ({
  id: 'cmd-1', agentId: 'agt_1', storeId: 'msk-014', registerId: 'pos-02', ticketId: 7, verb: 'probe_now', deviceId: null,
  requestedBy: 'eve', requestedAt: '2026-12-01T10:00:00.000Z', expiresAt: '2026-12-01T14:00:00.000Z', state: 'queued',
  sentAt: null, sendCount: 0, startedAt: null, completedAt: null, resultCode: null, resultMessage: null, cancelledBy: null, ...patch,
});

const verbs = (patch: Partial<Record<CommandVerb, TicketActions['verbs'][number]['reason']>> = {}): TicketActions['verbs'] =>
  CommandVerb.options.map((verb) => (patch[verb] ? { verb, available: false, reason: patch[verb] } : { verb, available: true }));

function ticketActions(patch: Partial<TicketActions> = {}): TicketActions {
  return { ticketId: 7, agentId: 'agt_1', registerConnected: false, expiryMinutes: 240, verbs: verbs(), actions: [], ...patch };
}

function mountCard(answers: TicketActions[], api: Record<string, unknown> = {}, confirm = vi.fn(() => true)) {
  let n = 0;
  const stub = {
    ticketActions: vi.fn(async () => answers[Math.min(n++, answers.length - 1)]!),
    runTicketAction: vi.fn(async () => ({ ok: true, commandId: 'cmd-2', action: action({ id: 'cmd-2' }) })),
    cancelAction: vi.fn(async () => action({ state: 'cancelled' })),
    ...api,
  };
  const detail = makeDetail(7);
  const el = mount(h(TicketActionsCard, { ticket: detail, api: stub as unknown as ApiClient, confirm }));
  return { el, stub, detail, confirm };
}

describe('the ticket\'s actions block', () => {
  it('offers each allowed action, says why the others are not, and that an offline register gets it queued', async () => {
    const { el } = mountCard([ticketActions({ verbs: verbs({ test_print: 'pending', restart_print_service: 'disabled' }) })]);
    await flush();
    expect(byTestId(el, 'actions-connection').textContent).toMatch(/Касса не на связи.*4 ч/);
    expect(byTestId<HTMLButtonElement>(el, 'action-probe_now').disabled).toBe(false);
    expect(byTestId<HTMLButtonElement>(el, 'action-test_print').disabled).toBe(true);
    expect(byTestId(el, 'action-reason-test_print').textContent).toBe(' уже ждёт выполнения');
    expect(byTestId<HTMLButtonElement>(el, 'action-restart_print_service').disabled).toBe(true);
    expect(byTestId(el, 'action-reason-restart_print_service').textContent).toBe(' отключено для магазина');
  });

  it('asks the server for the clicked action, and confirms a print service restart first', async () => {
    const confirm = vi.fn(() => false);
    const { el, stub } = mountCard([ticketActions()], {}, confirm);
    await flush();
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-probe_now'));
    expect(stub.runTicketAction).toHaveBeenCalledWith(7, { verb: 'probe_now' });
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-restart_print_service'));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('pos-02'));
    expect(stub.runTicketAction).toHaveBeenCalledTimes(1);
  });

  it('shows each action\'s state, cancels a queued one, and re-reads them when the ticket\'s timeline grows (the live feed)', async () => {
    const answers = [
      ticketActions({ actions: [action({ state: 'queued' })] }),
      ticketActions({ actions: [action({ state: 'cancelled', cancelledBy: 'eve' })] }),
      ticketActions({ registerConnected: true, actions: [action({ id: 'cmd-2', state: 'running', sendCount: 2 }), action({ state: 'cancelled' })] }),
    ];
    const { el, stub, detail } = mountCard(answers);
    await flush();
    const states = () => [...el.querySelectorAll('[data-testid="action-row"] [data-state]')].map((chip) => chip.textContent);
    expect(states()).toEqual(['В очереди']);
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-cancel'));
    expect(stub.cancelAction).toHaveBeenCalledWith('cmd-1');
    expect(states()).toEqual(['Отменено']);
    expect(el.querySelector('[data-testid="action-cancel"]')).toBeNull();
    // The feed reloads the ticket: one more timeline event, and the block reads the actions again.
    const grown = { ...detail, timeline: [...detail.timeline, { at: '2026-12-01T10:00:05.000Z', kind: 'action_running' as const, actor: null, text: '' }] };
    await act(() => render(h(TicketActionsCard, { ticket: grown, api: stub as unknown as ApiClient, confirm: () => true }), el));
    await flush();
    expect(states()).toEqual(['Выполняется', 'Отменено']);
    expect(byTestId(el, 'action-row').textContent).toContain('отправлено 2 раза');
    expect(byTestId(el, 'actions-connection').textContent).toBe('Касса на связи: действие уйдёт сразу.');
  });

  it('says in words when an admin turned the action off (409 disabled)', async () => {
    const { el } = mountCard([ticketActions()], { runTicketAction: vi.fn(async () => { throw new ApiError(409, 'disabled', 'probe_now is turned off in store msk-014'); }) });
    await flush();
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-probe_now'));
    expect(byTestId(el, 'actions-error').textContent).toBe('Это действие отключено администратором для магазина.');
  });
});

describe('the register page\'s actions', () => {
  it('asks register-wide actions without a ticket, confirms a restart, lists the latest and links to its audit log', async () => {
    const api = {
      audit: vi.fn(async () => ({ actions: [action({ ticketId: null, verb: 'discover', state: 'done' })], nextCursor: null })),
      runRegisterAction: vi.fn(async () => { throw new ApiError(409, 'disabled', 'discover is turned off in store msk-014'); }),
    };
    const confirm = vi.fn(() => false);
    const el = mount(h(RegisterActionsCard, { register: { agentId: 'agt_1', storeId: 'msk-014', registerId: 'pos-02', connected: true }, api: api as unknown as ApiClient, version: 1, confirm }));
    await flush();
    expect(api.audit).toHaveBeenCalledWith({ agentId: 'agt_1', limit: 10 });
    expect(byTestId(el, 'register-action-list').textContent).toContain('Найти устройства заново');
    expect(el.querySelector('[data-testid="register-action-test_print"]')).toBeNull();
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'register-action-discover'));
    expect(api.runRegisterAction).toHaveBeenCalledWith('agt_1', { verb: 'discover' });
    expect(byTestId(el, 'register-actions-error').textContent).toBe('Это действие отключено администратором для магазина.');
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'register-action-restart_print_service'));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.runRegisterAction).toHaveBeenCalledTimes(1);
    expect(byTestId<HTMLAnchorElement>(el, 'register-audit-link').getAttribute('href')).toBe('#/audit?store=msk-014&register=pos-02');
  });
});

describe('the audit log page', () => {
  const page = (ids: string[], nextCursor: string | null): AuditPage => ({ actions: ids.map((id) => action({ id, state: 'failed', resultCode: 'forbidden', resultMessage: 'not on the allow-list', deviceId: 'printer-1' })), nextCursor });

  it('lists actions with who, where, parameters, state and result, pages on, and applies filters through onFilter', async () => {
    const audit = vi.fn(async (query: { after?: string }) => (query.after ? page(['cmd-3'], null) : page(['cmd-1', 'cmd-2'], '2026-12-01T10:00:00.000Z~cmd-2')));
    const onFilter = vi.fn((_: AuditFilter) => undefined);
    const filter: AuditFilter = { ...EMPTY_AUDIT_FILTER, engineer: 'eve' };
    const el = mount(h(AuditScreen, { filter, api: { audit } as unknown as ApiClient, onFilter }));
    await flush();
    expect(audit).toHaveBeenCalledWith({ engineer: 'eve', limit: 100 });
    const cells = [...byTestId(el, 'audit-row').querySelectorAll('td')].map((td) => td.textContent);
    expect(cells.slice(1)).toEqual(['eve', 'msk-014 / pos-02', 'Опросить устройства сейчас', 'устройство printer-1', 'Не выполнено', 'forbidden: not on the allow-list', '№7']);
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'audit-more'));
    expect(audit).toHaveBeenLastCalledWith({ engineer: 'eve', limit: 100, after: '2026-12-01T10:00:00.000Z~cmd-2' });
    expect(el.querySelectorAll('[data-testid="audit-row"]')).toHaveLength(3);
    expect(el.querySelector('[data-testid="audit-more"]')).toBeNull();

    await choose(byTestId<HTMLSelectElement>(el, 'audit-verb'), 'restart_print_service');
    typeInto(el, 'audit-storeId', 'msk-014');
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'audit-apply'));
    typeInto(el, 'audit-registerId', 'pos-02');
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'audit-apply'));
    expect(onFilter).toHaveBeenLastCalledWith({ ...filter, verb: 'restart_print_service', storeId: 'msk-014', registerId: 'pos-02' });
  });

  it('keeps its filters in the URL (#/audit?…), dropping what is malformed', () => {
    const route = parseHash('#/audit?verb=test_print&state=expired&engineer=eve&from=2026-12-01&to=bad&store=<x>');
    expect(route).toEqual({ name: 'audit', filter: { ...EMPTY_AUDIT_FILTER, verb: 'test_print', state: 'expired', engineer: 'eve', from: '2026-12-01' } });
    expect(parseHash(routeToHash(route))).toEqual(route);
    const register = parseHash('#/audit?store=msk-014&register=pos-02&agent=agt_1');
    expect(register).toEqual({ name: 'audit', filter: { ...EMPTY_AUDIT_FILTER, storeId: 'msk-014', registerId: 'pos-02', agentId: 'agt_1' } });
    expect(parseHash(routeToHash(register))).toEqual(register);
    expect(routeToHash({ name: 'audit', filter: EMPTY_AUDIT_FILTER })).toBe('#/audit');
  });
});

describe('the per-store switches (Сервис → Действия)', () => {
  it('turns one action off in one store with the whole list, and engineers only read', async () => {
    const stores = { stores: [{ storeId: 'msk-014', disabled: ['discover' as const], updatedBy: 'admin', updatedAt: '2026-12-01T10:00:00.000Z' }] };
    const api = {
      actionSettings: vi.fn(async () => ({ expiryMinutes: 240 })),
      actionStores: vi.fn(async () => stores),
      saveStoreActions: vi.fn(async (storeId: string, disabled: CommandVerb[]) => ({ storeId, disabled, updatedBy: 'admin', updatedAt: '2026-12-01T10:01:00.000Z' })),
    };
    const el = mount(h(ActionsAdminPanel, { api: api as unknown as ApiClient, admin: true }));
    await flush();
    expect(byTestId(el, 'svc-actions-msk-014-discover').checked).toBe(false);
    await clickAndFlush(byTestId(el, 'svc-actions-msk-014-restart_print_service'));
    expect(api.saveStoreActions).toHaveBeenCalledWith('msk-014', ['discover', 'restart_print_service']);
    expect(byTestId(el, 'svc-actions-msk-014-restart_print_service').checked).toBe(false);
    expect(byTestId(el, 'svc-actions-expiry').value).toBe('240');
  });
});

describe('strings of remote actions', () => {
  it('name every verb, state and reason in both languages', () => {
    const keys = [
      ...CommandVerb.options.flatMap((verb) => [`actions.verb.${verb}`, `actions.about.${verb}`]),
      ...ActionState.options.map((state) => `actions.state.${state}`),
      ...ActionUnavailable.options.map((reason) => `actions.reason.${reason}`),
    ];
    for (const key of keys) expect(STRINGS, key).toHaveProperty([key]);
  });
});

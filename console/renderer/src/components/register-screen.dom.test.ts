// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Me } from '@tillscope/shared';
import { ApiError, type ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest, silentFeed } from '../testing/dom';
import { makeDetail, makeFiscalRegister, makeRegister } from '../testing/fixtures';
import { emptyRegisterHost, makeReferenceSummary, makeRegisterHost } from '../testing/host-fixtures';
import { RegisterScreen } from './register-screen';
import { TicketScreen } from './ticket-detail';

const engineer: Me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer', groups: ['pos_software'] };
const admin: Me = { username: 'root', displayName: 'Админ', role: 'admin', groups: [] };
const mount = mountPerTest();

function registerApi() {
  return {
    register: vi.fn(async () => makeFiscalRegister()),
    registerHost: vi.fn(async () => makeRegisterHost()),
    promoteRegister: vi.fn(async () => makeReferenceSummary(9, { name: 'POS-M15 · msk-014' })),
  };
}

describe('the register page', () => {
  it('shows the register, its devices, its drift and its host facts', async () => {
    const api = registerApi();
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: api as unknown as ApiClient, feed: silentFeed(), me: engineer }));
    await flush();
    expect(api.register).toHaveBeenCalledWith('agt-1');
    expect(api.registerHost).toHaveBeenCalledWith('agt-1');
    expect(el.querySelector('[data-testid="register-title"]')!.textContent).toBe('Касса pos-02 · магазин msk-014');
    expect(el.querySelector('[data-testid="register-panel"] [data-testid="fiscal-facts"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="register-drift"] [data-testid="drift"]')!.getAttribute('data-state')).toBe('differs');
    expect(el.querySelector('[data-testid="host-panel"]')).not.toBeNull();
    // Only admins make references.
    expect(el.querySelector('[data-testid="promote"]')).toBeNull();
  });

  it('lets an admin make the register\'s current state a reference for its model, its store or both', async () => {
    const api = registerApi();
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: api as unknown as ApiClient, feed: silentFeed(), me: admin }));
    await flush();
    const name = el.querySelector<HTMLInputElement>('[data-testid="promote-name"]')!;
    expect(name.value).toBe('POS-M15 · msk-014 · pos-02');
    const store = el.querySelector<HTMLInputElement>('[data-testid="promote-store"]')!;
    const model = el.querySelector<HTMLInputElement>('[data-testid="promote-model"]')!;
    expect([model.checked, store.checked]).toEqual([true, false]);
    act(() => {
      store.checked = true;
      store.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => {
      model.checked = false;
      model.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => void el.querySelector<HTMLButtonElement>('[data-testid="promote-submit"]')!.click());
    await flush();
    expect(api.promoteRegister).toHaveBeenCalledWith({ agentId: 'agt-1', name: 'POS-M15 · msk-014 · pos-02', scope: { storeIds: ['msk-014'] } });
    expect(el.querySelector('[data-testid="promote-done"]')!.textContent).toBe('Эталон «POS-M15 · msk-014» создан.');
    expect(el.querySelector('[data-testid="promote-done"] a')!.getAttribute('href')).toBe('#/references/9');
    // The drift is read again: it may now be against the new reference.
    expect(api.registerHost).toHaveBeenCalledTimes(2);
  });

  it('promotes for the machine model alone by default', async () => {
    const api = registerApi();
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: api as unknown as ApiClient, feed: silentFeed(), me: admin }));
    await flush();
    await act(async () => void el.querySelector<HTMLButtonElement>('[data-testid="promote-submit"]')!.click());
    await flush();
    expect(api.promoteRegister).toHaveBeenCalledWith({ agentId: 'agt-1', name: 'POS-M15 · msk-014 · pos-02', scope: { machineModel: 'POS-M15', storeIds: [] } });
  });

  it('does not send a reference without a scope', async () => {
    const api = registerApi();
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: api as unknown as ApiClient, feed: silentFeed(), me: admin }));
    await flush();
    const model = el.querySelector<HTMLInputElement>('[data-testid="promote-model"]')!;
    act(() => {
      model.checked = false;
      model.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(el.querySelector<HTMLButtonElement>('[data-testid="promote-submit"]')!.disabled).toBe(true);
  });

  it('offers no promotion for a register that has reported no host facts', async () => {
    const silent = { ...registerApi(), registerHost: vi.fn(async () => emptyRegisterHost()) };
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: silent as unknown as ApiClient, feed: silentFeed(), me: admin }));
    await flush();
    expect(el.querySelector('[data-testid="promote-submit"]')).toBeNull();
    expect(el.querySelector('[data-testid="promote-unavailable"]')!.textContent).toContain('Касса ещё не сообщила данные ОС');
  });

  it('says why the server refused a promotion', async () => {
    const refused = { ...registerApi(), promoteRegister: vi.fn(async () => Promise.reject(new ApiError(409, 'conflict', 'no host facts'))) };
    const other = mount(h(RegisterScreen, { agentId: 'agt-1', api: refused as unknown as ApiClient, feed: silentFeed(), me: admin }));
    await flush();
    await act(async () => void other.querySelector<HTMLButtonElement>('[data-testid="promote-submit"]')!.click());
    await flush();
    expect(other.querySelector('[data-testid="promote-error"]')!.textContent).toBe('Касса ещё не сообщила данные ОС: сделать её эталоном пока нельзя.');
  });

  it('keeps the register shown when its host facts cannot be read', async () => {
    const api = { ...registerApi(), registerHost: vi.fn(async () => Promise.reject(new Error('boom'))) };
    const el = mount(h(RegisterScreen, { agentId: 'agt-1', api: api as unknown as ApiClient, feed: silentFeed(), me: engineer }));
    await flush();
    expect(el.querySelector('[data-testid="register-panel"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="register-drift"] [role="alert"]')!.textContent).toContain('boom');
    expect(el.querySelector('[data-testid="host-panel"]')).toBeNull();
  });
});

describe('the drift ticket', () => {
  it('shows the register\'s differences, expected against actual, and links to its page', async () => {
    const api = {
      ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => makeDetail(12, { code: 'host.drift_from_reference', group: 'pos_software', deviceId: 'reference', device: null, evidence: null, checklist: [] })),
      registers: vi.fn(async () => ({ registers: [makeRegister('agt-1')] })),
      register: vi.fn(async () => makeFiscalRegister()),
      registerHost: vi.fn(async () => makeRegisterHost()),
    };
    const el = mount(h(TicketScreen, { id: 12, api: api as unknown as ApiClient, feed: silentFeed(), state: new ConsoleState(api as unknown as ApiClient, () => engineer), me: engineer }));
    await vi.waitFor(async () => {
      await flush();
      expect(el.querySelector('[data-testid="ticket-drift"] [data-testid="drift-table"]')).not.toBeNull();
    });
    expect(api.registerHost).toHaveBeenCalledWith('agt-1');
    const rows = [...el.querySelectorAll('[data-testid="ticket-drift"] [data-testid="drift-table"] tbody tr')].map((tr) => tr.getAttribute('data-kind'));
    expect(rows).toEqual(['driver_version', 'pos_app_not_running', 'config_missing']);
    expect(el.querySelector('[data-testid="ticket-register-page"]')!.getAttribute('href')).toBe('#/registers/agt-1');
  });

  it('on any other ticket shows the register against its reference in one line, and links to the register page', async () => {
    const api = {
      ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => makeDetail(9)),
      registers: vi.fn(async () => ({ registers: [makeRegister('agt-1')] })),
      register: vi.fn(async () => makeFiscalRegister()),
      registerHost: vi.fn(async () => makeRegisterHost()),
    };
    const el = mount(h(TicketScreen, { id: 9, api: api as unknown as ApiClient, feed: silentFeed(), state: new ConsoleState(api as unknown as ApiClient, () => engineer), me: engineer }));
    await vi.waitFor(async () => {
      await flush();
      expect(el.querySelector('[data-testid="drift-summary"]')).not.toBeNull();
    });
    expect(api.registerHost).toHaveBeenCalledTimes(1);
    expect(el.querySelector('[data-testid="ticket-drift"]')).toBeNull();
    expect(el.querySelector('[data-testid="ticket-host-section"]')).toBeNull();
    const summary = el.querySelector('[data-testid="drift-summary"]')!;
    expect(summary.getAttribute('data-state')).toBe('differs');
    expect(summary.textContent).toBe('Эталон: Pioneer POS-M15, Windows 10 — Отличий: 3');
    expect(summary.querySelector('a')!.getAttribute('href')).toBe('#/references/3');
    expect(el.querySelector('[data-testid="register-page-link"]')!.getAttribute('href')).toBe('#/registers/agt-1');
  });

  it('on a ticket about the register itself shows the facts of its probe\'s section only', async () => {
    const api = {
      ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => makeDetail(14, { code: 'host.print_service_crashing', group: 'pos_software', deviceId: 'host-print', device: null })),
      registers: vi.fn(async () => ({ registers: [makeRegister('agt-1')] })),
      register: vi.fn(async () => makeFiscalRegister()),
      registerHost: vi.fn(async () => makeRegisterHost()),
    };
    const el = mount(h(TicketScreen, { id: 14, api: api as unknown as ApiClient, feed: silentFeed(), state: new ConsoleState(api as unknown as ApiClient, () => engineer), me: engineer }));
    await vi.waitFor(async () => {
      await flush();
      expect(el.querySelector('[data-testid="ticket-host-section"]')).not.toBeNull();
    });
    const card = el.querySelector('[data-testid="ticket-host-section"]')!;
    expect([...card.querySelectorAll('.host-section')].map((s) => s.getAttribute('data-testid'))).toEqual(['host-print']);
    expect(card.querySelector('[data-service="Spooler"]')!.textContent).toContain('падает и перезапускается');
    expect(el.querySelector('[data-testid="ticket-drift"]')).toBeNull();
  });
});

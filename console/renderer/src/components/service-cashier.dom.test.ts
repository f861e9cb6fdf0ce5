// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { CashierSettings } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { parseHash, routeToHash } from '../logic/route';
import { byTestId, clickAndFlush, typeInto } from '../testing/dom-actions';
import { flush, mountPerTest } from '../testing/dom';
import { CashierSettingsPanel } from './service-cashier';

// The service area's "Касса" part over a stub API: what an admin sees and what saving asks the server.

const mount = mountPerTest();

function stubApi() {
  return {
    cashierSettings: vi.fn(async () => ({ settings: { autoCloseHours: 24 }, updatedBy: null, updatedAt: null })),
    saveCashierSettings: vi.fn(async (settings: CashierSettings) => ({ settings, updatedBy: 'admin', updatedAt: '2026-12-01T10:00:00.000Z' })),
  };
}

describe('service area: cashier settings', () => {
  it('shows the period, lets an admin save a new one, and refuses an out-of-range value before asking the server', async () => {
    const api = stubApi();
    const el = mount(h(CashierSettingsPanel, { api: api as unknown as ApiClient, admin: true }));
    await flush();
    expect(byTestId(el, 'svc-cashier-hours').value).toBe('24');
    expect(byTestId<HTMLButtonElement>(el, 'svc-cashier-save').disabled).toBe(true); // nothing changed yet

    typeInto(el, 'svc-cashier-hours', '0');
    expect(byTestId<HTMLButtonElement>(el, 'svc-cashier-save').disabled).toBe(true);
    typeInto(el, 'svc-cashier-hours', '48');
    await clickAndFlush(byTestId(el, 'svc-cashier-save'));
    expect(api.saveCashierSettings).toHaveBeenCalledWith({ autoCloseHours: 48 });
    expect(byTestId(el, 'svc-cashier-hours').value).toBe('48');
    expect(el.textContent).toContain('Сохранено.');
  });

  it('is read-only for an engineer', async () => {
    const api = stubApi();
    const el = mount(h(CashierSettingsPanel, { api: api as unknown as ApiClient, admin: false }));
    await flush();
    expect(byTestId(el, 'svc-cashier-hours').disabled).toBe(true);
    expect(el.querySelector('[data-testid="svc-cashier-save"]')).toBeNull();
  });

  it('has its own address in the service area', () => {
    expect(parseHash(routeToHash({ name: 'service', section: 'cashier' }))).toEqual({ name: 'service', section: 'cashier' });
  });
});

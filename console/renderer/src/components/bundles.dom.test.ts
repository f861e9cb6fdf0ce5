// @vitest-environment jsdom
import type { StoredBundle, TicketBundles } from '@tillscope/shared';
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { flush, mountPerTest } from '../testing/dom';
import { TicketBundlesCard } from './ticket-bundles';

const mount = mountPerTest();
const hostile = '<img src=x onerror="alert(1)">';

const stored: StoredBundle = {
  bundleId: 'bnd-0b7c2f7e-1111-4222-8333-444455556666',
  agentId: 'a1',
  ticketId: 12,
  requestedBy: hostile,
  createdAt: '2026-11-30T12:00:00.000Z',
  receivedAt: '2026-11-30T12:00:02.000Z',
  sizeBytes: 20_480,
  sha256: 'a'.repeat(64),
  redactions: { password: 2, token: 0, card_number: 1, cashier_name: 0 },
  truncated: ['agentLog: kept the last 800 of 1000 lines'],
};
const empty: TicketBundles = { bundles: [], pending: null, failed: null };
const ticket = { id: 12, timeline: [] };

/** The real client's URL building over a stubbed transport. */
function apiWith(responses: { ticketBundles: () => Promise<TicketBundles>; collectBundle?: () => Promise<unknown> }): ApiClient {
  const api = new ApiClient({ fetch: () => Promise.reject(new Error('no network in this test')) });
  return Object.assign(api, { ticketBundles: vi.fn(responses.ticketBundles), collectBundle: vi.fn(responses.collectBundle ?? (() => Promise.resolve(null))) });
}

describe('diagnostics bundles on a ticket', () => {
  it('lists each bundle with its download link, what was removed and what was cut; register strings stay text', async () => {
    const api = apiWith({ ticketBundles: () => Promise.resolve({ ...empty, bundles: [stored] }) });
    const el = mount(h(TicketBundlesCard, { ticket, register: { connected: true }, api }));
    await flush();
    expect(api.ticketBundles).toHaveBeenCalledWith(12);
    const link = el.querySelector<HTMLAnchorElement>('[data-testid="bundle-download"]')!;
    expect(link.getAttribute('href')).toBe(`/api/bundles/${stored.bundleId}`);
    expect(link.hasAttribute('download')).toBe(true);
    expect(el.querySelector('[data-testid="bundle-redactions"]')!.textContent).toBe('Удалено на кассе: пароли 2, номера карт 1');
    expect(el.querySelector('[data-testid="bundle-truncated"]')!.textContent).toContain('agentLog: kept the last 800 of 1000 lines');
    expect(el.textContent).toContain('20 КБ');
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain(hostile);
  });

  it('"Собрать пакет диагностики" asks once, then shows the request as pending with the button held', async () => {
    let asked = false;
    const pending: TicketBundles = { ...empty, pending: { commandId: 'cmd-1', requestedBy: 'ivanov', requestedAt: '2026-11-30T12:00:00.000Z' } };
    const api = apiWith({
      ticketBundles: () => Promise.resolve(asked ? pending : empty),
      collectBundle: () => {
        asked = true;
        return Promise.resolve(null);
      },
    });
    const el = mount(h(TicketBundlesCard, { ticket, register: { connected: true }, api }));
    await flush();
    expect(el.textContent).toContain('Пакетов пока нет.');
    const button = el.querySelector<HTMLButtonElement>('[data-testid="bundle-collect"]')!;
    expect(button.textContent).toBe('Собрать пакет диагностики');
    await act(async () => {
      button.click();
      await flush();
    });
    expect(api.collectBundle).toHaveBeenCalledWith(12);
    expect(el.querySelector('[data-testid="bundle-pending"]')!.textContent).toContain('ivanov');
    expect(el.querySelector<HTMLButtonElement>('[data-testid="bundle-collect"]')!.disabled).toBe(true);
  });

  it('says why the last request failed, and cannot be asked while the register is offline', async () => {
    const failed: TicketBundles = { ...empty, failed: { commandId: 'cmd-2', code: 'cannot_connect', message: 'ECONNREFUSED', completedAt: '2026-11-30T12:00:00.000Z' } };
    const api = apiWith({ ticketBundles: () => Promise.resolve(failed) });
    const el = mount(h(TicketBundlesCard, { ticket, register: { connected: false }, api }));
    await flush();
    expect(el.querySelector('[data-testid="bundle-failed"]')!.textContent).toBe('Касса не прислала пакет: cannot_connect: ECONNREFUSED');
    const button = el.querySelector<HTMLButtonElement>('[data-testid="bundle-collect"]')!;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('Касса не на связи');
  });

  it('reads the list again when the ticket timeline grows (a request or a result was noted)', async () => {
    const api = apiWith({ ticketBundles: () => Promise.resolve(empty) });
    const el = mount(h(TicketBundlesCard, { ticket, register: { connected: true }, api }));
    await flush();
    const { render } = await import('preact');
    await act(async () => {
      render(h(TicketBundlesCard, { ticket: { id: 12, timeline: [{ at: '2026-11-30T12:00:00.000Z', kind: 'bundle', actor: null, text: 'x' }] as never }, register: { connected: true }, api }), el);
      await flush();
    });
    expect(api.ticketBundles).toHaveBeenCalledTimes(2);
  });
});

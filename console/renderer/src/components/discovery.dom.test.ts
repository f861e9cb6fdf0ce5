// @vitest-environment jsdom
import type { RegisterDiscovery } from '@tillscope/shared';
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { flush, mountPerTest } from '../testing/dom';
import { DiscoveryPanel } from './discovery';

const hostile = '<img src=x onerror="alert(1)">';
const mount = mountPerTest();

/** Opens the panel the way a click on its summary does; it reads the discovery then. */
async function unfold(el: HTMLElement): Promise<void> {
  const details = el.querySelector<HTMLDetailsElement>('[data-testid="discovery"]')!;
  await act(async () => {
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await flush();
  });
}

const answered: RegisterDiscovery = {
  agentId: 'a1',
  pending: null,
  failed: null,
  latest: {
    commandId: 'cmd-1',
    requestedBy: 'engineer',
    receivedAt: '2026-11-30T12:00:00.000Z',
    result: {
      startedAt: '2026-11-30T11:59:58.000Z',
      finishedAt: '2026-11-30T12:00:00.000Z',
      problems: ['usb: USB printer listing is not available in this agent'],
      ports: [
        { transport: 'serial', target: '/dev/ttyUSB0', classification: 'busy', steps: ['open: held by another program, not taken'] },
        {
          transport: 'serial',
          target: '/dev/ttyUSB1',
          classification: 'escpos',
          model: hostile,
          steps: [`GS I 67 (1d 49 43) → model "${hostile}"`],
          probeHealth: 'ok',
          proposedConfig: { id: 'escpos-1', driver: 'escpos', transport: { kind: 'serial', path: '/dev/ttyUSB1', baudRate: 9600 }, model: hostile },
        },
      ],
    },
  },
};

describe('the discovery panel', () => {
  it('shows each port with its class, busy ports and the proposed entry as JSON text, device strings escaped', async () => {
    const api = { discovery: vi.fn(() => Promise.resolve(answered)), discover: vi.fn() } as unknown as ApiClient;
    const el = mount(h(DiscoveryPanel, { api, register: { agentId: 'a1', connected: true } }));
    await unfold(el);
    const classes = [...el.querySelectorAll('[data-testid="discovery-port"]')].map((li) => li.getAttribute('data-classification'));
    expect(classes).toEqual(['busy', 'escpos']);
    expect(el.textContent).toContain('занят другой программой (не трогали)');
    const json = el.querySelector('[data-testid="discovery-proposed"]')!.textContent!;
    expect(JSON.parse(json)).toEqual(answered.latest!.result.ports[1]!.proposedConfig);
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain(hostile);
    expect(el.querySelector('[data-testid="discovery-problems"]')!.textContent).toContain('usb:');
  });

  it('asks the register and shows the request as pending; the button waits while it is', async () => {
    const pending: RegisterDiscovery = { agentId: 'a1', latest: null, failed: null, pending: { commandId: 'cmd-2', requestedBy: 'ivanov', requestedAt: '2026-11-30T12:00:00.000Z' } };
    let asked = false;
    const api = {
      discovery: vi.fn(() => Promise.resolve(asked ? pending : { agentId: 'a1', latest: null, pending: null, failed: null })),
      discover: vi.fn(() => {
        asked = true;
        return Promise.resolve({ ok: true, commandId: 'cmd-2' });
      }),
    } as unknown as ApiClient;
    const el = mount(h(DiscoveryPanel, { api, register: { agentId: 'a1', connected: true } }));
    await unfold(el);
    expect(el.textContent).toContain('Поиск ещё не запускался');
    await act(async () => {
      el.querySelector<HTMLButtonElement>('[data-testid="discovery-run"]')!.click();
      await flush();
    });
    expect(api.discover).toHaveBeenCalledWith('a1');
    expect(el.querySelector('[data-testid="discovery-pending"]')!.textContent).toContain('ivanov');
    expect(el.querySelector<HTMLButtonElement>('[data-testid="discovery-run"]')!.disabled).toBe(true);
  });

  it('says when the agent is too old to discover', async () => {
    const refused: RegisterDiscovery = { agentId: 'a1', latest: null, pending: null, failed: { commandId: 'cmd-3', code: 'unsupported', completedAt: '2026-11-30T12:00:00.000Z' } };
    const api = { discovery: vi.fn(() => Promise.resolve(refused)), discover: vi.fn() } as unknown as ApiClient;
    const el = mount(h(DiscoveryPanel, { api, register: { agentId: 'a1', connected: true } }));
    await unfold(el);
    expect(el.querySelector('[data-testid="discovery-failed"]')!.textContent).toBe('Агент на этой кассе не умеет искать устройства: обновите агент');
    expect(el.textContent).not.toContain('Поиск ещё не запускался');
  });

  it('cannot be asked while the register is offline', () => {
    const api = { discovery: vi.fn(() => new Promise(() => undefined)), discover: vi.fn() } as unknown as ApiClient;
    const el = mount(h(DiscoveryPanel, { api, register: { agentId: 'a1', connected: false } }));
    const button = el.querySelector<HTMLButtonElement>('[data-testid="discovery-run"]')!;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('Касса не подключена');
  });
});

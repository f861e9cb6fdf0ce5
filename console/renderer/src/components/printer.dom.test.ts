// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { RegisterDetail } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { flush, mountPerTest, silentFeed } from '../testing/dom';
import { iso, makeDetail, makeRegister, T0 } from '../testing/fixtures';
import { emptyRegisterHost } from '../testing/host-fixtures';
import { DeviceList } from './devices';
import { TicketScreen } from './ticket-detail';

const me = { username: 'ivanov', displayName: 'Иван Иванов', role: 'engineer' as const, groups: ['printers' as const] };
const hostile = '<img src=x onerror="alert(1)">';
const mount = mountPerTest();

function printerRegister(patch: Partial<RegisterDetail> = {}): RegisterDetail {
  const summary = makeRegister('agt-1');
  return {
    ...summary,
    devices: summary.devices.map((d) => ({
      ...d,
      fiscal: null,
      printer: {
        reportedAt: iso(T0),
        facts: {
          statusSupport: [{ request: 'DLE EOT 1', answers: true }, { request: 'DLE EOT 2', answers: false }],
          counters: [{ name: 'cuts', value: 15230, unit: 'count', source: 'GS g 2 n=50' }, { name: 'operating_hours', value: 1500, unit: 'hours', source: 'GS g 2 n=198' }],
          queue: { system: 'cups', queue: hostile, jobCount: 2, printing: true },
        },
      },
    })),
    paperSupply: { times: 4, days: 30 },
    ...patch,
  };
}

describe('a register\'s receipt printer', () => {
  it('shows the status requests it answers, its wear counters, its OS queue (escaped) and the paper-supply hint, in Russian', () => {
    const el = mount(h(DeviceList, { register: printerRegister(), now: T0, openFacts: true }));
    expect(el.querySelector('[data-testid="paper-supply"]')!.textContent).toBe('Бумага заканчивалась 4 раза за 30 дней: пополнять запас чаще');
    const support = [...el.querySelectorAll('[data-testid="printer-status-support"] [data-answers]')].map((chip) => [chip.textContent, chip.getAttribute('data-answers')]);
    expect(support).toEqual([['DLE EOT 1 отвечает', 'true'], ['DLE EOT 2 молчит', 'false']]);
    const counters = el.querySelector('[data-testid="printer-counters"]')!.textContent;
    expect(counters).toContain('Отрезов');
    expect(counters).toContain('Наработка'); // every counter the ESC/POS driver reads has a Russian name
    expect(counters).not.toContain('operating_hours');
    const queue = el.querySelector('[data-testid="printer-queue"]')!;
    expect(queue.textContent).toContain('идёт печать, заданий: 2');
    expect(queue.textContent).toContain(hostile);
    expect(el.querySelector('img')).toBeNull();
  });

  it('gives no hint for a register whose paper never ran low, and only the count below the restock threshold', () => {
    expect(mount(h(DeviceList, { register: printerRegister({ paperSupply: { times: 0, days: 30 } }), now: T0 })).querySelector('[data-testid="paper-supply"]')).toBeNull();
    const few = mount(h(DeviceList, { register: printerRegister({ paperSupply: { times: 1, days: 30 } }), now: T0 }));
    expect(few.querySelector('[data-testid="paper-supply"]')!.textContent).toBe('Бумага заканчивалась 1 раз за 30 дней');
  });
});

describe('test print from a printer ticket', () => {
  it('asks for confirmation, sends the request, and shows a test print result in the reader\'s language on the timeline', async () => {
    const detail = makeDetail(9, {
      timeline: [
        { at: iso(T0), kind: 'opened', actor: null, text: 'paper end' },
        { at: iso(T0 + 1000), kind: 'test_print', actor: null, text: 'refused (printer-1, requested by engineer): the printer is not ready' },
      ],
    });
    const api = {
      ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => detail),
      registers: vi.fn(async () => ({ registers: [makeRegister('agt-1')] })),
      register: vi.fn(async () => printerRegister()),
      registerHost: vi.fn(async () => emptyRegisterHost()),
      testPrint: vi.fn(async () => undefined),
    } as unknown as ApiClient;
    const el = mount(h(TicketScreen, { id: 9, api, feed: silentFeed(), state: new ConsoleState(api, () => me), me }));
    await flush();
    await flush();
    expect(el.querySelector('[data-kind="test_print"]')!.textContent).toContain('не печатали');
    // A paper ticket carries the register's paper-supply hint beside the advice.
    expect(el.querySelector('.kb [data-testid="paper-supply"]')!.getAttribute('data-times')).toBe('4');
    act(() => void el.querySelector<HTMLButtonElement>('[data-testid="action-test-print"]')!.click());
    expect(api.testPrint).not.toHaveBeenCalled();
    expect(el.querySelector('[data-testid="test-print-confirm"]')!.textContent).toContain('Напечатать тестовый чек на TM-T20III?');
    await act(async () => void el.querySelector<HTMLButtonElement>('[data-testid="test-print-confirm-yes"]')!.click());
    await flush();
    expect(api.testPrint).toHaveBeenCalledWith(9);
    expect(el.querySelector('[data-testid="test-print-sent"]')).not.toBeNull();
  });

  it('offers no test print on a ticket that is not about a receipt printer', async () => {
    const detail = makeDetail(9, { device: { deviceId: 'kkt-1', kind: 'fiscal', driver: 'atol', model: null } });
    const api = { ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })), ticket: vi.fn(async () => detail), registers: vi.fn(async () => ({ registers: [] })), register: vi.fn() } as unknown as ApiClient;
    const el = mount(h(TicketScreen, { id: 9, api, feed: silentFeed(), state: new ConsoleState(api, () => me), me }));
    await flush();
    expect(el.querySelector('[data-testid="ticket-detail"]')!.getAttribute('data-loading')).toBeNull();
    expect(el.querySelector('[data-testid="action-test-print"]')).toBeNull();
  });
});

// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { CalendarDays } from '@tillscope/shared';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, choose, clickAndFlush, typeInto } from '../testing/dom-actions';
import { fakeServer, makeStore, writes } from '../testing/service-fixtures';
import { HolidayCalendarPanel } from './holiday-calendar';

const mount = mountPerTest();
const q = (el: HTMLElement, testid: string) => byTestId(el, testid);
const pick = (el: HTMLElement, testid: string, value: string) => choose(byTestId<HTMLSelectElement>(el, testid), value);
const pickFile = async (el: HTMLElement, name: string, text: string) => {
  await act(async () => {
    const input = q(el, 'svc-cal-file');
    Object.defineProperty(input, 'files', { value: [new File([text], name)], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
};
const chain2026: CalendarDays = {
  calendarId: 'chain',
  year: 2026,
  days: [
    { date: '2026-01-01', kind: 'holiday', note: 'Новый год' },
    { date: '2026-01-09', kind: 'holiday', note: '' },
    { date: '2026-03-07', kind: 'short', note: '' },
    { date: '2026-11-01', kind: 'working', note: 'перенос' },
  ],
};

function calendarServer(days: CalendarDays = chain2026) {
  let stored = days;
  return fakeServer({
    'GET /api/stores': { stores: [makeStore('msk-001'), makeStore('kzn-002', { calendar: 'own' })] },
    'GET /api/calendars/chain/days?year=2026': () => stored,
    'GET /api/calendars/*': (c) => ({ calendarId: decodeURIComponent(c.path.split('/')[3]!), year: Number(c.path.split('year=')[1]), days: [] }),
    'PUT /api/calendars/chain/days': (c) => (stored = c.body as CalendarDays),
    'POST /api/calendars/chain/import': { calendarId: 'chain', years: [2026, 2027], days: 52 },
  });
}

describe('the holiday calendar', () => {
  it('shows the year with holidays, short days, transferred working days and weekends, read-only for an engineer', async () => {
    const { api } = calendarServer();
    const el = mount(h(HolidayCalendarPanel, { api, admin: false, initialYear: 2026 }));
    await flush();
    const kind = (date: string) => el.querySelector(`[data-date="${date}"]`)!.getAttribute('data-kind');
    expect([kind('2026-01-01'), kind('2026-03-07'), kind('2026-11-01'), kind('2026-01-10'), kind('2026-01-12')]).toEqual(['holiday', 'short', 'working', 'weekend', 'ordinary']);
    expect(el.querySelector('[data-date="2026-01-01"]')!.getAttribute('title')).toBe('2026-01-01 · праздник · Новый год');
    expect(q(el, 'svc-cal-summary').textContent).toBe('Праздников: 2, сокращённых: 1, перенесённых рабочих: 1.');
    expect(el.querySelectorAll('[data-testid="svc-cal-grid"] caption')).toHaveLength(12);
    expect(el.querySelector('.day-button')).toBeNull();
    expect(q(el, 'svc-cal-import')).toBeNull();
  });

  it('offers the stores with their own days, and moves between years', async () => {
    const { api, calls } = calendarServer();
    const el = mount(h(HolidayCalendarPanel, { api, admin: false, initialYear: 2026 }));
    await flush();
    expect([...el.querySelectorAll<HTMLOptionElement>('[data-testid="svc-cal-id"] option')].map((o) => o.value)).toEqual(['chain', 'store:kzn-002']);
    await pick(el, 'svc-cal-id', 'store:kzn-002');
    await clickAndFlush(q(el, 'svc-cal-next'));
    expect(calls.map((c) => c.path).filter((p) => p.startsWith('/api/calendars'))).toEqual([
      '/api/calendars/chain/days?year=2026',
      '/api/calendars/store%3Akzn-002/days?year=2026',
      '/api/calendars/store%3Akzn-002/days?year=2027',
    ]);
    expect(q(el, 'svc-cal-year').textContent).toBe('2027');
    expect(el.textContent).toContain('На этот год дни не заданы');
  });

  it('lets an admin turn a day into a transferred working day, sending the whole year with it', async () => {
    const { api, calls } = calendarServer();
    const el = mount(h(HolidayCalendarPanel, { api, admin: true, initialYear: 2026 }));
    await flush();
    await clickAndFlush(el.querySelector<HTMLElement>('[data-date="2026-01-09"] button')!);
    expect(el.querySelector<HTMLSelectElement>('[data-testid="svc-cal-day-kind"]')!.value).toBe('holiday');
    await pick(el, 'svc-cal-day-kind', 'ordinary');
    await clickAndFlush(q(el, 'svc-cal-day-save'));
    await clickAndFlush(el.querySelector<HTMLElement>('[data-date="2026-01-10"] button')!);
    await pick(el, 'svc-cal-day-kind', 'working');
    typeInto(el, 'svc-cal-day-note', 'перенос с 9 января');
    await clickAndFlush(q(el, 'svc-cal-day-save'));
    const puts = writes(calls).map((c) => (c.body as CalendarDays).days.map((d) => `${d.date}:${d.kind}`));
    expect(puts).toEqual([
      ['2026-01-01:holiday', '2026-03-07:short', '2026-11-01:working'],
      ['2026-01-01:holiday', '2026-01-10:working', '2026-03-07:short', '2026-11-01:working'],
    ]);
    expect(el.querySelector('[data-date="2026-01-10"]')!.getAttribute('data-kind')).toBe('working');
    expect(el.querySelector('[data-date="2026-01-09"]')!.getAttribute('data-kind')).toBe('ordinary');
    expect(q(el, 'svc-cal-day-editor')).toBeNull();
  });

  it('imports a calendar file: guesses the format, sends it, shows what was loaded and reads the year again', async () => {
    const { api, calls } = calendarServer();
    const el = mount(h(HolidayCalendarPanel, { api, admin: true, initialYear: 2026 }));
    await flush();
    const xml = '<?xml version="1.0" encoding="UTF-8"?><calendar year="2026" lang="ru"><days><day d="01.01" t="1" h="1"/></days></calendar>';
    await pickFile(el, 'calendar-2026.xml', xml);
    expect(el.querySelector<HTMLSelectElement>('[data-testid="svc-cal-format"]')!.value).toBe('xmlcalendar');
    const readsBefore = calls.filter((c) => c.method === 'GET' && c.path.startsWith('/api/calendars')).length;
    await clickAndFlush(q(el, 'svc-cal-upload'));
    expect(writes(calls)).toEqual([{ method: 'POST', path: '/api/calendars/chain/import', body: { format: 'xmlcalendar', text: xml } }]);
    expect(q(el, 'svc-cal-import-result').textContent).toBe('Загружено дней: 52, годы: 2026, 2027.');
    expect(calls.filter((c) => c.method === 'GET' && c.path.startsWith('/api/calendars')).length).toBe(readsBefore + 1);
  });

  it('shows why the server refused a file, and refuses an empty one itself', async () => {
    const { api, calls } = fakeServer({
      'GET /api/stores': { stores: [] },
      'GET /api/calendars/chain/days?year=2026': chain2026,
      'POST /api/calendars/chain/import': { status: 400, body: { ok: false, code: 'bad_request', message: 'line 3: unknown kind "выходной"' } },
    });
    const el = mount(h(HolidayCalendarPanel, { api, admin: true, initialYear: 2026 }));
    await flush();
    await pickFile(el, 'empty.csv', '  \n');
    expect(q(el, 'svc-cal-import-problem').textContent).toBe('Файл пустой.');
    await pickFile(el, 'days.csv', '2026-01-01,holiday,\n2026-01-02,holiday,\n2026-01-03,выходной,');
    expect(el.querySelector<HTMLSelectElement>('[data-testid="svc-cal-format"]')!.value).toBe('csv');
    await clickAndFlush(q(el, 'svc-cal-upload'));
    expect(writes(calls)).toHaveLength(1);
    expect(q(el, 'svc-cal-import-error').textContent).toBe('Ошибка: line 3: unknown kind "выходной"');
  });

  it('says the calendar is not available on a server without calendars', async () => {
    const { api } = fakeServer({});
    const el = mount(h(HolidayCalendarPanel, { api, admin: true, initialYear: 2026 }));
    await flush();
    expect(q(el, 'svc-cal-unavailable')).not.toBeNull();
  });
});


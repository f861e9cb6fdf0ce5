import { readFileSync } from 'node:fs';
import { CalendarDays, ErrorBody, ImportCalendarResult, SlaTargets, StoreList, StoreSettings } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { calendarOfStore } from '../sla/sla-store';
import { ADMIN, apiCall, consoleForEachTest, ENGINEER, enroll, login, onSecondConnection } from '../test-support/console-harness';

// SLA settings through the real HTTP server and SQLite file: admins write, engineers read, bad
// input is a 400 that changes nothing, and the store calendar the deadlines use reads it back.

const consoleUnderTest = consoleForEachTest();
const RU_2026 = readFileSync(new URL('../../../../shared/calendars/ru-2026.xml', import.meta.url), 'utf8');
const HOURS_9_21 = [...Array.from({ length: 6 }, () => ({ open: '09:00', close: '21:00' })), null];

async function sessions() {
  return { admin: await login(consoleUnderTest.url, ADMIN), engineer: await login(consoleUnderTest.url, ENGINEER) };
}
const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(consoleUnderTest.url, method, route, cookie, body);

describe('/api/sla/targets', () => {
  it('lists the seeded targets; admins change pairs, engineers may not; a repeated pair is refused', async () => {
    const { admin, engineer } = await sessions();
    const seeded = SlaTargets.parse((await call('GET', '/api/sla/targets', engineer)).json);
    expect(seeded.targets).toHaveLength(24);
    expect(seeded.targets).toContainEqual({ category: 'fiscal', priority: 1, reactMinutes: 15, resolveMinutes: 240 });
    const change = { targets: [{ category: 'fiscal', priority: 1, reactMinutes: 10, resolveMinutes: 120 }] };
    expect((await call('PUT', '/api/sla/targets', engineer, change)).status).toBe(403);
    const twice = await call('PUT', '/api/sla/targets', admin, { targets: [...change.targets, ...change.targets] });
    expect(twice.status).toBe(400);
    expect(ErrorBody.parse(twice.json).message).toMatch(/listed twice/);
    expect((await call('PUT', '/api/sla/targets', admin, { targets: [{ ...change.targets[0], reactMinutes: 0 }] })).status).toBe(400);
    const saved = SlaTargets.parse((await call('PUT', '/api/sla/targets', admin, change)).json);
    expect(saved.targets).toContainEqual(change.targets[0]);
    expect(saved.targets).toContainEqual({ category: 'printer', priority: 1, reactMinutes: 15, resolveMinutes: 240 });
  });
});

describe('/api/stores', () => {
  it('lists enrolled stores with the defaults; admins set zone, hours and calendar; an unknown zone is a 400', async () => {
    await enroll(consoleUnderTest.test, 'store-vl', 'till-1');
    const { admin, engineer } = await sessions();
    const list = StoreList.parse((await call('GET', '/api/stores', engineer)).json);
    expect(list.stores).toEqual([expect.objectContaining({ storeId: 'store-vl', timeZone: 'Europe/Moscow', calendar: 'chain', registers: 1 })]);
    const update = { name: 'Владивосток, Светланская', timeZone: 'Asia/Vladivostok', hours: HOURS_9_21, calendar: 'own' };
    expect((await call('PUT', '/api/stores/store-vl', engineer, update)).status).toBe(403);
    const badZone = await call('PUT', '/api/stores/store-vl', admin, { ...update, timeZone: 'Asia/Atlantis' });
    expect(badZone.status).toBe(400);
    expect(ErrorBody.parse(badZone.json).message).toMatch(/unknown time zone 'Asia\/Atlantis'/);
    const closed = await call('PUT', '/api/stores/store-vl', admin, { ...update, hours: Array.from({ length: 7 }, () => null) });
    expect(ErrorBody.parse(closed.json).message).toMatch(/closed every day/);
    expect((await call('PUT', '/api/stores/store-vl', admin, { ...update, hours: HOURS_9_21.slice(1) })).status).toBe(400);
    const saved = StoreSettings.parse((await call('PUT', '/api/stores/store-vl', admin, update)).json);
    expect(saved).toMatchObject({ storeId: 'store-vl', name: update.name, timeZone: 'Asia/Vladivostok', calendar: 'own', registers: 1 });
    expect(saved.hours[6]).toBeNull();
  });
});

describe('/api/calendars', () => {
  it('imports the 2026 production calendar into the chain, shows a year, and layers a store\'s own days over it', async () => {
    const { admin, engineer } = await sessions();
    expect((await call('POST', '/api/calendars/chain/import', engineer, { format: 'xmlcalendar', text: RU_2026 })).status).toBe(403);
    const imported = ImportCalendarResult.parse((await call('POST', '/api/calendars/chain/import', admin, { format: 'xmlcalendar', text: RU_2026 })).json);
    expect(imported).toEqual({ calendarId: 'chain', years: [2026], days: 22 });
    const year = CalendarDays.parse((await call('GET', '/api/calendars/chain/days?year=2026', engineer)).json);
    expect(year.days).toHaveLength(22);
    expect(year.days[0]).toEqual({ date: '2026-01-01', kind: 'holiday', note: 'Новогодние каникулы' });
    expect(CalendarDays.parse((await call('GET', '/api/calendars/chain/days?year=2027', engineer)).json).days).toEqual([]);

    const own = { calendarId: 'store:store-vl', year: 2026, days: [{ date: '2026-11-04', kind: 'working', note: 'магазин работает' }] };
    expect((await call('PUT', '/api/calendars/store:store-vl/days', admin, own)).status).toBe(200);
    await call('PUT', '/api/stores/store-vl', admin, { timeZone: 'Asia/Vladivostok', hours: HOURS_9_21, calendar: 'own' });
    await call('PUT', '/api/stores/store-msk', admin, { timeZone: 'Europe/Moscow', hours: HOURS_9_21, calendar: 'chain' });
    await call('PUT', '/api/stores/store-24', admin, { timeZone: 'Europe/Moscow', hours: HOURS_9_21, calendar: 'none' });
    const kinds = await onSecondConnection(consoleUnderTest.test.dataDir, async (sql) => ({
      own: await calendarOfStore(sql, 'store-vl'),
      chain: await calendarOfStore(sql, 'store-msk'),
      none: await calendarOfStore(sql, 'store-24'),
      unknown: await calendarOfStore(sql, 'nobody'),
    }));
    expect(kinds.own.days.get('2026-11-04')).toBe('working');
    expect(kinds.own.days.get('2026-01-07')).toBe('holiday');
    expect(kinds.own.timeZone).toBe('Asia/Vladivostok');
    expect(kinds.chain.days.get('2026-11-04')).toBe('holiday');
    expect(kinds.none.days.size).toBe(0);
    expect(kinds.unknown).toMatchObject({ timeZone: 'Europe/Moscow' });
    expect(kinds.unknown.days.get('2026-01-07')).toBe('holiday');
  });

  it('refuses a bad file or day list with a 400 that changes nothing', async () => {
    const { admin } = await sessions();
    await call('POST', '/api/calendars/chain/import', admin, { format: 'csv', text: '2026-05-08,short,до праздника\n' });
    const badCsv = await call('POST', '/api/calendars/chain/import', admin, { format: 'csv', text: '2026-01-01,holiday\n2026-01-02,weekend\n' });
    expect(badCsv.status).toBe(400);
    expect(ErrorBody.parse(badCsv.json).message).toBe('line 2: kind "weekend" is not one of holiday, short, working');
    const badXml = await call('POST', '/api/calendars/chain/import', admin, { format: 'xmlcalendar', text: '<calendar year="2026"><day d="13.01" t="1"/></calendar>' });
    expect(ErrorBody.parse(badXml.json).message).toMatch(/"13.01" is not a date/);
    const stray = await call('PUT', '/api/calendars/chain/days', admin, { calendarId: 'chain', year: 2026, days: [{ date: '2025-12-31', kind: 'holiday' }] });
    expect(ErrorBody.parse(stray.json).message).toMatch(/2025-12-31 is not a date of 2026/);
    const feb30 = await call('PUT', '/api/calendars/chain/days', admin, { calendarId: 'chain', year: 2026, days: [{ date: '2026-02-30', kind: 'holiday' }] });
    expect(feb30.status).toBe(400);
    expect((await call('PUT', '/api/calendars/chain/days', admin, { calendarId: 'store:x', year: 2026, days: [] })).status).toBe(400);
    expect((await call('GET', '/api/calendars/elsewhere/days?year=2026', admin)).status).toBe(400);
    const year = CalendarDays.parse((await call('GET', '/api/calendars/chain/days?year=2026', admin)).json);
    expect(year.days).toEqual([{ date: '2026-05-08', kind: 'short', note: 'до праздника' }]);
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../console/renderer/src/api/client';
import { ADMIN, consoleForEachTest, enroll, ENGINEER, login } from '../../console/server/src/test-support/console-harness';

// The renderer's service-desk client against the real console server (SQLite in a temp dir, HTTP on
// loopback): every answer it reads must pass the shared schema it validates with, every body it
// sends must be one the server takes. The dom tests cover the screens; this covers the wire.

const console_ = consoleForEachTest();

/** The renderer's ApiClient as a signed-in browser would run it: same-origin paths, the session cookie. */
async function clientAs(user: { username: string; password: string }): Promise<ApiClient> {
  const cookie = await login(console_.url, user);
  return new ApiClient({ fetch: (input, init) => fetch(`${console_.url}${input}`, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }) });
}

describe('the service-desk client against the console server', () => {
  it('reads and writes SLA targets and a store; an engineer reads but may not write', async () => {
    await enroll(console_.test, 'vvo-003', 'pos-1');
    const admin = await clientAs(ADMIN);
    const { targets } = await admin.slaTargets();
    expect(targets).toHaveLength(24);
    const changed = await admin.saveSlaTargets({ targets: [{ category: 'fiscal', priority: 1, reactMinutes: 10, resolveMinutes: 120 }] });
    expect(changed.targets.find((t) => t.category === 'fiscal' && t.priority === 1)).toMatchObject({ reactMinutes: 10, resolveMinutes: 120 });

    const { stores } = await admin.stores();
    expect(stores.map((s) => s.storeId)).toEqual(['vvo-003']);
    const hours = [...Array(6).fill({ open: '09:00', close: '21:00' }), { open: '00:00', close: '24:00' }];
    const store = await admin.saveStore('vvo-003', { name: 'Владивосток, Светланская', timeZone: 'Asia/Vladivostok', hours, calendar: 'own' });
    expect(store).toMatchObject({ storeId: 'vvo-003', timeZone: 'Asia/Vladivostok', calendar: 'own', registers: 1 });
    await expect(admin.saveStore('vvo-003', { timeZone: 'Mars/Olympus', hours, calendar: 'chain' })).rejects.toMatchObject({ status: 400 });

    const engineer = await clientAs(ENGINEER);
    expect((await engineer.stores()).stores[0]!.name).toBe('Владивосток, Светланская');
    await expect(engineer.saveSlaTargets({ targets })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it("imports the shipped 2026 production calendar, reads the year back and edits a store's own day", async () => {
    const admin = await clientAs(ADMIN);
    const xml = await readFile(path.join(import.meta.dirname, '../../shared/calendars/ru-2026.xml'), 'utf8');
    const result = await admin.importCalendar('chain', { format: 'xmlcalendar', text: xml });
    expect(result).toMatchObject({ calendarId: 'chain', years: [2026] });
    const year = await admin.calendarDays('chain', 2026);
    expect(year.days.length).toBe(result.days);
    expect(year.days.find((d) => d.date === '2026-01-01')?.kind).toBe('holiday');

    const own = await admin.saveCalendarDays({ calendarId: 'store:vvo-003', year: 2026, days: [{ date: '2026-09-28', kind: 'holiday', note: 'День города' }] });
    expect(own.days).toEqual([{ date: '2026-09-28', kind: 'holiday', note: 'День города' }]);
    await expect(admin.importCalendar('chain', { format: 'csv', text: '2026-01-01,выходной,' })).rejects.toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('edits groups, an engineer’s groups and the routing table', async () => {
    const admin = await clientAs(ADMIN);
    const group = await admin.saveGroup('kkt_atol', { title: { ru: 'Кассы АТОЛ', en: 'ATOL registers' }, line: 'second' });
    expect(group).toMatchObject({ id: 'kkt_atol', archived: false });
    const eve = await admin.saveUserGroups(ENGINEER.username, ['printers', 'kkt_atol']);
    expect(eve.groups).toEqual(['printers', 'kkt_atol']);
    expect((await admin.groups()).groups.find((g) => g.id === 'kkt_atol')?.members).toEqual([ENGINEER.username]);

    const rule = await admin.saveRoute('fiscal.no_reply', 'kkt_atol');
    expect(rule).toMatchObject({ code: 'fiscal.no_reply', group: 'kkt_atol', custom: true });
    expect((await admin.routing()).rules.find((r) => r.code === 'fiscal.no_reply')).toEqual(rule);
    const reset = await admin.saveRoute('fiscal.no_reply', null);
    expect(reset).toMatchObject({ group: reset.defaultGroup, custom: false });
  });

  it('lets an engineer plan a window for a register, list it, cancel it and find it in the history', async () => {
    await enroll(console_.test, 'msk-001', 'pos-2');
    const engineer = await clientAs(ENGINEER);
    // The console's clock stands at 2026-11-22T10:00Z (startTestConsole's ManualClock).
    const planned = await engineer.planMaintenance({ storeId: 'msk-001', registerId: 'pos-2', startsAt: '2026-11-23T20:00:00Z', endsAt: '2026-11-23T23:00:00Z', reason: 'Замена кассы' });
    expect(planned).toMatchObject({ storeId: 'msk-001', registerId: 'pos-2', state: 'planned', createdBy: ENGINEER.username, suppressed: 0 });
    expect((await engineer.maintenance({ state: 'current' })).windows.map((w) => w.id)).toEqual([planned.id]);
    await expect(engineer.planMaintenance({ storeId: 'msk-001', registerId: 'pos-9', startsAt: '2026-11-23T20:00:00Z', endsAt: '2026-11-23T23:00:00Z', reason: 'нет такой' })).rejects.toMatchObject({ status: 404 });

    const cancelled = await engineer.cancelMaintenance(planned.id);
    expect(cancelled).toMatchObject({ id: planned.id, state: 'cancelled', cancelledBy: ENGINEER.username });
    expect((await engineer.maintenance({ state: 'current' })).windows).toEqual([]);
    expect((await engineer.maintenance({ state: 'past', storeId: 'msk-001' })).windows).toEqual([cancelled]);
  });

  it('reads the noise settings with the catalogue holds beside them, and saves them as an admin', async () => {
    const admin = await clientAs(ADMIN);
    const view = await admin.noiseSettings();
    expect(Object.keys(view.defaultHolds).length).toBeGreaterThan(0);
    const settings = { ...view.settings, holds: { 'printer.cover_open': 45 }, reopenDays: 5, correlation: { ...view.settings.correlation, share: 0.75 } };
    const saved = await admin.saveNoiseSettings(settings);
    expect(saved.settings).toEqual(settings);
    const engineer = await clientAs(ENGINEER);
    expect((await engineer.noiseSettings()).settings).toEqual(settings);
    await expect(engineer.saveNoiseSettings(settings)).rejects.toMatchObject({ status: 403 });
  });
});

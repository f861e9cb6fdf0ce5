import { MaintenanceList, MaintenanceWindow } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, apiCall, consoleForEachTest, enroll, ENGINEER, login } from '../test-support/console-harness';
import { finding, healthMessage, printerReport } from '../test-support/device-reports';
import { sweepHeldFindings } from '../noise/hold-sweep';
import { FLEET_OFFLINE_AFTER_SEC, openStoreFleet, type StoreFleet } from '../test-support/store-fleet';
import { createMaintenance, listMaintenance } from './maintenance-windows';

describe('maintenance windows REST', () => {
  const c = consoleForEachTest();
  const at = (seconds: number) => new Date(c.test.clock.now().getTime() + seconds * 1000).toISOString();

  it('an engineer plans a window; its state follows the console clock; cancelling keeps it in the history', async () => {
    await enroll(c.test, 'store-1', 'pos-1');
    const cookie = await login(c.url, ENGINEER);
    const created = await apiCall(c.url, 'POST', '/api/maintenance', cookie, { storeId: 'store-1', startsAt: at(3_600), endsAt: at(7_200), reason: 'ремонт электрики' });
    expect(created.status).toBe(201);
    const window = MaintenanceWindow.parse(created.json);
    expect(window).toMatchObject({ storeId: 'store-1', registerId: null, state: 'planned', createdBy: 'eve', suppressed: 0, cancelledAt: null });

    const list = async (query = '') => MaintenanceList.parse((await apiCall(c.url, 'GET', `/api/maintenance${query}`, cookie)).json).windows;
    expect((await list()).map((w) => [w.id, w.state])).toEqual([[window.id, 'planned']]);
    c.test.clock.advanceSeconds(3_600);
    expect((await list()).map((w) => w.state)).toEqual(['active']);
    expect(await list('?state=past')).toEqual([]);

    const cancelled = await apiCall(c.url, 'DELETE', `/api/maintenance/${window.id}`, cookie);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ state: 'cancelled', cancelledBy: 'eve' });
    expect(await list()).toEqual([]);
    expect((await list('?state=past&storeId=store-1')).map((w) => [w.id, w.state])).toEqual([[window.id, 'cancelled']]);
    expect((await apiCall(c.url, 'DELETE', `/api/maintenance/${window.id}`, cookie)).json).toMatchObject({ code: 'conflict' });
  });

  it('a window of one register; ended windows are history', async () => {
    await enroll(c.test, 'store-1', 'pos-1');
    const cookie = await login(c.url, ADMIN);
    const created = await apiCall(c.url, 'POST', '/api/maintenance', cookie, { storeId: 'store-1', registerId: 'pos-1', startsAt: at(0), endsAt: at(600), reason: 'переустановка ОС' });
    expect(created.json).toMatchObject({ registerId: 'pos-1', state: 'active', createdBy: 'admin' });
    c.test.clock.advanceSeconds(600);
    const all = MaintenanceList.parse((await apiCall(c.url, 'GET', '/api/maintenance?state=all', cookie)).json).windows;
    expect(all.map((w) => w.state)).toEqual(['ended']);
    const again = await apiCall(c.url, 'DELETE', `/api/maintenance/${created.json.id}`, cookie);
    expect([again.status, again.json.code]).toEqual([409, 'conflict']);
  });

  it('refuses bad windows with stable codes', async () => {
    await enroll(c.test, 'store-1', 'pos-1');
    const cookie = await login(c.url, ENGINEER);
    const post = (body: object) => apiCall(c.url, 'POST', '/api/maintenance', cookie, { storeId: 'store-1', startsAt: at(0), endsAt: at(600), reason: 'работы', ...body });
    const answer = async (body: object) => {
      const { status, json } = await post(body);
      return [status, json.code];
    };
    expect(await answer({ storeId: 'store-9' })).toEqual([404, 'not_found']);
    expect(await answer({ registerId: 'pos-9' })).toEqual([404, 'not_found']);
    expect(await answer({ startsAt: at(-7_200), endsAt: at(-3_600) })).toEqual([400, 'bad_request']);
    expect(await answer({ endsAt: at(8 * 86_400) })).toEqual([400, 'bad_request']);
    expect(await answer({ endsAt: at(-1) })).toEqual([400, 'bad_request']);
    expect(await answer({ reason: '' })).toEqual([400, 'bad_request']);
    expect(await answer({ startsAt: 'tomorrow' })).toEqual([400, 'bad_request']);
    expect((await apiCall(c.url, 'DELETE', '/api/maintenance/999', cookie)).status).toBe(404);
    expect((await apiCall(c.url, 'GET', '/api/maintenance?state=soon', cookie)).status).toBe(400);
    expect((await apiCall(c.url, 'GET', '/api/maintenance')).status).toBe(401);
  });
});

describe('maintenance windows hold tickets back', () => {
  let fleet: StoreFleet | undefined;
  afterEach(async () => {
    await fleet?.dispose();
    fleet = undefined;
  });

  const plan = (f: StoreFleet, storeId: string, registerId: string | null, fromSec: number, toSec: number) => {
    const at = (seconds: number) => new Date(f.clock.now().getTime() + seconds * 1000).toISOString();
    return f.services.db.write((sql) => createMaintenance(sql, { storeId, registerId, startsAt: at(fromSec), endsAt: at(toSec), reason: 'power works' }, 'eve', at(0)));
  };
  const ticketCodes = async (f: StoreFleet) => (await f.services.db.sql.all<{ code: string }[]>('SELECT code FROM tickets ORDER BY id')).map((row) => row.code);
  const windowsNow = (f: StoreFleet) => listMaintenance(f.services.db.sql, { state: 'all' }, f.clock.now().toISOString());

  it('a store under maintenance: no offline ticket, no incident, a finding stored as history only; counted once per condition', async () => {
    fleet = await openStoreFleet({ 'store-1': 10, 'store-2': 1 });
    const [first, ...others] = fleet.stores.get('store-1') ?? [];
    await plan(fleet, 'store-1', null, 0, 3_600);
    const report = printerReport({ findings: [finding('printer.cover_open', 'cover open')] });
    await fleet.services.ingest.submit(first!, healthMessage('h-1', [report]));
    await fleet.services.ingest.submit(first!, healthMessage('h-2', [report]));
    await fleet.disconnect(others);
    fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
    expect(await fleet.sweep()).toBe(0);
    fleet.clock.advanceSeconds(60);
    expect(await fleet.sweep()).toBe(0);
    expect(await ticketCodes(fleet)).toEqual([]);
    // The history is kept: the device's state and its report.
    const device = await fleet.services.db.sql.get<{ codes_json: string }>('SELECT codes_json FROM devices WHERE agent_id = ?', first);
    expect(JSON.parse(device!.codes_json)).toEqual(['printer.cover_open']);
    expect(await fleet.services.db.sql.get('SELECT COUNT(*) AS n FROM device_reports WHERE agent_id = ?', first)).toEqual({ n: 1 });
    // 9 silent registers and one open cover, each counted once however often seen.
    expect((await windowsNow(fleet)).map((w) => [w.state, w.suppressed])).toEqual([['active', 10]]);

    // After the window the conditions still there open their tickets: the store incident too.
    fleet.clock.advanceSeconds(3_600);
    expect(await fleet.sweep()).toBe(9);
    await fleet.services.ingest.submit(first!, healthMessage('h-3', [report]));
    expect((await ticketCodes(fleet)).sort()).toEqual([...Array(9).fill('agent.offline'), 'printer.cover_open', 'store.outage']);
  });

  it('a window of one register holds back only that register; a cancelled window nothing', async () => {
    fleet = await openStoreFleet({ 'store-1': 10 });
    const registers = fleet.stores.get('store-1') ?? [];
    await plan(fleet, 'store-1', 'pos-0', 0, 3_600);
    const cancelled = await plan(fleet, 'store-1', 'pos-1', 0, 3_600);
    await fleet.services.db.write((sql) => sql.run('UPDATE maintenance_windows SET cancelled_at = ? WHERE id = ?', fleet!.clock.now().toISOString(), cancelled.id));
    expect(await (async () => {
      await fleet.disconnect(registers.slice(0, 2));
      fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
      return fleet.sweep();
    })()).toBe(1);
    const rows = await fleet.services.db.sql.all<{ agent_id: string }[]>('SELECT agent_id FROM tickets');
    expect(rows.map((row) => row.agent_id)).toEqual([registers[1]]);
    expect((await windowsNow(fleet)).map((w) => [w.registerId, w.suppressed])).toEqual([['pos-0', 1], ['pos-1', 0]]);
  });

  it('a finding still held when its store\'s window begins opens nothing at the end of its hold', async () => {
    fleet = await openStoreFleet({ 'store-1': 1 }, { noise: { holds: { 'printer.cover_open': 60 } } });
    const [agentId] = fleet.stores.get('store-1') ?? [];
    await fleet.services.ingest.submit(agentId!, healthMessage('h-1', [printerReport({ findings: [finding('printer.cover_open', 'cover open')] })]));
    await plan(fleet, 'store-1', null, 10, 3_600);
    fleet.clock.advanceSeconds(61);
    const { services } = fleet;
    const sweep = () => sweepHeldFindings({ db: services.db, pipeline: services.engine.pipeline, noise: services.noise, bus: services.bus, now: fleet!.clock.now });
    expect(await sweep()).toMatchObject({ opened: 0 });
    expect(await ticketCodes(fleet)).toEqual([]);
    expect((await windowsNow(fleet)).map((w) => w.suppressed)).toEqual([1]);
  });

  it('a planned window that has not started holds nothing back', async () => {
    fleet = await openStoreFleet({ 'store-1': 1 });
    await plan(fleet, 'store-1', null, 600, 3_600);
    await fleet.disconnect(fleet.stores.get('store-1') ?? []);
    fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
    expect(await fleet.sweep()).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { TicketList, TicketListQuery } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { ChangeSet } from '../tickets/change-set';
import { TicketViews } from '../tickets/ticket-views';
import { FLEET_OFFLINE_AFTER_SEC, openStoreFleet, type StoreFleet } from '../test-support/store-fleet';
import { cashierReportMessage, finding, healthMessage, printerReport } from '../test-support/device-reports';

// Store correlation through the real path: registers connect and disconnect through the ingest
// batcher, the real offline sweep opens the tickets, all on a SQLite file.

interface Row {
  id: number;
  agent_id: string;
  store_id: string;
  code: string;
  scope: string;
  device_id: string | null;
  parent_id: number | null;
  status: string;
  active: number;
  group_name: string;
}

let fleet: StoreFleet | undefined;
afterEach(async () => {
  await fleet?.dispose();
  fleet = undefined;
});

const sqlOf = (f: StoreFleet): SqlConnection => f.services.db.sql;
const allTickets = (f: StoreFleet) =>
  sqlOf(f).all<Row[]>('SELECT id, agent_id, store_id, code, scope, device_id, parent_id, status, active, group_name FROM tickets ORDER BY id');
const eventsOf = async (f: StoreFleet, ticketId: number) =>
  (await sqlOf(f).all<{ kind: string; text: string }[]>('SELECT kind, text FROM ticket_events WHERE ticket_id = ? ORDER BY id', ticketId)).map((e) => e.kind);
const storeOf = (f: StoreFleet, storeId: string) => f.stores.get(storeId) ?? [];

/** Silences these registers now and runs the sweep once they are past the offline threshold. */
async function silence(f: StoreFleet, agentIds: readonly string[]): Promise<number> {
  await f.disconnect(agentIds);
  f.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
  return f.sweep();
}

describe('store correlation on silence', () => {
  it('50 registers of one store silent at once: exactly one store incident with 50 symptoms', async () => {
    fleet = await openStoreFleet({ 'store-1': 50, 'store-2': 3 });
    expect(await silence(fleet, storeOf(fleet, 'store-1'))).toBe(50); // offline tickets; the incident is the 51st
    const rows = await allTickets(fleet);
    const incidents = rows.filter((row) => row.code === 'store.outage');
    expect(incidents).toHaveLength(1);
    const [incident] = incidents as [Row];
    expect(incident).toMatchObject({ scope: 'store', device_id: null, store_id: 'store-1', group_name: 'network', status: 'open', parent_id: null });
    expect(storeOf(fleet, 'store-1')).toContain(incident.agent_id);
    const symptoms = rows.filter((row) => row.code === 'agent.offline');
    expect(symptoms).toHaveLength(50);
    expect(new Set(symptoms.map((row) => row.parent_id))).toEqual(new Set([incident.id]));
    expect(await eventsOf(fleet, symptoms[7]!.id)).toEqual(['opened', 'attached_to_incident']);
    expect((await eventsOf(fleet, incident.id)).filter((kind) => kind === 'symptom_attached')).toHaveLength(50);
    // A second pass finds nothing new.
    expect(await fleet.sweep()).toBe(0);
    // The queue lists the incident, not its symptoms, unless asked.
    const views = new TicketViews(sqlOf(fleet), fleet.clock.now);
    const listed = async (query: Record<string, string>) => TicketList.parse(JSON.parse(await views.listPage(TicketListQuery.parse(query), { username: 'eve', groups: [] })));
    expect((await listed({})).tickets.map((ticket) => [ticket.code, ticket.symptoms])).toEqual([['store.outage', 50]]);
    expect((await listed({})).total).toBe(1);
    expect((await listed({ symptoms: '1' })).total).toBe(51);
  });

  it('3 stores silent at once: 3 incidents, each with its own store\'s symptoms', async () => {
    fleet = await openStoreFleet({ a: 50, b: 50, c: 50, d: 4 });
    await silence(fleet, [...storeOf(fleet, 'a'), ...storeOf(fleet, 'b'), ...storeOf(fleet, 'c')]);
    const rows = await allTickets(fleet);
    const incidents = rows.filter((row) => row.code === 'store.outage');
    expect(incidents.map((row) => row.store_id).sort()).toEqual(['a', 'b', 'c']);
    for (const incident of incidents) {
      const symptoms = rows.filter((row) => row.parent_id === incident.id);
      expect(symptoms).toHaveLength(50);
      expect(symptoms.every((row) => row.store_id === incident.store_id && row.code === 'agent.offline')).toBe(true);
    }
    expect(rows.filter((row) => row.code === 'agent.offline' && row.parent_id === null)).toEqual([]);
  });

  it('1 of 10 registers silent: a register ticket, no incident', async () => {
    fleet = await openStoreFleet({ 'store-1': 10 });
    expect(await silence(fleet, storeOf(fleet, 'store-1').slice(3, 4))).toBe(1);
    expect(await allTickets(fleet)).toEqual([expect.objectContaining({ code: 'agent.offline', parent_id: null, scope: 'register' })]);
  });

  it('5 of 10 silent stays below the 60 % share; 6 of 10 makes an incident', async () => {
    fleet = await openStoreFleet({ five: 10, six: 10 });
    await silence(fleet, [...storeOf(fleet, 'five').slice(0, 5), ...storeOf(fleet, 'six').slice(0, 6)]);
    const rows = await allTickets(fleet);
    expect(rows.filter((row) => row.code === 'store.outage').map((row) => row.store_id)).toEqual(['six']);
    expect(rows.filter((row) => row.store_id === 'five').every((row) => row.parent_id === null)).toBe(true);
  });

  it('follows the admin\'s correlation settings: with a 50 % share, 5 of 10 silent make an incident', async () => {
    fleet = await openStoreFleet({ 'store-1': 10 }, { noise: { correlation: { share: 0.5 } } });
    await silence(fleet, storeOf(fleet, 'store-1').slice(0, 5));
    expect((await allTickets(fleet)).filter((row) => row.code === 'store.outage')).toHaveLength(1);
  });

  it('a register going silent later, while the incident is open, attaches too; one silent long before stays alone', async () => {
    fleet = await openStoreFleet({ 'store-1': 10 });
    const registers = storeOf(fleet, 'store-1');
    await silence(fleet, registers.slice(0, 1)); // alone, an hour before
    fleet.clock.advanceSeconds(3_600);
    // The others drop over 50 s; the sweep sees only the first ones past the threshold.
    await fleet.disconnect(registers.slice(1, 5));
    fleet.clock.advanceSeconds(50);
    await fleet.disconnect(registers.slice(5, 8));
    fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC - 40);
    expect(await fleet.sweep()).toBe(4); // the 4 past the threshold, under an incident of 7 silent
    fleet.clock.advanceSeconds(600);
    await fleet.disconnect(registers.slice(8, 9));
    fleet.clock.advanceSeconds(FLEET_OFFLINE_AFTER_SEC + 1);
    await fleet.sweep();
    const rows = await allTickets(fleet);
    const [incident] = rows.filter((row) => row.code === 'store.outage');
    expect(incident).toBeDefined();
    const attached = rows.filter((row) => row.parent_id === incident!.id).map((row) => row.agent_id);
    expect(attached.sort()).toEqual(registers.slice(1, 9).sort());
    expect(rows.find((row) => row.agent_id === registers[0])).toMatchObject({ code: 'agent.offline', parent_id: null });
  });
});

describe('store incident recovery', () => {
  it('resolves itself when the store is back, and closes its symptoms with it', async () => {
    fleet = await openStoreFleet({ 'store-1': 50 });
    await silence(fleet, storeOf(fleet, 'store-1'));
    const [incident] = (await allTickets(fleet)).filter((row) => row.code === 'store.outage');
    // The first registers back are only noted: their tickets wait for the incident.
    await fleet.connect(storeOf(fleet, 'store-1').slice(0, 10));
    let rows = await allTickets(fleet);
    expect(rows.filter((row) => row.parent_id === incident!.id && row.status === 'open' && row.active === 0)).toHaveLength(10);
    expect(rows.find((row) => row.id === incident!.id)).toMatchObject({ status: 'open', active: 1 });
    // All but one back: fewer than minRegisters (2) still failing, the store is back.
    await fleet.connect(storeOf(fleet, 'store-1').slice(10, 49));
    rows = await allTickets(fleet);
    expect(rows.find((row) => row.id === incident!.id)).toMatchObject({ status: 'resolved', active: 0 });
    const symptoms = rows.filter((row) => row.parent_id === incident!.id);
    expect(symptoms.every((row) => row.status === 'resolved')).toBe(true);
    expect(await eventsOf(fleet, symptoms[0]!.id)).toEqual(['opened', 'attached_to_incident', 'recovered', 'resolved_with_incident']);
    expect(await eventsOf(fleet, incident!.id)).toContain('auto_resolved');
    // The one register still down gets a ticket of its own at the next sweep.
    fleet.clock.advanceSeconds(15);
    expect(await fleet.sweep()).toBe(1);
    expect((await allTickets(fleet)).filter((row) => row.status === 'open')).toEqual([
      expect.objectContaining({ agent_id: storeOf(fleet, 'store-1')[49], code: 'agent.offline', parent_id: null }),
    ]);
  });

  it('an incident an engineer took only notes the recovery; resolving it resolves its symptoms', async () => {
    fleet = await openStoreFleet({ 'store-1': 5 });
    await silence(fleet, storeOf(fleet, 'store-1'));
    const { services } = fleet;
    const [incident] = (await allTickets(fleet)).filter((row) => row.code === 'store.outage');
    await services.db.write((sql) => services.engine.take(sql, incident!.id, { username: 'eve' }, new ChangeSet()));
    await fleet.connect(storeOf(fleet, 'store-1'));
    let rows = await allTickets(fleet);
    expect(rows.find((row) => row.id === incident!.id)).toMatchObject({ status: 'in_progress', active: 0 });
    expect(rows.filter((row) => row.parent_id === incident!.id).every((row) => row.status === 'open' && row.active === 0)).toBe(true);
    await services.db.write((sql) => services.engine.resolve(sql, incident!.id, { username: 'eve' }, 'router replaced', new ChangeSet()));
    rows = await allTickets(fleet);
    expect(rows.every((row) => row.status === 'resolved')).toBe(true);
    const symptom = rows.find((row) => row.parent_id === incident!.id)!;
    expect(await sqlOf(fleet).get('SELECT auto_resolved FROM tickets WHERE id = ?', symptom.id)).toEqual({ auto_resolved: 0 });
  });
});

describe('store correlation on alike failures', () => {
  const printerDown = (id: string) => healthMessage(id, [printerReport({ findings: [finding('printer.no_reply', 'no answer on USB')] })]);

  it('the same code on 7 of 10 registers within the window: one incident; on 5 of 10: register tickets', async () => {
    fleet = await openStoreFleet({ seven: 10, five: 10 });
    const { ingest } = fleet.services;
    for (const [index, agentId] of storeOf(fleet, 'seven').slice(0, 7).entries()) await ingest.submit(agentId, printerDown(`h-${index}`));
    for (const [index, agentId] of storeOf(fleet, 'five').slice(0, 5).entries()) await ingest.submit(agentId, printerDown(`h-${index}`));
    const rows = await allTickets(fleet);
    const incidents = rows.filter((row) => row.code === 'store.outage');
    expect(incidents.map((row) => row.store_id)).toEqual(['seven']);
    expect(rows.filter((row) => row.parent_id === incidents[0]!.id && row.code === 'printer.no_reply')).toHaveLength(7);
    expect(rows.filter((row) => row.store_id === 'five' && row.code === 'printer.no_reply' && row.parent_id === null)).toHaveLength(5);

    // A cashier's report at the register the incident is anchored on goes to that register's own ticket.
    const anchor = incidents[0]!.agent_id;
    const ack = await ingest.submit(anchor, cashierReportMessage('c-1', 'no_receipt', 'чек не печатается', [printerReport({ findings: [finding('printer.no_reply', 'no answer on USB')] })]));
    const own = rows.find((row) => row.agent_id === anchor && row.code === 'printer.no_reply');
    expect(ack).toMatchObject({ ok: true, ticket: { ticketId: own!.id } });
  });

  it('the store failing alike again soon after: the reopened tickets make a new incident', async () => {
    fleet = await openStoreFleet({ 'store-1': 5 });
    const { ingest } = fleet.services;
    const registers = storeOf(fleet, 'store-1');
    const report = async (prefix: string, down: boolean) => {
      for (const [index, agentId] of registers.entries()) {
        await ingest.submit(agentId, down ? printerDown(`${prefix}-${index}`) : healthMessage(`${prefix}-${index}`, [printerReport()]));
      }
    };
    await report('down', true);
    await report('up', false);
    const [first] = (await allTickets(fleet)).filter((row) => row.code === 'store.outage');
    expect(first).toMatchObject({ status: 'resolved' });
    fleet.clock.advanceSeconds(300);
    await report('again', true);
    const rows = await allTickets(fleet);
    const open = rows.filter((row) => row.status === 'open');
    const incidents = open.filter((row) => row.code === 'store.outage');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.id).not.toBe(first!.id);
    // The same five tickets, reopened, now symptoms of the new incident.
    expect(rows.filter((row) => row.code === 'printer.no_reply')).toHaveLength(5);
    expect(open.filter((row) => row.code === 'printer.no_reply' && row.parent_id === incidents[0]!.id)).toHaveLength(5);
  });

  it('a consumable is never a store cause: both registers out of paper together are two tickets', async () => {
    fleet = await openStoreFleet({ 'store-1': 2 });
    const paperOut = (id: string) => healthMessage(id, [printerReport({ findings: [finding('printer.paper_end', 'paper end sensor: no paper')] })]);
    for (const [index, agentId] of storeOf(fleet, 'store-1').entries()) await fleet.services.ingest.submit(agentId, paperOut(`h-${index}`));
    expect((await allTickets(fleet)).map((row) => [row.code, row.parent_id])).toEqual([['printer.paper_end', null], ['printer.paper_end', null]]);
  });

  it('a failure older than the window does not count', async () => {
    fleet = await openStoreFleet({ 'store-1': 3 });
    const [a, b] = storeOf(fleet, 'store-1') as [string, string];
    await fleet.services.ingest.submit(a, printerDown('h-1'));
    fleet.clock.advanceSeconds(121);
    await fleet.services.ingest.submit(b, printerDown('h-2'));
    expect((await allTickets(fleet)).map((row) => [row.code, row.parent_id])).toEqual([['printer.no_reply', null], ['printer.no_reply', null]]);
  });
});

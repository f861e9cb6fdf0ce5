import { ErrorBody, GroupList, Me, NoiseSettingsView, RoutingRule, RoutingTable, SupportGroup, TicketList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

// Groups, engineers' groups and the routing table through the real HTTP server on a real SQLite
// file, and the route stage reading the table when a real agent's report opens a ticket.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));

const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);
const errorOf = (answer: { json: unknown }) => ErrorBody.parse(answer.json);
const TITLE = { ru: 'Весы', en: 'Scales' };

describe('/api/groups', () => {
  it('lists the built-in groups by line with their members, for engineers too', async () => {
    const { status, json } = await call('GET', '/api/groups', flow.cookie);
    expect(status).toBe(200);
    const { groups } = GroupList.parse(json);
    expect(groups.map((g) => g.id)).toEqual(['helpdesk', 'fiscal', 'hardware', 'network', 'pos_software', 'printers', 'third_line', 'vendor']);
    expect(groups.find((g) => g.id === 'printers')).toEqual({ id: 'printers', title: { ru: expect.any(String), en: expect.any(String) }, line: 'second', archived: false, members: ['eve'] });
    expect(groups.find((g) => g.id === 'fiscal')?.members).toEqual([]);
  });

  it('lets an admin create, edit and archive a group; an engineer gets 403; bad bodies 400', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const body = { title: TITLE, line: 'second' };
    expect(errorOf(await call('PUT', '/api/groups/scales', flow.cookie, body))).toMatchObject({ code: 'forbidden' });
    const created = await call('PUT', '/api/groups/scales', admin, body);
    expect(created.status).toBe(200);
    expect(SupportGroup.parse(created.json)).toEqual({ id: 'scales', title: TITLE, line: 'second', archived: false, members: [] });
    const archived = await call('PUT', '/api/groups/scales', admin, { ...body, line: 'third', archived: true });
    expect(SupportGroup.parse(archived.json)).toMatchObject({ line: 'third', archived: true });
    expect(GroupList.parse((await call('GET', '/api/groups', flow.cookie)).json).groups.find((g) => g.id === 'scales')).toMatchObject({ archived: true });

    const badId = await call('PUT', '/api/groups/Bad-Id', admin, body);
    expect(badId.status).toBe(400);
    expect(errorOf(badId)).toMatchObject({ code: 'bad_request', issues: [{ path: 'id' }] });
    const badLine = await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'fourth' });
    expect(errorOf(badLine)).toMatchObject({ code: 'bad_request', issues: [{ path: 'line' }] });
    expect((await call('PUT', '/api/groups/scales', admin, { title: { ru: '', en: 'x' }, line: 'second' })).status).toBe(400);
  });
});

describe('PUT /api/users/:username/groups', () => {
  it('sets an engineer\'s groups (admins only); unknown groups and users are refused', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    expect((await call('PUT', '/api/users/eve/groups', flow.cookie, { groups: ['fiscal'] })).status).toBe(403);
    const set = await call('PUT', '/api/users/eve/groups', admin, { groups: ['fiscal', 'printers', 'fiscal'] });
    expect(set.status).toBe(200);
    expect(Me.parse(set.json)).toEqual({ username: 'eve', displayName: 'Eve Engineer', role: 'engineer', groups: ['fiscal', 'printers'] });
    const { groups } = GroupList.parse((await call('GET', '/api/groups', flow.cookie)).json);
    expect(groups.find((g) => g.id === 'fiscal')?.members).toEqual(['eve']);
    expect(Me.parse((await call('GET', '/api/auth/me', flow.cookie)).json).groups).toEqual(['fiscal', 'printers']);

    const unknown = await call('PUT', '/api/users/eve/groups', admin, { groups: ['scales'] });
    expect([unknown.status, errorOf(unknown).code]).toEqual([400, 'bad_request']);
    await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'second', archived: true });
    const archived = await call('PUT', '/api/users/eve/groups', admin, { groups: ['scales'] });
    expect([archived.status, errorOf(archived).code]).toEqual([409, 'conflict']);
    const nobody = await call('PUT', '/api/users/nobody/groups', admin, { groups: [] });
    expect([nobody.status, errorOf(nobody).code]).toEqual([404, 'not_found']);
    expect(errorOf(await call('PUT', '/api/users/eve/groups', admin, { groups: 'fiscal' })).code).toBe('bad_request');
  });

  it('a new user\'s groups must exist and take tickets too', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const user = (groups: string[]) => call('POST', '/api/users', admin, { username: 'bob', password: 'bob-password-1', displayName: 'Bob', role: 'engineer', groups });
    expect(errorOf(await user(['scales']))).toMatchObject({ code: 'bad_request', message: 'no group scales' });
    await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'second', archived: true });
    expect(errorOf(await user(['scales']))).toMatchObject({ code: 'conflict', message: 'group scales is archived' });
    expect(Me.parse((await user(['fiscal'])).json).groups).toEqual(['fiscal']);
  });
});

describe('/api/routing', () => {
  it('lists one rule per code; an admin routes a code elsewhere and puts the default back', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const table = RoutingTable.parse((await call('GET', '/api/routing', flow.cookie)).json);
    expect(table.rules.find((r) => r.code === 'printer.paper_end')).toEqual({ code: 'printer.paper_end', group: 'printers', defaultGroup: 'printers', custom: false });
    expect(table.rules.every((r) => !r.custom)).toBe(true);

    expect((await call('PUT', '/api/routing/printer.paper_end', flow.cookie, { group: 'helpdesk' })).status).toBe(403);
    const routed = await call('PUT', '/api/routing/printer.paper_end', admin, { group: 'helpdesk' });
    expect(RoutingRule.parse(routed.json)).toEqual({ code: 'printer.paper_end', group: 'helpdesk', defaultGroup: 'printers', custom: true });
    expect(RoutingTable.parse((await call('GET', '/api/routing', flow.cookie)).json).rules.filter((r) => r.custom).map((r) => r.code)).toEqual(['printer.paper_end']);
    const reset = await call('PUT', '/api/routing/printer.paper_end', admin, { group: null });
    expect(RoutingRule.parse(reset.json)).toMatchObject({ group: 'printers', custom: false });

    expect(errorOf(await call('PUT', '/api/routing/printer.nonsense', admin, { group: 'helpdesk' }))).toMatchObject({ code: 'bad_request', issues: [{ path: 'code' }] });
    expect(errorOf(await call('PUT', '/api/routing/printer.paper_end', admin, {}))).toMatchObject({ code: 'bad_request', issues: [{ path: 'group' }] });
    const unknown = await call('PUT', '/api/routing/printer.paper_end', admin, { group: 'scales' });
    expect([unknown.status, errorOf(unknown).code]).toEqual([400, 'bad_request']);
    await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'second', archived: true });
    const archived = await call('PUT', '/api/routing/printer.paper_end', admin, { group: 'scales' });
    expect([archived.status, errorOf(archived).code]).toEqual([409, 'conflict']);
  });

  it('sends a new ticket where the table says; a rule whose group was archived since falls back to the default', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'second' });
    await call('PUT', '/api/routing/printer.paper_end', admin, { group: 'scales' });
    // Every fault below is a new ticket, not the resolved one reopened (reopen window 0 days).
    const noise = NoiseSettingsView.parse((await call('GET', '/api/settings/noise', admin)).json).settings;
    await call('PUT', '/api/settings/noise', admin, { ...noise, reopenDays: 0 });
    const groupOfNewTicket = async (n: number) => {
      await flow.agent.request(healthMessage(`h-${n}`, [printerReport({ findings: [PAPER_END] })]));
      const tickets = TicketList.parse((await call('GET', '/api/tickets?status=all', flow.cookie)).json).tickets;
      const group = tickets.find((t) => t.status !== 'resolved')!.group;
      // resolve it, so the next report opens a new ticket (no reopen window)
      await call('POST', `/api/tickets/${tickets.find((t) => t.status !== 'resolved')!.id}/resolve`, flow.cookie, { note: 'done' });
      return group;
    };
    expect(await groupOfNewTicket(1)).toBe('scales');
    await call('PUT', '/api/groups/scales', admin, { title: TITLE, line: 'second', archived: true });
    expect(await groupOfNewTicket(2)).toBe('printers');
    await call('PUT', '/api/groups/printers', admin, { title: TITLE, line: 'second', archived: true });
    expect(await groupOfNewTicket(3)).toBe('helpdesk');
  });
});

import { ErrorBody, NoiseSettingsView, TicketDetail, TicketList, type TicketMove } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

// Moves through the real HTTP server on a real SQLite file: each one is on the timeline, in the
// detail's moves, counted, and refused with a stable code when it cannot be made.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));

const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);
const errorOf = (answer: { json: unknown }) => ErrorBody.parse(answer.json);

async function openTicket(): Promise<number> {
  await flow.agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
  const [ticket] = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
  return ticket!.id;
}

async function move(id: number, verb: string, body: unknown, cookie = flow.cookie): Promise<TicketDetail> {
  const answer = await call('POST', `/api/tickets/${id}/${verb}`, cookie, body);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return TicketDetail.parse(answer.json);
}

const later = (seconds: number) => flow.test.clock.advanceSeconds(seconds);

describe('ticket moves', () => {
  it('take, assign, reassign, escalate to the third line and to a vendor, wait and resume: each on the timeline, in moves, counted', async () => {
    const id = await openTicket();
    const opened = flow.test.clock.now().toISOString();
    later(60);
    const taken = await move(id, 'take', undefined);
    expect(taken).toMatchObject({ status: 'in_progress', assignee: 'eve', reactedAt: new Date(Date.parse(opened) + 60_000).toISOString() });
    later(60);
    const assigned = await move(id, 'assign', { username: 'admin', reason: 'knows this printer' });
    expect(assigned).toMatchObject({ assignee: 'admin', status: 'in_progress', reactedAt: taken.reactedAt });
    const reassigned = await move(id, 'reassign', { group: 'hardware', reason: 'the cutter is broken' });
    expect(reassigned).toMatchObject({ group: 'hardware', assignee: null, status: 'open', reassignments: 1, escalations: 0 });
    const third = await move(id, 'escalate', { to: 'third_line', reason: 'needs a firmware expert' });
    expect(third).toMatchObject({ group: 'third_line', assignee: null, reassignments: 1, escalations: 1, waitingOn: null });
    await move(id, 'take', undefined);
    later(120);
    const vendorDueAt = '2026-11-25T10:00:00.000Z';
    const vendor = await move(id, 'escalate', { to: 'vendor', vendor: 'Epson', reference: 'EP-77', vendorDueAt, reason: 'under warranty' });
    const escalatedAt = flow.test.clock.now().toISOString();
    expect(vendor).toMatchObject({
      group: 'vendor', assignee: 'eve', escalations: 2, waitingOn: 'vendor', pausedAt: escalatedAt, vendorDueAt,
      vendor: { vendor: 'Epson', reference: 'EP-77', escalatedAt, escalatedBy: 'eve', dueAt: vendorDueAt },
    });
    later(30 * 60);
    const resumed = await move(id, 'resume', { reason: 'the vendor sent a part' });
    expect(resumed).toMatchObject({ waitingOn: null, pausedAt: null, vendor: { vendor: 'Epson' } });
    const waiting = await move(id, 'wait', { on: 'store', reason: 'the store is closed for stocktaking' });
    expect(waiting).toMatchObject({ waitingOn: 'store', pausedAt: flow.test.clock.now().toISOString() });
    const back = await move(id, 'resume', {});

    expect(back.timeline.map((e) => e.kind)).toEqual(['opened', 'taken', 'assigned', 'reassigned', 'escalated', 'taken', 'escalated', 'resumed', 'waiting', 'resumed']);
    const text = (kind: string, nth = 0) => back.timeline.filter((e) => e.kind === kind)[nth]!.text;
    expect(text('assigned')).toBe('eve → admin: knows this printer');
    expect(text('reassigned')).toBe('printers → hardware: the cutter is broken');
    expect(text('escalated', 1)).toBe('third_line → Epson (EP-77): under warranty');
    expect(text('resumed')).toBe('the vendor sent a part (waited on the vendor 30 min)');
    expect(text('waiting')).toBe('store: the store is closed for stocktaking');
    expect(back.timeline.slice(1).every((e) => e.actor === 'eve')).toBe(true);
    const moves = back.moves.map((m: TicketMove) => [m.kind, m.fromGroup, m.toGroup, m.fromAssignee, m.toAssignee, m.reason]);
    expect(moves).toEqual([
      ['take', 'printers', 'printers', null, 'eve', ''],
      ['assign', 'printers', 'printers', 'eve', 'admin', 'knows this printer'],
      ['reassign', 'printers', 'hardware', 'admin', null, 'the cutter is broken'],
      ['escalate_third_line', 'hardware', 'third_line', null, null, 'needs a firmware expert'],
      ['take', 'third_line', 'third_line', null, 'eve', ''],
      ['escalate_vendor', 'third_line', 'vendor', 'eve', 'eve', 'under warranty'],
      ['resume', 'vendor', 'vendor', 'eve', 'eve', 'the vendor sent a part'],
      ['wait', 'vendor', 'vendor', 'eve', 'eve', 'the store is closed for stocktaking'],
      ['resume', 'vendor', 'vendor', 'eve', 'eve', ''],
    ]);
    // the counters are on the queue too
    const [summary] = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
    expect(summary).toMatchObject({ reassignments: 1, escalations: 2, reactedAt: taken.reactedAt });
  });

  it('a resolved ticket no longer waits: resolving clears the pause', async () => {
    const id = await openTicket();
    await move(id, 'wait', { on: 'vendor', reason: 'a spare part is on its way' });
    const resolved = TicketDetail.parse((await call('POST', `/api/tickets/${id}/resolve`, flow.cookie, { note: 'part fitted' })).json);
    expect(resolved).toMatchObject({ status: 'resolved', waitingOn: null, pausedAt: null });
  });

  it('a note is the first reaction when it comes first; a resolution when nothing came before', async () => {
    const id = await openTicket();
    later(90);
    await call('POST', `/api/tickets/${id}/notes`, flow.cookie, { text: 'calling the store' });
    const reacted = flow.test.clock.now().toISOString();
    later(90);
    expect(await move(id, 'take', undefined)).toMatchObject({ reactedAt: reacted });
    await call('POST', `/api/tickets/${id}/resolve`, flow.cookie, { note: 'paper loaded' });
    // The same fault later makes a new ticket, not the resolved one reopened (reopen window 0 days).
    const admin = await login(flow.test.server.url, ADMIN);
    const noise = NoiseSettingsView.parse((await call('GET', '/api/settings/noise', admin)).json).settings;
    await call('PUT', '/api/settings/noise', admin, { ...noise, reopenDays: 0 });
    later(3600);
    await flow.agent.request(healthMessage('h-2', [printerReport({ findings: [PAPER_END] })]));
    const second = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets[0]!;
    expect(second.id).not.toBe(id);
    expect(second.reactedAt).toBeNull();
    const resolved = TicketDetail.parse((await call('POST', `/api/tickets/${second.id}/resolve`, flow.cookie, { note: 'again' })).json);
    expect(resolved.reactedAt).toBe(flow.test.clock.now().toISOString());
  });

  it('refuses what cannot be done with a stable code, and changes nothing', async () => {
    const id = await openTicket();
    const admin = await login(flow.test.server.url, ADMIN);
    await call('PUT', '/api/groups/scales', admin, { title: { ru: 'Весы', en: 'Scales' }, line: 'second', archived: true });
    const refused = async (verb: string, body: unknown, status: number, code: string, path?: string) => {
      const answer = await call('POST', `/api/tickets/${id}/${verb}`, flow.cookie, body);
      expect([verb, answer.status]).toEqual([verb, status]);
      expect(errorOf(answer)).toMatchObject({ code, ...(path ? { issues: [{ path }] } : {}) });
    };
    await refused('reassign', { group: 'nowhere', reason: 'try' }, 400, 'bad_request');
    await refused('reassign', { group: 'scales', reason: 'try' }, 409, 'conflict');
    await refused('reassign', { group: 'printers', reason: 'same group' }, 409, 'conflict');
    await refused('reassign', { group: 'hardware', reason: 'no' }, 400, 'bad_request', 'reason');
    await refused('reassign', { group: 'Hardware!', reason: 'bad id' }, 400, 'bad_request', 'group');
    await refused('assign', { username: 'nobody', reason: 'who?' }, 400, 'bad_request');
    await refused('assign', { reason: 'whom?' }, 400, 'bad_request', 'username');
    await refused('escalate', { to: 'vendor', reason: 'which vendor?' }, 400, 'bad_request', 'vendor');
    await refused('escalate', { to: 'moon', reason: 'far away' }, 400, 'bad_request', 'to');
    await refused('escalate', { to: 'vendor', vendor: 'ATOL', reason: 'late', vendorDueAt: 'tomorrow' }, 400, 'bad_request', 'vendorDueAt');
    await refused('wait', { on: 'cashier', reason: 'not a party' }, 400, 'bad_request', 'on');
    await refused('resume', { reason: 'not waiting' }, 409, 'conflict');
    await move(id, 'wait', { on: 'store', reason: 'store closed' });
    await refused('wait', { on: 'vendor', reason: 'twice' }, 409, 'conflict');
    const vendorless = await call('PUT', `/api/tickets/${id}/vendor`, flow.cookie, { reference: 'X-1' });
    expect([vendorless.status, errorOf(vendorless).code]).toEqual([409, 'conflict']);
    await call('POST', `/api/tickets/${id}/resolve`, flow.cookie, { note: 'fixed' });
    await refused('reassign', { group: 'hardware', reason: 'too late' }, 409, 'conflict');
    await refused('escalate', { to: 'third_line', reason: 'too late' }, 409, 'conflict');
    const missing = await call('POST', '/api/tickets/999/assign', flow.cookie, { username: 'eve', reason: 'ghost' });
    expect([missing.status, errorOf(missing).code]).toEqual([404, 'not_found']);

    const detail = TicketDetail.parse((await call('GET', `/api/tickets/${id}`, flow.cookie)).json);
    expect(detail).toMatchObject({ group: 'printers', reassignments: 0, escalations: 0 });
    expect(detail.moves.map((m) => m.kind)).toEqual(['wait']);
    expect(detail.timeline.map((e) => e.kind)).toEqual(['opened', 'waiting', 'resolved']);
  });

  it('refuses an escalation to the third line when no third-line group takes tickets', async () => {
    const id = await openTicket();
    const admin = await login(flow.test.server.url, ADMIN);
    await call('PUT', '/api/groups/third_line', admin, { title: { ru: 'Третья', en: 'Third' }, line: 'third', archived: true });
    const answer = await call('POST', `/api/tickets/${id}/escalate`, flow.cookie, { to: 'third_line', reason: 'deep problem' });
    expect([answer.status, errorOf(answer).code]).toEqual([400, 'bad_request']);
    await call('PUT', '/api/groups/deep', admin, { title: { ru: 'Глубокая', en: 'Deep' }, line: 'third' });
    expect(await move(id, 'escalate', { to: 'third_line', reason: 'deep problem' })).toMatchObject({ group: 'deep', escalations: 1 });
  });
});

describe('PUT /api/tickets/:id/vendor', () => {
  it('changes the vendor\'s case number and deadline, with a vendor_updated event', async () => {
    const id = await openTicket();
    await move(id, 'escalate', { to: 'vendor', vendor: 'ATOL', reason: 'fiscal drive fault' });
    const answer = await call('PUT', `/api/tickets/${id}/vendor`, flow.cookie, { reference: 'AT-1', dueAt: '2026-11-24T12:00:00.000Z' });
    expect(answer.status).toBe(200);
    const detail = TicketDetail.parse(answer.json);
    expect(detail).toMatchObject({ vendorDueAt: '2026-11-24T12:00:00.000Z', vendor: { vendor: 'ATOL', reference: 'AT-1', dueAt: '2026-11-24T12:00:00.000Z' } });
    expect(detail.timeline.at(-1)).toMatchObject({ kind: 'vendor_updated', actor: 'eve', text: 'ATOL: case AT-1, due 2026-11-24T12:00:00.000Z' });
    const cleared = TicketDetail.parse((await call('PUT', `/api/tickets/${id}/vendor`, flow.cookie, { dueAt: null })).json);
    expect(cleared).toMatchObject({ vendorDueAt: null, vendor: { reference: 'AT-1', dueAt: null } });
    expect(errorOf(await call('PUT', `/api/tickets/${id}/vendor`, flow.cookie, {})).code).toBe('bad_request');
    expect(errorOf(await call('PUT', `/api/tickets/${id}/vendor`, flow.cookie, { dueAt: 'soon' }))).toMatchObject({ code: 'bad_request', issues: [{ path: 'dueAt' }] });
  });
});

// Remote actions through a real console (SQLite file, HTTP, the agent WebSocket on loopback): an
// action for an offline register waits and goes out exactly once after its hello; an expired one
// never goes out; a store's switched-off verb is refused; one row per action whatever the re-sends.
import { AuditPage, PROTOCOL_VERSION, TicketActions, TicketDetail, TicketList, type Command, type ServerMessage } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, eventually, login, registerFlowForEachTest, TestAgent, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';

let flow: RegisterFlow;
registerFlowForEachTest((f) => (flow = f));

const isCommand = (m: ServerMessage): m is Command => m.type === 'command';
const commandsOf = (agent: TestAgent) => agent.messages.filter(isCommand).map((m) => m.payload);

async function api(method: string, route: string, body?: unknown, cookie = flow.cookie) {
  return apiCall(flow.test.server.url, method, route, cookie, body);
}

async function printerTicket(): Promise<number> {
  await flow.agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
  const { json } = await api('GET', '/api/tickets?status=all');
  return TicketList.parse(json).tickets[0]!.id;
}

async function ticketActions(ticketId: number): Promise<TicketActions> {
  return TicketActions.parse((await api('GET', `/api/tickets/${ticketId}/actions`)).json);
}

async function goOffline(ticketId: number): Promise<void> {
  flow.agent.close();
  await flow.agent.closed;
  await eventually(() => ticketActions(ticketId), (seen) => !seen.registerConnected);
}

/** Reconnects the register and says hello, as the agent does after every connect. */
async function reconnect(helloId: string): Promise<TestAgent> {
  const agent = await TestAgent.connect(flow.test.server.url, flow.credential);
  flow.agent = agent; // closed by the flow's afterEach
  expect(await agent.request(helloMessage(helloId))).toEqual({ ackOf: helloId, ok: true });
  return agent;
}

/**
 * Asks a register-wide action and waits for its command: whatever the hello dispatched was written
 * to the socket before it (the hello's dispatch claims its rows in a write queued ahead of this
 * request's), so the commands seen by then are all the hello sent.
 */
async function barrier(agent: TestAgent): Promise<string[]> {
  const asked = await api('POST', `/api/registers/${agentId()}/actions`, { verb: 'discover' });
  expect(asked.status).toBe(202);
  await agent.waitFor((m) => isCommand(m) && m.payload.commandId === asked.json.commandId);
  return commandsOf(agent).map((c) => c.commandId).filter((id) => id !== asked.json.commandId);
}

/** The register's agent id: its credential is `<agentId>.<secret>`. */
const agentId = (): string => flow.credential.slice(0, flow.credential.indexOf('.'));

async function timelineKinds(ticketId: number): Promise<string[]> {
  const detail = TicketDetail.parse((await api('GET', `/api/tickets/${ticketId}`)).json);
  return detail.timeline.map((event) => event.kind).filter((kind) => kind.startsWith('action_'));
}

async function audit(query = ''): Promise<AuditPage> {
  return AuditPage.parse((await api('GET', `/api/audit${query}`)).json);
}

describe('an action for an offline register', () => {
  it('waits queued, goes out once after the hello with its expiry, runs, and is not sent again after the next reconnection', async () => {
    const ticketId = await printerTicket();
    await goOffline(ticketId);
    const asked = await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'probe_now' });
    expect(asked.status).toBe(202);
    expect(asked.json.action).toMatchObject({ state: 'queued', sendCount: 0, requestedBy: 'eve', ticketId, verb: 'probe_now' });
    const commandId: string = asked.json.commandId;

    const agent = await reconnect('hello-2');
    const command = await agent.waitFor(isCommand);
    expect(command.payload).toEqual({ commandId, verb: 'probe_now', ticketId, expiresAt: '2026-11-22T14:00:00.000Z' });
    expect(await agent.request({ v: PROTOCOL_VERSION, type: 'command_started', id: 'st-1', ts: '2026-11-22T10:00:01.000Z', payload: { commandId, startedAt: '2026-11-22T10:00:01.000Z' } }))
      .toEqual({ ackOf: 'st-1', ok: true });
    expect((await ticketActions(ticketId)).actions[0]).toMatchObject({ id: commandId, state: 'running', startedAt: '2026-11-22T10:00:01.000Z' });
    await agent.request({ v: PROTOCOL_VERSION, type: 'command_result', id: 'cr-1', ts: '2026-11-22T10:00:02.000Z', payload: { commandId, ok: true, devices: [printerReport({ findings: [PAPER_END] })] } });
    expect((await ticketActions(ticketId)).actions[0]).toMatchObject({ id: commandId, state: 'done', resultCode: 'ok', sendCount: 1 });
    expect(await timelineKinds(ticketId)).toEqual(['action_queued', 'action_sent', 'action_running', 'action_done']);

    await goOffline(ticketId);
    expect(await barrier(await reconnect('hello-3'))).toEqual([]);
    expect((await audit()).actions.filter((a) => a.id === commandId)).toHaveLength(1);
  });

  it('re-sends a sent action that got no answer with the same command id after a reconnection, never as a second row', async () => {
    const ticketId = await printerTicket();
    const asked = await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'collect_bundle' });
    expect(asked.json.action).toMatchObject({ state: 'sent', sendCount: 1 });
    // Sent at once to a connected register: no expiry on the wire (the agent's guard is for actions that waited).
    expect((await flow.agent.waitFor(isCommand)).payload).toEqual({ commandId: asked.json.commandId, verb: 'collect_bundle', ticketId, requestedBy: 'eve' });

    await goOffline(ticketId);
    const agent = await reconnect('hello-2');
    expect((await agent.waitFor(isCommand)).payload).toMatchObject({ commandId: asked.json.commandId, expiresAt: expect.any(String) });
    const rows = (await audit()).actions.filter((a) => a.verb === 'collect_bundle');
    expect(rows).toEqual([expect.objectContaining({ id: asked.json.commandId, state: 'sent', sendCount: 2 })]);
  });

  it('never runs once expired: the sweep marks it, and a hello after its expiry does not send it', async () => {
    const ticketId = await printerTicket();
    await goOffline(ticketId);
    const swept = (await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service' })).json.commandId as string;
    flow.test.clock.advanceSeconds(60 * 60);
    const unswept = (await api('POST', `/api/registers/${agentId()}/actions`, { verb: 'probe_now' })).json.commandId as string;
    flow.test.clock.advanceSeconds(3 * 60 * 60 + 1); // the first is past its 4 h, the second not yet
    expect(await flow.test.server.sweepExpiredActions()).toBe(1);
    expect((await ticketActions(ticketId)).actions[0]).toMatchObject({ id: swept, state: 'expired', resultCode: 'expired' });
    flow.test.clock.advanceSeconds(60 * 60); // now the second one is past its expiry too, not swept yet

    const agent = await reconnect('hello-2');
    expect(await barrier(agent)).toEqual([]);
    expect((await audit(`?state=expired`)).actions.map((a) => a.id).sort()).toEqual([swept, unswept].sort());
    expect(await timelineKinds(ticketId)).toEqual(['action_queued', 'action_expired']);
  });

  it('fails a started action with no result 30 min after sending, frees the same action again, and still takes a late result', async () => {
    const ticketId = await printerTicket();
    const asked = await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service' });
    const commandId: string = asked.json.commandId;
    await flow.agent.waitFor(isCommand);
    await flow.agent.request({ v: PROTOCOL_VERSION, type: 'command_started', id: 'st-1', ts: '2026-11-22T10:00:01.000Z', payload: { commandId, startedAt: '2026-11-22T10:00:01.000Z' } });
    flow.test.clock.advanceSeconds(29 * 60);
    expect(await flow.test.server.sweepExpiredActions()).toBe(0);
    expect((await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service' })).status).toBe(409);

    flow.test.clock.advanceSeconds(60);
    expect(await flow.test.server.sweepExpiredActions()).toBe(1);
    expect((await ticketActions(ticketId)).actions[0]).toMatchObject({ id: commandId, state: 'failed', resultCode: 'no_result', resultMessage: expect.stringContaining('no result came within 30 min') });
    expect(await timelineKinds(ticketId)).toEqual(['action_sent', 'action_running', 'action_failed']);
    const again = await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service' });
    expect(again.status).toBe(202);

    // The register was only slow: what it reports is what happened.
    expect(await flow.agent.request({ v: PROTOCOL_VERSION, type: 'command_result', id: 'cr-1', ts: '2026-11-22T10:31:00.000Z', payload: { commandId, ok: true, devices: [] } }))
      .toEqual({ ackOf: 'cr-1', ok: true });
    expect((await audit()).actions.find((a) => a.id === commandId)).toMatchObject({ state: 'done' });
  });

  it('lets an engineer cancel it while queued, and not after', async () => {
    const ticketId = await printerTicket();
    await goOffline(ticketId);
    const commandId = (await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'test_print' })).json.commandId as string;
    expect((await api('POST', `/api/actions/${commandId}/cancel`)).json).toMatchObject({ state: 'cancelled', cancelledBy: 'eve', deviceId: 'printer-1' });
    expect(await api('POST', `/api/actions/${commandId}/cancel`)).toMatchObject({ status: 409, json: { code: 'conflict' } });
    expect(await barrier(await reconnect('hello-2'))).toEqual([]);
    expect(await timelineKinds(ticketId)).toEqual(['action_queued', 'action_cancelled']);
  });
});

describe('actions an admin turned off in a store', () => {
  it('refuses them with 409 disabled (new and existing routes), fails a queued one instead of sending it, and only admins switch', async () => {
    const ticketId = await printerTicket();
    const admin = await login(flow.test.server.url, ADMIN);
    expect((await api('PUT', '/api/actions/stores/store-7', { disabled: ['restart_print_service'] })).status).toBe(403);
    await goOffline(ticketId);
    const queued = (await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'probe_now' })).json.commandId as string;
    const put = await api('PUT', '/api/actions/stores/store-7', { disabled: ['restart_print_service', 'probe_now'] }, admin);
    expect(put).toMatchObject({ status: 200, json: { storeId: 'store-7', disabled: ['probe_now', 'restart_print_service'], updatedBy: 'admin' } });

    expect(await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service' })).toMatchObject({ status: 409, json: { code: 'disabled' } });
    const agent = await reconnect('hello-2');
    expect(await barrier(agent)).toEqual([]);
    expect((await ticketActions(ticketId)).actions.find((a) => a.id === queued)).toMatchObject({ state: 'failed', resultCode: 'disabled' });
    expect(await api('POST', `/api/registers/${agentId()}/probe`, {})).toMatchObject({ status: 409, json: { code: 'disabled' } });
    expect((await ticketActions(ticketId)).verbs.filter((v) => !v.available)).toEqual([
      { verb: 'probe_now', available: false, reason: 'disabled' },
      { verb: 'discover', available: false, reason: 'pending' }, // the barrier's, still unanswered
      { verb: 'restart_print_service', available: false, reason: 'disabled' },
    ]);
  });
});

describe('checks before queueing', () => {
  it('refuses parameters a verb does not take, a device that is not there, and the same action twice at once', async () => {
    const ticketId = await printerTicket();
    expect(await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'restart_print_service', deviceId: 'printer-1' })).toMatchObject({ status: 400, json: { code: 'bad_request' } });
    expect(await api('POST', `/api/registers/${agentId()}/actions`, { verb: 'test_print' })).toMatchObject({ status: 400, json: { message: /receipt printer/ } });
    expect(await api('POST', `/api/registers/${agentId()}/actions`, { verb: 'probe_now', deviceId: 'nope' })).toMatchObject({ status: 400, json: { message: /no device nope/ } });
    expect(await api('POST', `/api/registers/${agentId()}/actions`, { verb: 'reboot' })).toMatchObject({ status: 400 });
    expect(await api('POST', '/api/registers/no-such/actions', { verb: 'discover' })).toMatchObject({ status: 404 });
    expect((await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'test_print' })).status).toBe(202);
    expect(await api('POST', `/api/tickets/${ticketId}/actions`, { verb: 'test_print' })).toMatchObject({ status: 409, json: { code: 'conflict' } });
    expect((await ticketActions(ticketId)).verbs.find((v) => v.verb === 'test_print')).toEqual({ verb: 'test_print', available: false, reason: 'pending' });
  });

  it('answers command_started for a command never sent to this register with not_found', async () => {
    expect(await flow.agent.request({ v: PROTOCOL_VERSION, type: 'command_started', id: 'st-x', ts: '2026-11-22T10:00:01.000Z', payload: { commandId: 'cmd-unknown', startedAt: '2026-11-22T10:00:01.000Z' } }))
      .toMatchObject({ ackOf: 'st-x', ok: false, code: 'not_found' });
  });
});

describe('the audit log', () => {
  it('lists every action with who, what and its state, filtered and paged newest first', async () => {
    const ticketId = await printerTicket();
    const ids: string[] = [];
    for (const verb of ['probe_now', 'discover', 'restart_print_service'] as const) {
      ids.push((await api('POST', `/api/tickets/${ticketId}/actions`, { verb })).json.commandId as string);
      flow.test.clock.advanceSeconds(60);
    }
    const all = await audit();
    expect(all.actions.map((a) => a.id)).toEqual([...ids].reverse());
    expect(all.actions[0]).toMatchObject({ storeId: 'store-7', registerId: 'till-2', requestedBy: 'eve', verb: 'restart_print_service', state: 'sent' });
    expect((await audit('?verb=discover')).actions.map((a) => a.id)).toEqual([ids[1]]);
    expect((await audit('?engineer=admin')).actions).toEqual([]);
    expect((await audit('?storeId=store-8')).actions).toEqual([]);
    expect((await audit('?storeId=store-7&registerId=till-2')).actions).toHaveLength(3);
    expect((await audit('?registerId=till-9')).actions).toEqual([]);
    expect((await audit(`?from=2026-11-22T10:01:00.000Z&to=2026-11-22T10:02:00.000Z`)).actions.map((a) => a.id)).toEqual([ids[1]]);
    const first = await audit('?limit=2');
    expect(first.actions.map((a) => a.id)).toEqual([ids[2], ids[1]]);
    const second = await audit(`?limit=2&after=${encodeURIComponent(first.nextCursor!)}`);
    expect(second).toEqual({ actions: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await api('GET', '/api/audit?after=garbage')).status).toBe(400);
  });
});

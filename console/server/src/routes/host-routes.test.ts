import { ErrorBody, ReferenceDetail, ReferenceList, RegisterHost, TicketDetail, TicketList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { hostReport, hostReports, referenceSpec, registerFacts } from '../host/host-fixtures';
import { ADMIN, apiCall, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage } from '../test-support/device-reports';

// Host facts and reference images through the real HTTP server, a real agent WebSocket and a real
// SQLite file: what an agent's host reports show, how admins keep references, and the drift ticket
// a changed driver version opens.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));
let seq = 0;

async function agentId(): Promise<string> {
  const { json } = await apiCall(flow.test.server.url, 'GET', '/api/registers', flow.cookie);
  return json.registers[0].agentId as string;
}

async function sendHost(change: (facts: ReturnType<typeof registerFacts>) => void = () => undefined): Promise<void> {
  const facts = registerFacts();
  change(facts);
  expect(await flow.agent.request(healthMessage(`host-${++seq}`, hostReports(facts, flow.test.clock.now().toISOString())))).toMatchObject({ ok: true });
}

const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);

describe('GET /api/registers/:agentId/host', () => {
  it('answers RegisterHost with the latest section of each probe; 404 for an unknown register', async () => {
    const id = await agentId();
    expect(RegisterHost.parse((await call('GET', `/api/registers/${id}/host`, flow.cookie)).json)).toMatchObject({ agentId: id, os: null, drift: null });
    await sendHost();
    const { status, json } = await call('GET', `/api/registers/${id}/host`, flow.cookie);
    expect(status).toBe(200);
    const host = RegisterHost.parse(json);
    expect(host.pos?.facts.apps[0]?.name).toBe('Frontol 6');
    expect(host.print).toMatchObject({ driver: 'host-print', reportedAt: '2026-11-22T10:00:00.000Z' });
    expect(host.events).toBeNull();
    const missing = await call('GET', '/api/registers/nobody/host', flow.cookie);
    expect(missing.status).toBe(404);
    expect(ErrorBody.parse(missing.json).code).toBe('not_found');
  });
});

describe('/api/references', () => {
  it('lets admins promote, edit and delete a reference, and engineers only read', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const id = await agentId();
    const scope = { machineModel: 'Jazz 2', storeIds: [] };

    expect((await call('POST', '/api/references/from-register', admin, { agentId: id, name: 'Jazz 2', scope })).status).toBe(409); // no host facts yet
    await sendHost();
    expect((await call('POST', '/api/references/from-register', flow.cookie, { agentId: id, name: 'Jazz 2', scope })).status).toBe(403);
    const promoted = await call('POST', '/api/references/from-register', admin, { agentId: id, name: 'Jazz 2', scope });
    expect(promoted.status).toBe(201);
    const reference = ReferenceDetail.parse(promoted.json);
    expect(reference).toMatchObject({ name: 'Jazz 2', createdBy: 'admin', matching: 1, registers: [{ agentId: id, storeId: 'store-7', registerId: 'till-2', differences: [] }] });
    expect(reference.spec.drivers).toContainEqual({ name: 'EPSON TM-T20II Receipt5', version: '5.12.0.0' });

    const list = ReferenceList.parse((await call('GET', '/api/references', flow.cookie)).json);
    expect(list.references).toMatchObject([{ id: reference.id, matching: 1, differing: 0, unknown: 0 }]);
    expect(ReferenceDetail.parse((await call('GET', `/api/references/${reference.id}`, flow.cookie)).json).id).toBe(reference.id);

    const edit = { name: 'Jazz 2 (new driver)', scope, spec: { ...referenceSpec(), drivers: [{ name: 'EPSON TM-T20II Receipt5', version: '5.13.0.0' }] } };
    expect((await call('PUT', `/api/references/${reference.id}`, flow.cookie, edit)).status).toBe(403);
    const edited = await call('PUT', `/api/references/${reference.id}`, admin, edit);
    expect(ReferenceDetail.parse(edited.json)).toMatchObject({ name: 'Jazz 2 (new driver)', matching: 0, differing: 1 });

    expect((await call('DELETE', `/api/references/${reference.id}`, flow.cookie)).status).toBe(403);
    expect(await call('DELETE', `/api/references/${reference.id}`, admin)).toEqual({ status: 200, json: { ok: true } });
    expect((await call('GET', `/api/references/${reference.id}`, flow.cookie)).status).toBe(404);
    expect((await call('DELETE', `/api/references/${reference.id}`, admin)).status).toBe(404);
    expect(RegisterHost.parse((await call('GET', `/api/registers/${id}/host`, flow.cookie)).json).drift).toBeNull();
  });

  it('refuses a bad reference with 400 and the field at fault', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    const noScope = await call('POST', '/api/references', admin, { name: 'x', scope: { storeIds: [] }, spec: {} });
    expect(noScope.status).toBe(400);
    const badHash = await call('POST', '/api/references', admin, { name: 'x', scope: { storeIds: ['store-7'] }, spec: { configFiles: [{ name: 'a', sha256: 'nope' }] } });
    expect(ErrorBody.parse(badHash.json)).toMatchObject({ code: 'bad_request', issues: [{ path: 'spec.configFiles.0.sha256' }] });
    expect((await call('GET', '/api/references/abc', flow.cookie)).status).toBe(400);
  });
});

describe('a changed driver version', () => {
  it('opens the register\'s drift ticket, routed to POS software, with the difference in its detail', async () => {
    const admin = await login(flow.test.server.url, ADMIN);
    await sendHost();
    const created = await call('POST', '/api/references', admin, { name: 'Store 7', scope: { storeIds: ['store-7'] }, spec: referenceSpec() });
    expect(created.status).toBe(201);

    await sendHost((facts) => void (facts.print.drivers[0]!.version = '5.13.0.0'));
    const tickets = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
    expect(tickets).toMatchObject([{ code: 'host.drift_from_reference', deviceId: 'reference', group: 'pos_software', status: 'open' }]);
    const detail = TicketDetail.parse((await call('GET', `/api/tickets/${tickets[0]!.id}`, flow.cookie)).json);
    expect(detail.detail).toContain('driver version: EPSON TM-T20II Receipt5 (expected 5.12.0.0, actual 5.13.0.0)');

    await sendHost((facts) => {
      facts.print.drivers[0]!.version = '5.13.0.0';
      facts.pos.configFiles[0]!.sha256 = 'c'.repeat(64);
    });
    const after = TicketDetail.parse((await call('GET', `/api/tickets/${tickets[0]!.id}`, flow.cookie)).json);
    expect(after.timeline.map((entry) => entry.kind)).toEqual(['opened', 'drift_changed']);
    const host = RegisterHost.parse((await call('GET', `/api/registers/${await agentId()}/host`, flow.cookie)).json);
    expect(host.drift?.differences.map((difference) => difference.kind)).toEqual(['driver_version', 'config_changed']);
  });

  it('honours a host finding\'s severity when its ticket opens', async () => {
    const stopped = { code: 'host.print_service_stopped' as const, detail: 'Spooler: stopped, start mode disabled', severity: 'critical' as const };
    expect(await flow.agent.request(healthMessage('h-sev', [hostReport(registerFacts().print, { findings: [stopped] })]))).toMatchObject({ ok: true });
    const tickets = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
    expect(tickets).toMatchObject([{ code: 'host.print_service_stopped', deviceId: 'host-print', severity: 'critical', priority: 1 }]);
  });
});

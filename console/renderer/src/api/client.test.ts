import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_FILTER } from '../logic/filters';
import { DEFAULT_FLEET_FILTER } from '../logic/fleet-filter';
import { makeDetail, makeTicket } from '../testing/fixtures';
import { makeReferenceDetail, makeReferenceSummary, makeRegisterHost } from '../testing/host-fixtures';
import { ApiClient, ApiError, type FetchLike } from './client';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function client(reply: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const fetch = vi.fn<FetchLike>(async (url, init) => reply(url, init));
  const onUnauthorized = vi.fn();
  return { api: new ApiClient({ fetch, onUnauthorized }), fetch, onUnauthorized };
}

describe('ApiClient', () => {
  it('validates responses with the shared schemas', async () => {
    const { api, fetch } = client(() => json(200, { tickets: [makeTicket(1)], total: 1, nextCursor: null }));
    const list = await api.tickets({ ...DEFAULT_FILTER, group: 'printers', mine: true });
    expect(list.tickets[0]!.id).toBe(1);
    expect(fetch.mock.calls[0]![0]).toBe('/api/tickets?status=active&group=printers&mine=1');
  });

  it('asks for pages of tickets and registers with the cursor of the previous one', async () => {
    const { api, fetch } = client((url) => json(200, url.startsWith('/api/tickets') ? { tickets: [], total: null, nextCursor: null } : { registers: [], total: null, nextCursor: null }));
    await api.tickets(DEFAULT_FILTER, { after: '1~2026-03-02T09:00:00.000Z~4', limit: 500 });
    await api.registers({ ...DEFAULT_FLEET_FILTER, connected: 'silent' }, { after: 'msk-014/pos-2', limit: 200 });
    expect(fetch.mock.calls.map((call) => call[0])).toEqual([
      '/api/tickets?status=active&myGroups=1&after=1%7E2026-03-02T09%3A00%3A00.000Z%7E4&limit=500',
      '/api/registers?connected=0&after=msk-014%2Fpos-2&limit=200',
    ]);
  });

  it('posts each move with its reason and reads the ticket it answers; groups are validated too', async () => {
    const { api, fetch } = client((url) => json(200, url === '/api/groups' ? { groups: [{ id: 'printers', title: { ru: 'Принтеры', en: 'Printers' }, line: 'second', archived: false, members: ['ivanov'] }] } : makeDetail(3)));
    await api.assign(3, { username: 'petrov', reason: 'knows ATOL' });
    await api.reassign(3, { group: 'fiscal', reason: 'a fiscal fault' });
    await api.escalate(3, { to: 'vendor', vendor: 'ATOL', reference: 'C-1', reason: 'firmware' });
    await api.wait(3, { on: 'store', reason: 'the manager is away' });
    await api.resume(3, { reason: '' });
    expect((await api.groups()).groups[0]!.members).toEqual(['ivanov']);
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual([
      ['/api/tickets/3/assign', 'POST', '{"username":"petrov","reason":"knows ATOL"}'],
      ['/api/tickets/3/reassign', 'POST', '{"group":"fiscal","reason":"a fiscal fault"}'],
      ['/api/tickets/3/escalate', 'POST', '{"to":"vendor","vendor":"ATOL","reference":"C-1","reason":"firmware"}'],
      ['/api/tickets/3/wait', 'POST', '{"on":"store","reason":"the manager is away"}'],
      ['/api/tickets/3/resume', 'POST', '{"reason":""}'],
      ['/api/groups', 'GET', undefined],
    ]);
    expect(api.vendorPackUrl(3)).toBe('/api/tickets/3/vendor-pack');
    expect(api.vendorPackHtmlUrl(3)).toBe('/api/tickets/3/vendor-pack.html');
    await expect(client(() => json(200, { groups: [{ id: 'Bad Id' }] })).api.groups()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('refuses a response that does not match', async () => {
    const { api } = client(() => json(200, { tickets: [{ ...makeTicket(1), priority: 'high' }], total: 1, nextCursor: null }));
    await expect(api.tickets(DEFAULT_FILTER)).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('maps error bodies and reports an expired session', async () => {
    const { api, onUnauthorized } = client(() => json(401, { ok: false, code: 'unauthorized', message: 'no session' }));
    await expect(api.ticket(5)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('carries Retry-After of a throttled (429) or busy (503) login', async () => {
    const reply = (status: number, code: string, retryAfter?: string) => () =>
      new Response(JSON.stringify({ ok: false, code, message: 'wait' }), { status, headers: { 'Content-Type': 'application/json', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) } });
    await expect(client(reply(429, 'rate_limited', '16')).api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ status: 429, code: 'rate_limited', retryAfterSec: 16 });
    await expect(client(reply(503, 'busy', '2')).api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ status: 503, code: 'busy', retryAfterSec: 2 });
    await expect(client(reply(503, 'busy', 'soon')).api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'busy', retryAfterSec: undefined });
    await expect(client(() => new Response('<html>', { status: 503 })).api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'busy' });
  });

  it('does not treat a failed login as an expired session', async () => {
    const { api, onUnauthorized } = client(() => json(401, { ok: false, code: 'unauthorized', message: 'bad credentials' }));
    const err = await api.login({ username: 'a', password: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('sends JSON bodies with the session cookie', async () => {
    const { api, fetch } = client(() => json(200, makeDetail(3)));
    await api.note(3, 'Позвонил в магазин');
    const init = fetch.mock.calls[0]![1]!;
    expect(fetch.mock.calls[0]![0]).toBe('/api/tickets/3/notes');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: JSON.stringify({ text: 'Позвонил в магазин' }) });
  });

  it('accepts 202 without a body for probe, and escapes the agent id', async () => {
    const { api, fetch } = client(() => new Response(null, { status: 202 }));
    await expect(api.probe('agent/../x')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]![0]).toBe('/api/registers/agent%2F..%2Fx/probe');
  });

  it('reports network failures as status 0', async () => {
    const { api } = client(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.registers()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('reads a register\'s host facts and the references with the shared schemas, and refuses a host reply that does not match', async () => {
    const { api, fetch } = client((url) =>
      json(200, url.endsWith('/host') ? makeRegisterHost() : url === '/api/references' ? { references: [makeReferenceSummary(3)] } : makeReferenceDetail(3)),
    );
    expect((await api.registerHost('agt/1')).drift!.differences).toHaveLength(3);
    expect((await api.references()).references[0]!.matching).toBe(12);
    expect((await api.reference(3)).registers).toHaveLength(3);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/registers/agt%2F1/host', '/api/references', '/api/references/3']);
    const broken = client(() => json(200, { ...makeRegisterHost(), clock: { facts: { section: 'clock', synced: 'yes' }, reportedAt: 'now', driver: 'host-clock' } }));
    await expect(broken.api.registerHost('agt-1')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('creates, changes, deletes and promotes references with the right verbs and bodies', async () => {
    const { api, fetch } = client((_url, init) => (init?.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, makeReferenceDetail(5))));
    const body = { name: 'x', scope: { machineModel: 'POS-M15', storeIds: [] }, spec: makeReferenceDetail(5).spec };
    expect((await api.createReference(body)).id).toBe(5);
    expect((await api.updateReference(5, body)).id).toBe(5);
    await expect(api.deleteReference(5)).resolves.toBeUndefined();
    await api.promoteRegister({ agentId: 'agt-1', name: 'y', scope: { storeIds: ['msk-014'] } });
    expect(fetch.mock.calls.map((c) => [c[1]?.method, c[0]])).toEqual([
      ['POST', '/api/references'],
      ['PUT', '/api/references/5'],
      ['DELETE', '/api/references/5'],
      ['POST', '/api/references/from-register'],
    ]);
    expect(JSON.parse(String(fetch.mock.calls[3]![1]!.body))).toEqual({ agentId: 'agt-1', name: 'y', scope: { storeIds: ['msk-014'] } });
  });
});

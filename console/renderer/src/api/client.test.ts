import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_FILTER } from '../logic/filters';
import { DEFAULT_FLEET_FILTER } from '../logic/fleet-filter';
import { makeDetail, makeTicket } from '../testing/fixtures';
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
      '/api/tickets?status=active&after=1%7E2026-03-02T09%3A00%3A00.000Z%7E4&limit=500',
      '/api/registers?connected=0&after=msk-014%2Fpos-2&limit=200',
    ]);
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
});

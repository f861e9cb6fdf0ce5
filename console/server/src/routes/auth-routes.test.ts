import { Me } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, consoleForEachTest, ENGINEER, login } from '../test-support/console-harness';

const fresh = consoleForEachTest();

describe('login and sessions', () => {
  it('logs in with the right password and sets a strict, httpOnly session cookie', async () => {
    const response = await fetch(`${fresh.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ENGINEER),
    });
    expect(response.status).toBe(200);
    expect(Me.parse(await response.json())).toEqual({ username: 'eve', displayName: 'Eve Engineer', role: 'engineer', groups: ['printers'] });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^tillscope_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//i);

    const cookie = setCookie.split(';')[0]!;
    expect((await apiCall(fresh.url, 'GET', '/api/auth/me', cookie)).json).toMatchObject({ username: 'eve' });
    expect((await apiCall(fresh.url, 'POST', '/api/auth/logout', cookie)).status).toBe(200);
    expect((await apiCall(fresh.url, 'GET', '/api/auth/me', cookie)).status).toBe(401);
  });

  it('refuses a wrong password or an unknown user with 401 and no cookie', async () => {
    for (const body of [{ ...ENGINEER, password: 'wrong-password' }, { username: 'mallory', password: 'whatever-1' }]) {
      const response = await fetch(`${fresh.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, code: 'unauthorized' });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('rejects an invalid body with 400 and the zod issues', async () => {
    const { status, json } = await apiCall(fresh.url, 'POST', '/api/auth/login', undefined, { username: '' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ ok: false, code: 'bad_request' });
    expect(json.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['password', 'username']);
    const malformed = await fetch(`${fresh.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(malformed.status).toBe(400);
  });
});

describe('access control', () => {
  it('requires a session on every API route except login, enroll and health', async () => {
    expect((await apiCall(fresh.url, 'GET', '/api/health')).json).toEqual({ ok: true });
    for (const [method, route] of [['GET', '/api/tickets'], ['GET', '/api/tickets/1'], ['POST', '/api/tickets/1/take'], ['GET', '/api/registers'], ['GET', '/api/auth/me'], ['POST', '/api/enrollment-tokens'], ['POST', '/api/users']] as const) {
      const { status, json } = await apiCall(fresh.url, method, route, undefined, method === 'POST' ? {} : undefined);
      expect({ route, status, code: json.code }).toEqual({ route, status: 401, code: 'unauthorized' });
    }
    expect((await apiCall(fresh.url, 'GET', '/api/tickets', 'tillscope_session=forged')).status).toBe(401);
  });

  it('keeps enrollment tokens and user creation for admins (403 for engineers)', async () => {
    const engineer = await login(fresh.url, ENGINEER);
    const admin = await login(fresh.url, ADMIN);
    expect((await apiCall(fresh.url, 'POST', '/api/enrollment-tokens', engineer, {})).json).toMatchObject({ code: 'forbidden' });
    expect((await apiCall(fresh.url, 'POST', '/api/users', engineer, {})).status).toBe(403);

    const token = await apiCall(fresh.url, 'POST', '/api/enrollment-tokens', admin, { maxUses: 2, ttlHours: 1, note: 'store 9' });
    expect(token.status).toBe(201);
    expect(token.json).toEqual({ token: expect.stringMatching(/^tse_/), expiresAt: '2026-11-22T11:00:00.000Z', maxUses: 2 });

    const created = await apiCall(fresh.url, 'POST', '/api/users', admin, { username: 'bob', password: 'bob-password-1', displayName: 'Bob', role: 'engineer', groups: ['fiscal'] });
    expect(created.status).toBe(201);
    expect(await login(fresh.url, { username: 'bob', password: 'bob-password-1' })).toMatch(/^tillscope_session=/);
    expect((await apiCall(fresh.url, 'POST', '/api/users', admin, { username: 'bob', password: 'bob-password-2', displayName: 'B', role: 'engineer' })).status).toBe(409);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const cookie = await login(fresh.url, ENGINEER);
    expect(await apiCall(fresh.url, 'GET', '/api/nope', cookie)).toEqual({ status: 404, json: expect.objectContaining({ code: 'not_found' }) });
  });
});

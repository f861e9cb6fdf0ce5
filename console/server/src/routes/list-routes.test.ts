import { ErrorBody, RegisterList, TicketList } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, enroll, ENGINEER, login, onSecondConnection, startTestConsole, type TestConsole } from '../test-support/console-harness';

// GET /api/tickets and GET /api/registers over HTTP: the query schemas (stable error codes,
// unknown fields dropped) and the page shape. The paging and filtering themselves are tested
// against an oracle in tickets/ticket-views.test.ts.

let test: TestConsole;
let cookie: string;
beforeAll(async () => {
  test = await startTestConsole();
  cookie = await login(test.server.url, ENGINEER);
  await enroll(test, 'msk-001', 'pos-1');
  await enroll(test, 'msk-001', 'pos-2');
  await enroll(test, 'msk-002', 'pos-1');
});
afterAll(() => test.dispose());

const get = (route: string) => apiCall(test.server.url, 'GET', route, cookie);

describe('GET /api/registers', () => {
  it('answers one page with the total and the cursor of the next one', async () => {
    const first = await get('/api/registers?limit=2');
    expect(first.status).toBe(200);
    const page = RegisterList.parse(first.json);
    expect(page.registers.map((r) => `${r.storeId}/${r.registerId}`)).toEqual(['msk-001/pos-1', 'msk-001/pos-2']);
    expect(page).toMatchObject({ total: 3, nextCursor: 'msk-001/pos-2' });
    const second = RegisterList.parse((await get(`/api/registers?limit=2&after=${encodeURIComponent(page.nextCursor!)}`)).json);
    expect(second.registers.map((r) => `${r.storeId}/${r.registerId}`)).toEqual(['msk-002/pos-1']);
    expect(second).toMatchObject({ total: null, nextCursor: null });
  });

  it('filters by store and connection, and drops unknown parameters', async () => {
    const page = RegisterList.parse((await get('/api/registers?storeId=msk-001&connected=0&order=desc')).json);
    expect(page.registers.map((r) => r.registerId)).toEqual(['pos-1', 'pos-2']);
    expect(RegisterList.parse((await get('/api/registers?connected=1')).json)).toEqual({ registers: [], total: 0, nextCursor: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['health=ok', 'health'],
    ['connected=yes', 'connected'],
    ['after=msk-001', 'after'],
    ['storeId=a%20b', 'storeId'],
    ['blockingWithinDays=-1', 'blockingWithinDays'],
    ['sort=blocking&after=msk-001%2Fpos-2', 'after'],
    ['after=2026-12-01T00:00:00.000Z~msk-001%2Fpos-2', 'after'],
  ])('refuses %s with 400 bad_request naming the field', async (query, field) => {
    const { status, json } = await get(`/api/registers?${query}`);
    expect(status).toBe(400);
    const body = ErrorBody.parse(json);
    expect(body.code).toBe('bad_request');
    expect(body.issues?.map((issue) => issue.path)).toContain(field);
  });
});

describe('GET /api/tickets', () => {
  it('answers a TicketList page: tickets, total and next cursor', async () => {
    const { status, json } = await get('/api/tickets');
    expect(status).toBe(200);
    expect(TicketList.parse(json)).toEqual({ tickets: [], total: 0, nextCursor: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=20001', 'limit'],
    ['after=5', 'after'],
    ['after=2~yesterday~5', 'after'],
    ['status=open', 'status'],
  ])('refuses %s with 400 bad_request naming the field', async (query, field) => {
    const { status, json } = await get(`/api/tickets?${query}`);
    expect(status).toBe(400);
    const body = ErrorBody.parse(json);
    expect(body.code).toBe('bad_request');
    expect(body.issues?.map((issue) => issue.path)).toContain(field);
  });

  it('a ticket row the database should never hold is a 500 internal, not a wrong answer', async () => {
    await onSecondConnection(test.dataDir, async (sql) => {
      const { id } = (await sql.get<{ id: string }>("SELECT id FROM agents WHERE store_id = 'msk-002'"))!;
      await sql.run(
        `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by)
         VALUES (?, NULL, 'printer.on_fire', 'open', 'critical', 1, 'printers', ?, ?, ?, ?)`,
        id, ...Array.from({ length: 4 }, () => '2026-11-22T10:00:00.000Z'),
      );
    });
    const { status, json } = await get('/api/tickets');
    expect(status).toBe(500);
    expect(ErrorBody.parse(json).code).toBe('internal');
    expect(test.logger.errors.join('\n')).toMatch(/unhandled request error/);
    test.logger.errors.length = 0;
  });
});

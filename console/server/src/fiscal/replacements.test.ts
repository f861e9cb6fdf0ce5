import { ErrorBody, ReplacementList } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, apiCall, ENGINEER, enroll, login, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { fiscalReport, healthMessage } from '../test-support/device-reports';
import { parseCsv } from '../test-support/read-csv';

// GET /api/fiscal/replacements over HTTP, fed by real agent reports: which drives are listed (their
// own end within 90 days, or past), the buckets, the grouping per store, and the CSV file.

let test: TestConsole;
let cookie: string;
const agents: TestAgent[] = [];
const DAY = 86_400_000;
const inDays = (days: number) => new Date(test.clock.now().getTime() + days * DAY).toISOString();

beforeAll(async () => {
  test = await startTestConsole();
  cookie = await login(test.server.url, ENGINEER);
  const drives: [store: string, register: string, validDays: number, extra?: Parameters<typeof fiscalReport>[0]][] = [
    ['msk-002', 'pos-1', 45],
    ['msk-001', 'pos-2', 80],
    ['msk-001', 'pos-1', 10, { identity: { model: 'АТОЛ "30Ф", rev.2', serial: '00106700000001', fnSerial: 'FN-ID' } }],
    ['msk-001', 'pos-3', -2], // expired: the most urgent
    ['msk-003', 'pos-1', 200, {}], // far, but 29 days unsent: an OFD lock, not a drive to replace
    ['msk-004', 'pos-1', 120],
  ];
  for (const [store, register, validDays, extra] of drives) {
    const { credential } = await enroll(test, store, register);
    const agent = await TestAgent.connect(test.server.url, credential);
    agents.push(agent);
    const ofd = store === 'msk-003' ? { unsentCount: 2, firstUnsentAt: inDays(-29) } : { unsentCount: 0 };
    await agent.request(healthMessage(`h-${store}-${register}`, [fiscalReport({ fiscal: { fn: { serial: `FN-${store}-${register}`, validUntil: inDays(validDays) }, ofd }, ...extra })]));
  }
});
afterAll(async () => {
  for (const agent of agents) agent.close();
  await test.dispose();
});

const get = (route: string, withCookie = cookie) => apiCall(test.server.url, 'GET', route, withCookie);

describe('GET /api/fiscal/replacements', () => {
  it('lists the drives ending within 90 days (or already), per store, soonest first, with bucket counts', async () => {
    const { status, json } = await get('/api/fiscal/replacements');
    expect(status).toBe(200);
    const list = ReplacementList.parse(json);
    expect(list.total).toBe(4);
    expect(list.nextCursor).toBeNull();
    expect(list.stores.map((store) => [store.storeId, store.counts])).toEqual([
      ['msk-001', { d30: 2, d60: 0, d90: 1 }],
      ['msk-002', { d30: 0, d60: 1, d90: 0 }],
    ]);
    const msk001 = list.stores[0]!.drives;
    expect(msk001.map((drive) => [drive.registerId, drive.bucket, drive.replaceBy])).toEqual([
      ['pos-3', 'd30', inDays(-2)], ['pos-1', 'd30', inDays(10)], ['pos-2', 'd90', inDays(80)],
    ]);
    expect(msk001[1]).toMatchObject({ model: 'АТОЛ "30Ф", rev.2', registerSerial: '00106700000001', fnSerial: 'FN-msk-001-pos-1', replaceReason: 'fn_validity' });
  });

  it('pages by store: a page of stores, the total on the first page, the cursor to the next', async () => {
    const first = ReplacementList.parse((await get('/api/fiscal/replacements?limit=1')).json);
    expect(first.stores.map((store) => store.storeId)).toEqual(['msk-001']);
    expect(first).toMatchObject({ total: 4, nextCursor: 'msk-001' });
    const second = ReplacementList.parse((await get('/api/fiscal/replacements?limit=1&after=msk-001')).json);
    expect(second.stores.map((store) => [store.storeId, store.drives.length])).toEqual([['msk-002', 1]]);
    expect(second).toMatchObject({ total: null, nextCursor: null });
  });

  it('one store', async () => {
    const list = ReplacementList.parse((await get('/api/fiscal/replacements?storeId=msk-002')).json);
    expect(list.stores.map((store) => store.storeId)).toEqual(['msk-002']);
  });

  it('as CSV: an attachment in UTF-8 with a BOM, one line per drive, readable back', async () => {
    const response = await fetch(`${test.server.url}/api/fiscal/replacements?format=csv`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="fn-replacements-2026-11-22.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header![0]).toBe('Магазин / Store');
    expect(rows.map((row) => `${row[0]}/${row[1]}`)).toEqual(['msk-001/pos-3', 'msk-001/pos-1', 'msk-001/pos-2', 'msk-002/pos-1']);
    expect(rows[1]![3]).toBe('АТОЛ "30Ф", rev.2');
  });

  it('semicolons on request', async () => {
    const response = await fetch(`${test.server.url}/api/fiscal/replacements?format=csv&delimiter=semicolon`, { headers: { cookie } });
    const text = (await response.text()).replace(/^\uFEFF/, '');
    expect(parseCsv(text, ';')[0]![1]).toBe('Касса / Register');
  });

  it('admins read it too; without a session it is 401; a bad parameter is 400 naming it', async () => {
    expect((await get('/api/fiscal/replacements', await login(test.server.url, ADMIN))).status).toBe(200);
    expect((await get('/api/fiscal/replacements', '')).status).toBe(401);
    const bad = await get('/api/fiscal/replacements?format=xlsx');
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.json).issues?.map((issue) => issue.path)).toContain('format');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceReport } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { probeContextFor } from '../../bind-device';
import type { DeviceConfig } from '../../driver';
import { atolDriver } from './index';
import { probeAtol } from './probe';
import type { ReadOnlyTask } from './protocol';
import type { FetchLike } from './web-requests';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'healthy-results.json'), 'utf8')) as {
  tasks: ReadOnlyTask[];
  answer: { results: Record<string, unknown>[] };
};
const HEALTHY = new Map(fixture.tasks.map((type, i) => [type, fixture.answer.results[i]!]));
const NOW = new Date('2026-03-02T07:00:00Z');

/**
 * A fake ATOL web server: remembers each POSTed request's task types and answers GETs with one
 * result per task from `answers` (the healthy fixture where not given). `post` overrides the POST.
 */
function fakeServer(answers: Partial<Record<ReadOnlyTask, unknown>> = {}, post?: () => Response | Promise<Response>) {
  const requests = new Map<string, ReadOnlyTask[]>();
  const calls: { method: string; url: string; types?: ReadOnlyTask[] }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const method = init.method ?? 'GET';
    if (method === 'POST') {
      const body = JSON.parse(init.body as string) as { uuid: string; request: { type: ReadOnlyTask }[] };
      const types = body.request.map((t) => t.type);
      calls.push({ method, url, types });
      if (post) return post();
      requests.set(body.uuid, types);
      return new Response(JSON.stringify({ uuid: body.uuid }), { status: 201 });
    }
    calls.push({ method, url });
    const types = requests.get(decodeURIComponent(new URL(url).pathname.split('/').pop()!))!;
    return new Response(JSON.stringify({ results: types.map((type) => answers[type] ?? HEALTHY.get(type)) }), { status: 200 });
  };
  return { fetch, calls };
}

function probe(server: { fetch: FetchLike }, options: Record<string, unknown> = {}, signal = new AbortController().signal) {
  const device: DeviceConfig = { id: 'kkt-1', driver: 'atol', options };
  const ctx = probeContextFor(atolDriver, device, { openTransport: () => Promise.reject(new Error('no port for http drivers')), now: () => NOW, signal });
  let uuid = 0;
  return probeAtol(ctx, { fetch: server.fetch, newUuid: () => `u${++uuid}`, sleep: async () => undefined });
}

const ready = (result: unknown) => ({ status: 'ready', error: { code: 0, description: '' }, result });
const error = (code: number, description = '') => ({ status: 'error', error: { code, description } });
const codes = (report: DeviceReport) => report.findings.map((f) => f.code);

describe('ATOL probe (fake web server)', () => {
  it('a healthy register: status read, then one request with the other tasks; ok, identity and fiscal facts, valid report', async () => {
    const server = fakeServer();
    const report = await probe(server);
    expect(DeviceReport.parse(report)).toEqual(report);
    expect(server.calls.filter((c) => c.method === 'POST').map((c) => c.types)).toEqual([
      ['getDeviceStatus'],
      ['getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'getDeviceInfo', 'ismExchangeStatus'],
    ]);
    expect(server.calls.every((c) => c.method === 'POST' || c.method === 'GET')).toBe(true);
    expect(report).toMatchObject({ kind: 'fiscal', driver: 'atol', health: 'ok', findings: [], model: 'АТОЛ 30Ф' });
    expect(report.checklist.map((a) => [a.step, a.result])).toEqual([
      ['fiscal.answers', 'passed'],
      ['fiscal.paper_cover', 'passed'],
      ['fiscal.shift', 'passed'],
      ['fiscal.fn', 'passed'],
      ['fiscal.ofd', 'passed'],
      ['fiscal.clock', 'passed'],
    ]);
    expect(report.identity).toEqual({ model: 'АТОЛ 30Ф', serial: '00106712345678', firmware: '5.8.12', ffdVersion: '1.2', fnSerial: '9999078900001234' });
    expect(report.fiscal?.shift).toEqual({ state: 'open', number: 42, openedAt: '2026-03-02T05:00:00.000Z', openedAtSource: 'device' });
    expect(report.evidence).toMatchObject({ transport: 'http', target: 'http://127.0.0.1:16732' });
    expect(report.evidence.exchanges.map((e) => [e.label, 'status' in e ? e.status : undefined])).toEqual(fixture.tasks.map((t) => [t, 'ready']));
  });

  it('a document open: the probe stops after the status read; health unknown, no findings', async () => {
    const status = structuredClone(HEALTHY.get('getDeviceStatus')) as { result: { deviceStatus: Record<string, unknown> } };
    Object.assign(status.result.deviceStatus, { receiptType: 1, paperPresent: false });
    const server = fakeServer({ getDeviceStatus: status });
    const report = await probe(server);
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(report).toMatchObject({ health: 'unknown', findings: [], fiscal: { documentOpen: true } });
    expect(report.checklist.filter((a) => a.result === 'unknown')).toHaveLength(5);
  });

  it('the register’s port busy (error 3 on getDeviceStatus): port_busy, retry later, nothing more asked', async () => {
    const server = fakeServer({ getDeviceStatus: error(3, 'Порт занят') });
    const report = await probe(server);
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(report.findings).toEqual([{ code: 'fiscal.port_busy', detail: 'getDeviceStatus: ATOL error 3 PORT_BUSY (register port busy): Порт занят' }]);
    expect(report.health).toBe('warning');
  });

  it('no web server: no_reply with the reason as transportError; 401: no_reply naming the credentials', async () => {
    const refused: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    };
    const report = await probe({ fetch: refused });
    expect(codes(report)).toEqual(['fiscal.no_reply']);
    expect(report.health).toBe('fault');
    expect(report.evidence.transportError).toMatch(/ECONNREFUSED/);
    expect(report.evidence.exchanges[0]).toMatchObject({ label: 'getDeviceStatus', reply: null, status: 'not answered: cannot_connect', valid: false });

    const denied = await probe(fakeServer({}, () => new Response('', { status: 401 })), { user: 'agent', password: 'x' });
    expect(denied.findings[0]?.detail).toMatch(/HTTP 401.*user and password/);
  });

  it('a blocked task: queue_blocked; a slow queue: queue_timeout; the facts read before still count', async () => {
    const blocked = await probe(fakeServer({ getFnInfo: { status: 'blocked' } }));
    expect(codes(blocked)).toEqual(['fiscal.queue_blocked']);
    expect(blocked.findings[0]?.detail).toMatch(/getFnInfo came back blocked.*the agent never does/);
    expect(blocked.health).toBe('fault');

    const slow = await probe(fakeServer({ getFnInfo: { status: 'inProgress' } }), { taskDeadlineMs: 500, pollIntervalMs: 100 });
    expect(codes(slow)).toEqual(['fiscal.queue_timeout']);
    expect(slow.findings[0]?.detail).toBe('ATOL task queue too slow: getFnInfo still waiting or running after 500 ms');
    expect(slow.fiscal?.fn?.warnings).toBeDefined(); // getFnStatus was read before
  });

  it('printer faults inside the register: paper, cover, printer error codes; FN and OFD errors', async () => {
    const status = structuredClone(HEALTHY.get('getDeviceStatus')) as { result: { deviceStatus: Record<string, unknown> } };
    Object.assign(status.result.deviceStatus, { paperPresent: false, coverOpened: true });
    expect(codes(await probe(fakeServer({ getDeviceStatus: status })))).toEqual(['fiscal.paper_end', 'fiscal.cover_open']);
    expect(codes(await probe(fakeServer({ getShiftStatus: error(46) })))).toEqual(['fiscal.printer_error']);
    expect(codes(await probe(fakeServer({ getFnInfo: error(120) })))).toEqual(['fiscal.fn_expired']);
    const fn = structuredClone(HEALTHY.get('getFnStatus')) as { result: { fnStatus: { warnings: Record<string, boolean> } } };
    fn.result.fnStatus.warnings.criticalError = true;
    fn.result.fnStatus.warnings.memoryOverflow = true;
    expect(codes(await probe(fakeServer({ getFnStatus: fn })))).toEqual(['fiscal.fn_archive_90', 'fiscal.fn_critical_error']);
  });

  it('ismExchangeStatus failing (older firmware) does not spoil the probe; ismExchange false leaves it out', async () => {
    expect((await probe(fakeServer({ ismExchangeStatus: error(999) }))).health).toBe('ok');
    const server = fakeServer();
    await probe(server, { ismExchange: false, deviceId: 'kkt 2', deviceIdIn: 'query' });
    expect(server.calls.filter((c) => c.method === 'POST')[1]?.types).toEqual(['getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'getDeviceInfo']);
    expect(server.calls.every((c) => c.url.includes('deviceID=kkt+2'))).toBe(true);
  });

  it('garbage in a task result is unknown, never ok', async () => {
    const report = await probe(fakeServer({ getFnInfo: ready({ fnInfo: { validityDate: 'soon' } }) }));
    expect(report.health).toBe('unknown');
    expect(report.checklist.find((a) => a.step === 'fiscal.fn')?.result).toBe('passed'); // warnings read, validity not
    expect(report.evidence.exchanges.find((e) => e.label === 'getFnInfo')).toMatchObject({ valid: false });
  });

  it('canceled by the agent: unknown, no findings', async () => {
    const stop = new AbortController();
    stop.abort();
    const report = await probe(fakeServer(), {}, stop.signal);
    expect(report).toMatchObject({ health: 'unknown', findings: [] });
  });
});

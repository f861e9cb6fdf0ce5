import { describe, expect, it } from 'vitest';
import type { ReadOnlyTask } from './protocol';
import { runWebRequest, type FetchLike, type RequestTiming, type WebServerAccess } from './web-requests';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

type Reply = Response | ((call: Call, signal: AbortSignal) => Promise<Response>);

/** A fake fetch that records calls and answers from a script (the last reply repeats). */
function fakeServer(replies: Reply[]) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call: Call = { method: init.method ?? 'GET', url, headers: init.headers as Record<string, string>, ...(typeof init.body === 'string' ? { body: init.body } : {}) };
    calls.push(call);
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    return typeof reply === 'function' ? reply(call, init.signal!) : reply.clone();
  };
  return { calls, fetch };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const created = () => json(201, {});
const results = (...statuses: string[]) => json(200, { results: statuses.map((status) => ({ status, ...(status === 'ready' ? { result: {} } : {}) })) });

/** A fake clock: sleeping advances it, so deadlines pass without waiting. */
function fakeTime() {
  let ms = 0;
  return {
    monotonicMs: () => ms,
    now: () => new Date(Date.UTC(2026, 2, 2) + ms),
    sleep: async (wait: number) => void (ms += wait),
    newUuid: () => 'uuid-1',
  };
}

const access: WebServerAccess = { baseUrl: 'http://127.0.0.1:16732' };
const timing: RequestTiming = { deadlineMs: 5_000, pollIntervalMs: 200 };
const TASKS: ReadOnlyTask[] = ['getDeviceStatus', 'getFnInfo'];
const live = () => new AbortController().signal;

describe('runWebRequest: the task lifecycle', () => {
  it('POSTs {uuid, request}, polls GET until every result is final, and sends nothing else', async () => {
    const server = fakeServer([created(), results('wait', 'wait'), results('ready', 'inProgress'), results('ready', 'error')]);
    const run = await runWebRequest(access, TASKS, timing, live(), { fetch: server.fetch, ...fakeTime() });
    expect(run.outcome).toBe('done');
    expect(run.results.map((r) => r?.status)).toEqual(['ready', 'error']);
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST http://127.0.0.1:16732/api/v2/requests',
      'GET http://127.0.0.1:16732/api/v2/requests/uuid-1',
      'GET http://127.0.0.1:16732/api/v2/requests/uuid-1',
      'GET http://127.0.0.1:16732/api/v2/requests/uuid-1',
    ]);
    expect(JSON.parse(server.calls[0]!.body!)).toEqual({ uuid: 'uuid-1', request: [{ type: 'getDeviceStatus' }, { type: 'getFnInfo' }] });
    // the first task was final at the second GET (after one poll interval), the second at the third
    expect(run.elapsedMs).toEqual([200, 400]);
    expect(run.readAt.map((d) => d?.toISOString())).toEqual(['2026-03-02T00:00:00.200Z', '2026-03-02T00:00:00.400Z']);
    expect(run.bytesSent).toBe(server.calls[0]!.body!.length);
    expect(run.httpCalls).toBe(4);
  });

  it('a result already final is kept, whatever a later GET says about it', async () => {
    const server = fakeServer([created(), results('ready', 'wait'), results('canceled', 'ready')]);
    const run = await runWebRequest(access, TASKS, timing, live(), { fetch: server.fetch, ...fakeTime() });
    expect(run.results.map((r) => r?.status)).toEqual(['ready', 'ready']);
  });

  it('credentials go as HTTP Basic; deviceID as a header by default, or as a query parameter', async () => {
    const server = fakeServer([created(), results('ready', 'ready')]);
    await runWebRequest({ ...access, credentials: { user: 'agent', password: 'пароль' }, deviceId: 'kkt-2' }, TASKS, timing, live(), { fetch: server.fetch, ...fakeTime() });
    expect(server.calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('agent:пароль').toString('base64')}`);
    expect(server.calls[0]!.headers.deviceID).toBe('kkt-2');
    expect(server.calls[1]!.url).toBe('http://127.0.0.1:16732/api/v2/requests/uuid-1');

    const query = fakeServer([created(), results('ready', 'ready')]);
    await runWebRequest({ ...access, deviceId: 'kkt 2', deviceIdIn: 'query' }, TASKS, timing, live(), { fetch: query.fetch, ...fakeTime() });
    expect(query.calls.map((c) => c.url)).toEqual(['http://127.0.0.1:16732/api/v2/requests?deviceID=kkt+2', 'http://127.0.0.1:16732/api/v2/requests/uuid-1?deviceID=kkt+2']);
    expect(query.calls[0]!.headers.deviceID).toBeUndefined();
  });

  it('a blocked result stops polling at once: outcome blocked, no DELETE, no resume', async () => {
    const server = fakeServer([created(), results('ready', 'blocked'), results('ready', 'ready')]);
    const run = await runWebRequest(access, TASKS, timing, live(), { fetch: server.fetch, ...fakeTime() });
    expect(run.outcome).toBe('blocked');
    expect(server.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('results still waiting at the deadline: queue_timeout; blocked instead when the POST said another task stopped the queue', async () => {
    const slow = fakeServer([created(), results('ready', 'inProgress')]);
    const run = await runWebRequest(access, TASKS, timing, live(), { fetch: slow.fetch, ...fakeTime() });
    expect(run.outcome).toBe('queue_timeout');
    expect(run.results.map((r) => r?.status)).toEqual(['ready', 'inProgress']);
    expect(slow.calls.filter((c) => c.method === 'GET')).toHaveLength(25); // 5 s / 200 ms
    expect(slow.calls.every((c) => c.method === 'POST' || c.method === 'GET')).toBe(true);

    const stuck = fakeServer([json(201, { uuid: 'uuid-1', isBlocked: true, blockedUUID: 'foreign' }), results('wait', 'wait')]);
    const blocked = await runWebRequest(access, TASKS, timing, live(), { fetch: stuck.fetch, ...fakeTime() });
    expect(blocked).toMatchObject({ outcome: 'blocked', posted: { isBlocked: true, blockedUUID: 'foreign' } });

    const waiting = fakeServer([created(), results('wait', 'wait')]);
    expect((await runWebRequest(access, TASKS, timing, live(), { fetch: waiting.fetch, ...fakeTime() })).outcome).toBe('queue_timeout');
  });
});

describe('runWebRequest: server trouble is a failure with a clear detail, never a throw', () => {
  const run = (replies: Reply[], extra: Partial<WebServerAccess> = {}, signal = live()) => runWebRequest({ ...access, ...extra }, TASKS, timing, signal, { fetch: fakeServer(replies).fetch, ...fakeTime() });

  it('401/403: the credentials', async () => {
    for (const status of [401, 403]) {
      const result = await run([new Response('no', { status })]);
      expect(result).toMatchObject({ outcome: 'failed', failure: { kind: 'unauthorized', httpStatus: status, during: 'POST' } });
      expect(result.failure?.detail).toMatch(/user and password/);
    }
    expect((await run([created(), new Response('', { status: 401 })])).failure).toMatchObject({ kind: 'unauthorized', during: 'GET' });
  });

  it('connection refused: nothing listens', async () => {
    const refused = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16732'), { code: 'ECONNREFUSED' }) });
    };
    const result = await run([refused]);
    expect(result.failure).toMatchObject({ kind: 'cannot_connect', during: 'POST' });
    expect(result.failure?.detail).toBe("nothing answers at http://127.0.0.1:16732 (ECONNREFUSED): the ATOL driver's web server is not running, or the address in the config is wrong");
  });

  it('another status, non-JSON, a non-ATOL JSON, a wrong number of results', async () => {
    expect((await run([new Response('oops', { status: 500 })])).failure).toMatchObject({ kind: 'http_status', httpStatus: 500 });
    expect((await run([created(), new Response('<html>hello</html>', { status: 200 })])).failure).toMatchObject({ kind: 'bad_answer', detail: 'the web server\'s answer is not JSON: "<html>hello</html>"' });
    expect((await run([created(), json(200, { hello: 1 })])).failure?.kind).toBe('bad_answer');
    expect((await run([created(), results('ready')])).failure?.detail).toMatch(/1 results for 2 tasks/);
    expect((await run([created(), json(404, { error: 'no such request' })])).failure).toMatchObject({ kind: 'http_status', httpStatus: 404, during: 'GET' });
  });

  it('a 50 MB answer: refused by its declared length, or while streaming, without reading it all', async () => {
    const declared = new Response('x', { status: 200, headers: { 'content-length': String(50 * 2 ** 20) } });
    expect((await run([created(), declared])).failure).toMatchObject({ kind: 'too_large' });

    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        if (pulled === 800) controller.close();
      },
    });
    const result = await run([created(), async () => new Response(stream, { status: 200 })]);
    expect(result.failure).toMatchObject({ kind: 'too_large' });
    expect(pulled).toBeLessThan(10); // 256 KiB limit / 64 KiB chunks, not 50 MB
  });

  it('a server that accepts but never answers: no_answer at the deadline; the agent stopping: canceled', async () => {
    const hang = (_call: Call, signal: AbortSignal) => new Promise<Response>((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const hung = await runWebRequest(access, TASKS, { deadlineMs: 50, pollIntervalMs: 10 }, live(), { fetch: fakeServer([hang]).fetch });
    expect(hung.failure).toMatchObject({ kind: 'no_answer', during: 'POST' });
    expect(hung.failure?.detail).toMatch(/did not answer within \d+ ms/);

    // once the server took the request, a GET unanswered at the deadline is a slow queue
    const slowGet = await runWebRequest(access, TASKS, { deadlineMs: 50, pollIntervalMs: 10 }, live(), { fetch: fakeServer([created(), hang]).fetch });
    expect(slowGet.outcome).toBe('queue_timeout');

    const stop = new AbortController();
    const pending = run([hang], {}, stop.signal);
    stop.abort();
    expect((await pending).failure).toMatchObject({ kind: 'canceled' });
  });
});

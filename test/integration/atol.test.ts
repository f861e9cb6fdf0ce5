// The ATOL request lifecycle against the simulated web requests server over real HTTP on
// loopback: slow and blocked queues, a server that is down, garbage, authentication; and the
// never-fiscal rule checked against what the simulator actually received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_TASKS, type ReadOnlyTask } from '../../agent/src/devices/fiscal/atol/protocol';
import { runWebRequest, type RequestTiming, type WebServerAccess } from '../../agent/src/devices/fiscal/atol/web-requests';
import { startAtolSimulator, type AtolSimulator } from '../../scripts/sim/atol/simulator';

/** devices.md §3.2, written out again: the only task types that may ever reach the server. */
const ALLOWED = new Set(['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'ismExchangeStatus', 'getDeviceInfo']);
const TASKS: ReadOnlyTask[] = [...READ_ONLY_TASKS];
const timing: RequestTiming = { deadlineMs: 3_000, pollIntervalMs: 20 };
const sims: AtolSimulator[] = [];

async function sim(options: Parameters<typeof startAtolSimulator>[0] = {}): Promise<AtolSimulator> {
  const started = await startAtolSimulator({ port: 0, ...options });
  sims.push(started);
  return started;
}

const run = (access: WebServerAccess, tasks = TASKS, t = timing) => runWebRequest(access, tasks, t, new AbortController().signal);

let shared: AtolSimulator;
beforeAll(async () => {
  shared = await sim();
});

afterAll(async () => {
  // The never-fiscal rule over every simulator of this file: only allow-listed tasks arrived, and no DELETE.
  for (const s of sims) {
    const log = s.log();
    expect(log.tasks.filter((t) => !ALLOWED.has(t.type))).toEqual([]);
    expect(log.requests.filter((r) => r.method !== 'POST' && r.method !== 'GET')).toEqual([]);
    expect(s.stats().deletes).toBe(0);
  }
  await Promise.all(sims.map((s) => s.close()));
});

describe('ATOL web requests against the simulator (real HTTP)', () => {
  it('a healthy register: every task ready, in one POST and a few GETs', async () => {
    shared.resetState();
    const result = await run({ baseUrl: shared.baseUrl });
    expect(result.outcome).toBe('done');
    expect(result.results.map((r) => r?.status)).toEqual(TASKS.map(() => 'ready'));
    expect(result.bytesReceived).toBeGreaterThan(500);
  });

  it('a slow queue: still running at the deadline is queue_timeout', async () => {
    const slow = await sim({ state: { taskDelayMs: 400 } });
    const result = await run({ baseUrl: slow.baseUrl }, TASKS, { deadlineMs: 600, pollIntervalMs: 50 });
    expect(result.outcome).toBe('queue_timeout');
    expect(result.results.some((r) => r?.status === 'wait' || r?.status === 'inProgress')).toBe(true);
  });

  it('a queue blocked by another client’s task: blocked, and ours are left waiting (never cancelled)', async () => {
    const blocked = await sim({ state: { blockedQueue: true } });
    const result = await run({ baseUrl: blocked.baseUrl }, TASKS, { deadlineMs: 300, pollIntervalMs: 50 });
    expect(result).toMatchObject({ outcome: 'blocked', posted: { isBlocked: true, blockedUUID: 'foreign-blocked-task' } });
    expect(result.results.every((r) => r?.status === 'wait')).toBe(true);
  });

  it('one of our own tasks blocked: blocked at once', async () => {
    const blocked = await sim({ state: { taskFaults: { getFnStatus: { blocked: true } } } });
    const result = await run({ baseUrl: blocked.baseUrl });
    expect(result.outcome).toBe('blocked');
    expect(result.results.map((r) => r?.status).slice(0, 4)).toEqual(['ready', 'ready', 'blocked', 'wait']);
  });

  it('an ATOL error interrupts the rest of the request', async () => {
    const busy = await sim({ state: { taskFaults: { getDeviceStatus: { error: 3 } } } });
    const result = await run({ baseUrl: busy.baseUrl });
    expect(result.outcome).toBe('done');
    expect(result.results[0]).toMatchObject({ status: 'error', error: { code: 3 } });
    expect(result.results.slice(1).every((r) => r?.status === 'interrupted')).toBe(true);
  });

  it('the server down: cannot_connect; garbage: bad_answer; 50 MB: too_large', async () => {
    const s = await sim();
    s.setState({ serverDown: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await run({ baseUrl: s.baseUrl })).failure).toMatchObject({ kind: 'cannot_connect', during: 'POST' });
    s.setState({ serverDown: false, garbage: 'bytes' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await run({ baseUrl: s.baseUrl })).failure).toMatchObject({ kind: 'bad_answer', during: 'GET' });
    s.setState({ garbage: 'json' });
    expect((await run({ baseUrl: s.baseUrl })).failure?.detail).toMatch(/not an ATOL requests answer/);
    s.setState({ garbage: 'huge' });
    expect((await run({ baseUrl: s.baseUrl })).failure).toMatchObject({ kind: 'too_large' });
    s.setState({ garbage: 'off' });
    expect((await run({ baseUrl: s.baseUrl })).outcome).toBe('done');
  });

  it('Basic auth and deviceID: wrong or missing credentials are unauthorized; right ones work, deviceID as header or query', async () => {
    const s = await sim({ auth: { user: 'kassa', password: 'секрет' }, deviceIds: ['kkt-1'] });
    expect((await run({ baseUrl: s.baseUrl, deviceId: 'kkt-1' })).failure).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
    expect((await run({ baseUrl: s.baseUrl, deviceId: 'kkt-1', credentials: { user: 'kassa', password: 'x' } })).failure?.kind).toBe('unauthorized');
    const credentials = { user: 'kassa', password: 'секрет' };
    expect((await run({ baseUrl: s.baseUrl, credentials, deviceId: 'kkt-1' })).outcome).toBe('done');
    expect((await run({ baseUrl: s.baseUrl, credentials, deviceId: 'kkt-1', deviceIdIn: 'query' })).outcome).toBe('done');
    expect((await run({ baseUrl: s.baseUrl, credentials, deviceId: 'kkt-9' })).failure).toMatchObject({ kind: 'http_status', httpStatus: 400 });
    expect(s.log().requests.filter((r) => r.status === 201).map((r) => r.deviceIdIn)).toEqual(['header', 'query']);
  });
});

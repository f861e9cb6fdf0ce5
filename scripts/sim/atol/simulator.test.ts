import { describe, expect, it, vi } from 'vitest';
import { healthyRegister } from './register-state';
import { startAtolSimulator, type AtolSimulator, type AtolSimulatorOptions } from './simulator';

async function withSim(options: AtolSimulatorOptions, body: (sim: AtolSimulator) => Promise<void>): Promise<void> {
  const sim = await startAtolSimulator({ port: 0, ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

const post = (sim: AtolSimulator, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sim.baseUrl}/api/v2/requests`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const get = (sim: AtolSimulator, uuid: string, headers: Record<string, string> = {}) => fetch(`${sim.baseUrl}/api/v2/requests/${uuid}`, { headers });

/** Polls until every result is final or the test times out. */
async function finalResults(sim: AtolSimulator, uuid: string): Promise<{ status: string; error: { code: number }; result?: any }[]> {
  let results: { status: string; error: { code: number }; result?: any }[] = [];
  await vi.waitFor(
    async () => {
      results = ((await (await get(sim, uuid)).json()) as { results: typeof results }).results;
      expect(results.every((r) => r.status !== 'wait' && r.status !== 'inProgress')).toBe(true);
    },
    { timeout: 5_000, interval: 10 },
  );
  return results;
}

describe('ATOL web requests simulator over HTTP', () => {
  it('POST → 201, GET → the results of the seven read-only tasks; every request and task type is logged', async () => {
    await withSim({}, async (sim) => {
      const types = ['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'ismExchangeStatus', 'getDeviceInfo'];
      const created = await post(sim, { uuid: 'u1', request: types.map((type) => ({ type })) });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ uuid: 'u1', number: 1, isBlocked: false });
      const results = await finalResults(sim, 'u1');
      expect(results.map((r) => r.status)).toEqual(types.map(() => 'ready'));
      expect(results[3]?.result.fnInfo.validityDate).toMatch(/^\d{4}-\d\d-\d\dT00:00:00[+-]\d\d:\d\d$/);
      expect(sim.log().tasks.map((t) => [t.type, t.readOnly])).toEqual(types.map((type) => [type, true]));
      expect(sim.log().requests[0]).toMatchObject({ method: 'POST', path: '/api/v2/requests', status: 201 });
      expect(sim.stats()).toMatchObject({ posts: 1, deletes: 0 });
      expect(sim.stats().bytesIn).toBeGreaterThan(0);
    });
  });

  it('a fiscal task is logged as received and refused with an error result; DELETE is logged and cancels', async () => {
    await withSim({ state: { taskDelayMs: 200 } }, async (sim) => {
      await post(sim, { uuid: 'u1', request: [{ type: 'reportX' }, { type: 'getDeviceStatus' }] });
      await post(sim, { uuid: 'u2', request: { type: 'getFnInfo' } });
      expect((await fetch(`${sim.baseUrl}/api/v2/requests/u2`, { method: 'DELETE' })).status).toBe(200);
      const results = await finalResults(sim, 'u1');
      expect(results.map((r) => [r.status, r.error.code])).toEqual([
        ['error', 9999],
        ['interrupted', 0],
      ]);
      expect((await finalResults(sim, 'u2')).map((r) => r.status)).toEqual(['canceled']);
      expect(sim.log().tasks.map((t) => [t.type, t.readOnly])).toEqual([
        ['reportX', false],
        ['getDeviceStatus', true],
        ['getFnInfo', true],
      ]);
      expect(sim.log().requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
      expect(sim.stats().deletes).toBe(1);
    });
  });

  it('Basic auth and deviceID (header or query) when configured; bad bodies are 400', async () => {
    const auth = { authorization: `Basic ${Buffer.from('kassa:secret').toString('base64')}` };
    await withSim({ auth: { user: 'kassa', password: 'secret' }, deviceIds: ['kkt-1'] }, async (sim) => {
      expect((await post(sim, { uuid: 'a', request: [{ type: 'getDeviceStatus' }] })).status).toBe(401);
      expect((await post(sim, { uuid: 'a', request: [{ type: 'getDeviceStatus' }] }, { authorization: 'Basic eDp5' })).status).toBe(401);
      expect((await post(sim, { uuid: 'a', request: [{ type: 'getDeviceStatus' }] }, auth)).status).toBe(400);
      expect((await post(sim, { uuid: 'a', request: [{ type: 'getDeviceStatus' }] }, { ...auth, deviceID: 'kkt-1' })).status).toBe(201);
      expect((await get(sim, 'a?deviceID=kkt-1', auth)).status).toBe(200);
      expect(sim.log().requests.map((r) => [r.status, r.deviceIdIn ?? null])).toEqual([
        [401, null],
        [401, null],
        [400, null],
        [201, 'header'],
        [200, 'query'],
      ]);
      expect((await post(sim, { uuid: '', request: [] }, { ...auth, deviceID: 'kkt-1' })).status).toBe(400);
      expect((await post(sim, { uuid: 'a', request: [{ type: 'getDeviceStatus' }] }, { ...auth, deviceID: 'kkt-1' })).status).toBe(409);
    });
  });

  it('serverDown closes the listener (refused) and clearing it listens on the same port again', async () => {
    await withSim({}, async (sim) => {
      sim.setState({ serverDown: true });
      await vi.waitFor(async () => expect(await post(sim, { uuid: 'x', request: [{ type: 'getDeviceStatus' }] }).catch((e: Error) => (e.cause as { code?: string }).code)).toBe('ECONNREFUSED'));
      sim.setState({ serverDown: false });
      await vi.waitFor(async () => expect((await post(sim, { uuid: 'y', request: [{ type: 'getDeviceStatus' }] })).status).toBe(201));
    });
  });

  it('garbage: bytes that are no JSON, JSON that is no ATOL answer, and 50 MB', async () => {
    await withSim({}, async (sim) => {
      await post(sim, { uuid: 'u', request: [{ type: 'getDeviceStatus' }] });
      sim.setState({ garbage: 'bytes' });
      await expect((await get(sim, 'u')).json()).rejects.toThrow();
      sim.setState({ garbage: 'json' });
      expect(await (await get(sim, 'u')).json()).toEqual({ hello: 'not an ATOL answer', results: 'none' });
      sim.setState({ garbage: 'huge' });
      const huge = await get(sim, 'u');
      const reader = huge.body!.getReader();
      let bytes = 0;
      while (bytes < 1_000_000) bytes += ((await reader.read()).value as Uint8Array).byteLength;
      await reader.cancel();
      expect(bytes).toBeGreaterThanOrEqual(1_000_000);
    });
  });

  it('a foreign blocked task: the POST answer says isBlocked and ours stay wait; clearing the fault resumes', async () => {
    await withSim({ state: { blockedQueue: true } }, async (sim) => {
      expect(await (await post(sim, { uuid: 'u', request: [{ type: 'getDeviceStatus' }] })).json()).toEqual({ uuid: 'u', number: 2, isBlocked: true, blockedUUID: 'foreign-blocked-task' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(((await (await get(sim, 'u')).json()) as { results: { status: string }[] }).results[0]?.status).toBe('wait');
      sim.setState({ blockedQueue: false });
      expect((await finalResults(sim, 'u'))[0]?.status).toBe('ready');
      expect(sim.log().tasks.map((t) => t.type)).toEqual(['getDeviceStatus']);
    });
  });
});

describe('ATOL simulator control interface', () => {
  it('GET, PUT (validated), reset, log, stats', async () => {
    await withSim({ control: { port: 0 }, now: () => new Date('2026-03-02T07:00:00Z') }, async (sim) => {
      const base = `http://127.0.0.1:${sim.controlPort}`;
      expect(await (await fetch(`${base}/state`)).json()).toEqual(healthyRegister(new Date('2026-03-02T07:00:00Z')));
      const put = await fetch(`${base}/state`, { method: 'PUT', body: JSON.stringify({ paperPresent: false, taskFaults: { getFnStatus: { error: 3 } } }) });
      expect(await put.json()).toMatchObject({ paperPresent: false, taskFaults: { getFnStatus: { error: 3 } } });
      expect(sim.getState().paperPresent).toBe(false);
      const bad = await fetch(`${base}/state`, { method: 'PUT', body: JSON.stringify({ paper: false }) });
      expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'invalid state patch: send a JSON object with known names only']);
      expect((await fetch(`${base}/state`, { method: 'PUT', body: '{x' })).status).toBe(400);
      expect(await (await fetch(`${base}/state/reset`, { method: 'POST' })).json()).toMatchObject({ paperPresent: true, taskFaults: {} });
      await post(sim, { uuid: 'u', request: [{ type: 'getDeviceInfo' }] });
      expect(await (await fetch(`${base}/log`)).json()).toMatchObject({ tasks: [{ uuid: 'u', type: 'getDeviceInfo', readOnly: true }] });
      expect(await (await fetch(`${base}/stats`)).json()).toMatchObject({ posts: 1 });
      await fetch(`${base}/log/clear`, { method: 'POST' });
      expect(sim.log()).toEqual({ requests: [], tasks: [] });
      expect((await fetch(`${base}/log`, { method: 'DELETE' })).status).toBe(405);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    });
  });
});

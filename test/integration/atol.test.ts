// The ATOL request lifecycle and the driver's probe against the simulated web requests server
// over real HTTP on loopback: slow and blocked queues, a server that is down, garbage,
// authentication, every fault the simulator has; and the never-fiscal rule checked against what
// the simulator actually received, over every path and fault of this file.
import { DeviceReport } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeContextFor } from '../../agent/src/devices/bind-device';
import { atolDriver } from '../../agent/src/devices/fiscal/atol';
import { READ_ONLY_TASKS, type ReadOnlyTask } from '../../agent/src/devices/fiscal/atol/protocol';
import { healthyRegister, type AtolStatePatch } from '../../scripts/sim/atol/register-state';
import { runWebRequest, type RequestTiming, type WebServerAccess } from '../../agent/src/devices/fiscal/atol/web-requests';
import { startAtolSimulator, type AtolSimulator } from '../../scripts/sim/atol/simulator';
import { ago, DAY, inDays } from './fiscal-clock';

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

/** One real probe of the simulator by the registered driver, as the probe loop runs it. */
async function probe(s: AtolSimulator, options: Record<string, unknown> = {}): Promise<DeviceReport> {
  const device = { id: 'kkt', driver: 'atol' as const, options: { url: s.baseUrl, taskDeadlineMs: 1_500, pollIntervalMs: 20, ...options } };
  const ctx = probeContextFor(atolDriver, device, { openTransport: () => Promise.reject(new Error('http driver')), now: () => new Date(), signal: new AbortController().signal });
  return DeviceReport.parse(await atolDriver.probe(ctx));
}

const noWarnings = healthyRegister(new Date()).fnWarnings;

/** Each simulator fault and the finding codes a probe must report for it (and nothing else). */
const FAULTS: [string, AtolStatePatch, string[]][] = [
  ['no paper', { paperPresent: false }, ['fiscal.paper_end']],
  ['cover open', { coverOpened: true }, ['fiscal.cover_open']],
  ['printer fault (error 46)', { printerError: true }, ['fiscal.printer_error']],
  ['shift open 23.5 h', { shiftOpenedAt: ago(23.5 * 3_600_000) }, ['fiscal.shift_over_23h']],
  ['shift expired', { shiftOpenedAt: ago(25 * 3_600_000) }, ['fiscal.shift_expired']],
  ['FN valid 20 more days', { fnValidUntil: inDays(20) }, ['fiscal.fn_expires_30d']],
  ['FN valid 2 more days', { fnValidUntil: inDays(2) }, ['fiscal.fn_expires_3d']],
  ['FN expired', { fnValidUntil: inDays(-1) }, ['fiscal.fn_expired']],
  ['FN archive 90 %', { fnWarnings: { ...noWarnings, memoryOverflow: true } }, ['fiscal.fn_archive_90']],
  ['FN critical error', { fnWarnings: { ...noWarnings, criticalError: true } }, ['fiscal.fn_critical_error']],
  ['unsent 6 days', { unsentCount: 40, firstUnsentAt: ago(6 * DAY), firstUnsentNumber: 11_000 }, ['fiscal.ofd_unsent_warning']],
  ['unsent 26 days', { unsentCount: 400, firstUnsentAt: ago(26 * DAY) }, ['fiscal.ofd_unsent_critical']],
  ['unsent 31 days', { unsentCount: 900, firstUnsentAt: ago(31 * DAY) }, ['fiscal.ofd_unsent_blocked']],
  ['OFD connection error', { ofdNetworkError: 2 }, ['fiscal.ofd_connection_error']],
  ['clock 10 min fast', { clockOffsetSeconds: 600 }, ['fiscal.clock_drift']],
  ['port busy (error 3)', { taskFaults: { getDeviceStatus: { error: 3 } } }, ['fiscal.port_busy']],
  ['no connection (error 2)', { taskFaults: { getDeviceStatus: { error: 2 } } }, ['fiscal.no_reply']],
  ['web server down', { serverDown: true }, ['fiscal.no_reply']],
  ['garbage answers', { garbage: 'bytes' }, ['fiscal.no_reply']],
  ['50 MB answers', { garbage: 'huge' }, ['fiscal.no_reply']],
  ['queue blocked by another client', { blockedQueue: true }, ['fiscal.queue_blocked']],
  ['own task blocked', { taskFaults: { getFnInfo: { blocked: true } } }, ['fiscal.queue_blocked']],
  ['slow queue', { taskDelayMs: 600 }, ['fiscal.queue_timeout']],
  ['FN expired error on a task (120)', { taskFaults: { getFnInfo: { error: 120 } } }, ['fiscal.fn_expired']],
];

describe('the atol driver probing the simulator (real HTTP)', () => {
  it('a healthy register: ok, identity and fiscal facts, seven structured exchanges', async () => {
    const s = await sim();
    const report = await probe(s);
    expect(report).toMatchObject({ health: 'ok', findings: [], evidence: { transport: 'http', target: s.baseUrl } });
    expect(report.identity).toMatchObject({ model: 'АТОЛ 30Ф (симулятор)', serial: '00106700000001', fnSerial: '9999078900001234', ffdVersion: '1.2' });
    expect(report.fiscal).toMatchObject({ shift: { state: 'open', openedAtSource: 'device' }, ofd: { unsentCount: 0 }, documentOpen: false });
    expect(report.evidence.exchanges.map((e) => [e.type, e.label, e.valid])).toEqual(
      ['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'getDeviceInfo', 'ismExchangeStatus'].map((t) => ['structured', t, true]),
    );
    expect(s.stats()).toMatchObject({ posts: 2, deletes: 0 });
  });

  it.each(FAULTS)('%s', async (_name, state, codes) => {
    const s = await sim({ state });
    await new Promise((resolve) => setTimeout(resolve, 20)); // serverDown closes the listener asynchronously
    const report = await probe(s);
    expect(report.findings.map((f) => f.code)).toEqual(codes);
    expect(report.health).not.toBe('ok');
    s.resetState();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cleared = await probe(s, { taskDeadlineMs: 3_000 });
    expect([cleared.health, cleared.findings]).toEqual(['ok', []]);
  });

  it('a document open: one status request, then nothing; health unknown', async () => {
    const s = await sim({ state: { documentOpen: true, paperPresent: false } });
    const report = await probe(s);
    expect(report).toMatchObject({ health: 'unknown', findings: [], fiscal: { documentOpen: true } });
    expect(s.log().tasks.map((t) => t.type)).toEqual(['getDeviceStatus']);
  });

  it('credentials and deviceID from the options', async () => {
    const s = await sim({ auth: { user: 'kassa', password: 'секрет' }, deviceIds: ['kkt-1'] });
    expect((await probe(s, { deviceId: 'kkt-1' })).findings[0]?.detail).toMatch(/HTTP 401.*user and password/);
    expect((await probe(s, { deviceId: 'kkt-1', deviceIdIn: 'query', user: 'kassa', password: 'секрет' })).health).toBe('ok');
  });
});

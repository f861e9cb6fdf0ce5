import { RegisterDetail, RegisterList, TicketDetail, TicketList, type FiscalFacts } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiCall, ENGINEER, enroll, login, onSecondConnection, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { finding, fiscalReport, healthMessage, helloMessage, printerReport } from '../test-support/device-reports';

// Ingest → forecast → API over the real server, a real SQLite file and a real agent socket: fiscal
// facts arrive in health reports (with and without findings), the console keeps them, computes the
// device's and the register's blocking date, shows them on the fleet, on every ticket of the
// register, and keeps fiscal tickets due before that date.

let test: TestConsole;
let cookie: string;
const agents: TestAgent[] = [];

beforeEach(async () => {
  test = await startTestConsole();
  cookie = await login(test.server.url, ENGINEER);
});

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await test.dispose();
  expect(test.logger.errors).toEqual([]);
});

const DAY = 86_400_000;
const nowMs = () => test.clock.now().getTime();
const inDays = (days: number) => new Date(nowMs() + days * DAY).toISOString();
let messageSeq = 0;

async function register(storeId: string, registerId: string): Promise<TestAgent> {
  const { credential } = await enroll(test, storeId, registerId);
  const agent = await TestAgent.connect(test.server.url, credential);
  agents.push(agent);
  await agent.request(helloMessage(`hello-${++messageSeq}`, []));
  return agent;
}

async function report(agent: TestAgent, fiscal: FiscalFacts, extra: Parameters<typeof fiscalReport>[0] = {}) {
  const ack = await agent.request(healthMessage(`h-${++messageSeq}`, [fiscalReport({ fiscal, ...extra })]));
  expect(ack.ok).toBe(true);
}

async function get<T>(route: string, schema: { parse: (value: unknown) => T }): Promise<T> {
  const { status, json } = await apiCall(test.server.url, 'GET', route, cookie);
  expect(status, JSON.stringify(json)).toBe(200);
  return schema.parse(json);
}

const registers = (query = '') => get(`/api/registers${query}`, RegisterList);
const registerDetail = (agentId: string) => get(`/api/registers/${agentId}`, RegisterDetail);
const tickets = async () => (await get('/api/tickets', TicketList)).tickets;
const detail = (id: number) => get(`/api/tickets/${id}`, TicketDetail);

describe('fiscal facts and the forecast on the fleet', () => {
  it('a report without findings stores the facts, the identity and the forecast; the register shows the earliest part', async () => {
    const agent = await register('msk-001', 'pos-1');
    await report(agent, {
      fn: { serial: '9999078900001234', validUntil: inDays(40), lastDocumentNumber: 4410, ffdVersion: '1.2' },
      ofd: { unsentCount: 12, firstUnsentNumber: 4399, firstUnsentAt: inDays(-10) },
      shift: { state: 'open', number: 77 },
    }, { identity: { model: 'АТОЛ 30Ф', serial: '00106712345678', firmware: '5.8.100', fnSerial: '9999078900001234', ffdVersion: '1.2' } });

    const [pos] = (await registers()).registers;
    expect(pos!.forecast).toEqual({ blockingAt: inDays(20), reason: 'ofd_lock', deviceId: 'kkt-1', daysLeft: 20 });
    expect(pos!.devices[0]!.identity?.model).toBe('АТОЛ 30Ф');
    // Lists stay light: a device's facts are in the register's detail.
    const raw = await apiCall(test.server.url, 'GET', '/api/registers', cookie);
    expect(Object.keys(raw.json.registers[0].devices[0])).not.toContain('fiscal');
    const detail = await registerDetail(pos!.agentId);
    expect(detail.forecast).toEqual(pos!.forecast);
    const device = detail.devices[0]!;
    expect(device.identity).toEqual({ model: 'АТОЛ 30Ф', serial: '00106712345678', firmware: '5.8.100', fnSerial: '9999078900001234', ffdVersion: '1.2' });
    expect(device.fiscal).toMatchObject({
      fn: { serial: '9999078900001234', validUntil: inDays(40), lastDocumentNumber: 4410, readAt: inDays(0) },
      ofd: { unsentCount: 12, firstUnsentNumber: 4399, firstUnsentAt: inDays(-10) },
      shift: { state: 'open', number: 77, openedAt: null },
    });
    expect(device.fiscal!.forecast.parts.map((part) => [part.reason, part.at])).toEqual([['ofd_lock', inDays(20)], ['fn_validity', inDays(40)]]);
    expect(device.fiscal!.forecast.notes).toEqual([{ code: 'no_rate', since: inDays(0) }]);
  });

  it('the document rate comes from readings hours apart, and a new FN resets it', async () => {
    const agent = await register('msk-001', 'pos-1');
    const validUntil = inDays(400);
    await report(agent, { fn: { serial: 'FN-A', validUntil, lastDocumentNumber: 238_000 } });
    test.clock.advanceSeconds(10 * 3600);
    await report(agent, { fn: { serial: 'FN-A', validUntil, lastDocumentNumber: 240_000 } });
    // 2,000 documents in 10 h: 4,800 a day; 10,000 left: 50 h.
    let [pos] = (await registers()).registers;
    expect(pos!.forecast).toMatchObject({ reason: 'archive_full', blockingAt: new Date(nowMs() + 50 * 3_600_000).toISOString() });
    let detail = await registerDetail(pos!.agentId);
    expect(detail.devices[0]!.fiscal!.forecast.parts[0]).toMatchObject({ reason: 'archive_full', documentsPerDay: 4800, referenceNumber: 238_000 });

    test.clock.advanceSeconds(3600);
    await report(agent, { fn: { serial: 'FN-B', validUntil: inDays(470), lastDocumentNumber: 3 } });
    [pos] = (await registers()).registers;
    expect(pos!.forecast).toMatchObject({ reason: 'fn_validity', blockingAt: inDays(470) });
    detail = await registerDetail(pos!.agentId);
    expect(detail.devices[0]!.fiscal!.forecast.notes).toEqual([{ code: 'no_rate', since: inDays(0) }]);
    const stored = await onSecondConnection(test.dataDir, (sql) => sql.get('SELECT rate_ref_serial, rate_ref_number FROM fiscal_states'));
    expect(stored).toEqual({ rate_ref_serial: 'FN-B', rate_ref_number: 3 });
  });

  it('filters by "blocked within N days" and sorts by blocking date, paging by cursor', async () => {
    const soon = await register('msk-002', 'pos-1');
    const later = await register('msk-001', 'pos-2');
    const far = await register('msk-001', 'pos-1');
    const none = await register('msk-003', 'pos-1'); // no fiscal register
    await none.request(healthMessage(`h-${++messageSeq}`, [printerReport()]));
    await report(soon, { fn: { validUntil: inDays(3) } });
    await report(later, { fn: { validUntil: inDays(25) } });
    await report(far, { fn: { validUntil: inDays(200) } });

    const within30 = await registers('?blockingWithinDays=30');
    expect(within30.registers.map((r) => `${r.storeId}/${r.registerId}`)).toEqual(['msk-001/pos-2', 'msk-002/pos-1']);
    expect(within30.total).toBe(2);

    const first = await registers('?sort=blocking&limit=2');
    expect(first.registers.map((r) => r.forecast?.daysLeft)).toEqual([3, 25]);
    expect(first.total).toBe(3);
    expect(first.nextCursor).toBe(`${inDays(25)}~msk-001/pos-2`);
    const second = await registers(`?sort=blocking&limit=2&after=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.registers.map((r) => `${r.storeId}/${r.registerId}`)).toEqual(['msk-001/pos-1']);
    expect(second.nextCursor).toBeNull();

    const page = await registers('?sort=blocking&blockingWithinDays=30&limit=1');
    expect(page.registers.map((r) => r.registerId)).toEqual(['pos-1']);
    const next = await registers(`?sort=blocking&blockingWithinDays=30&limit=1&after=${encodeURIComponent(page.nextCursor!)}`);
    expect(next.registers.map((r) => `${r.storeId}/${r.registerId}`)).toEqual(['msk-001/pos-2']);
    expect(next.nextCursor).toBeNull();

    const printerOnly = (await registers('?storeId=msk-003')).registers[0]!;
    expect(printerOnly.forecast).toBeNull();
    expect((await registerDetail(printerOnly.agentId)).devices.map((device) => device.fiscal)).toEqual([null]);
    expect((await apiCall(test.server.url, 'GET', '/api/registers/agt_unknown', cookie)).status).toBe(404);
  });
});

describe('fiscal deadlines', () => {
  it('every ticket of the register shows its blocking date; a fiscal ticket is due before it and raised to P1', async () => {
    const agent = await register('msk-001', 'pos-1');
    // 29 days unsent: the lock is 1 day away, the margin is 1 day: due now.
    await agent.request(healthMessage('h-fiscal', [
      fiscalReport({ fiscal: { fn: { validUntil: inDays(100) }, ofd: { unsentCount: 4, firstUnsentAt: inDays(-29) } }, findings: [finding('fiscal.ofd_unsent_critical')] }),
      printerReport({ findings: [finding('printer.paper_end')] }),
    ]));
    const list = await tickets();
    const fiscalTicket = list.find((t) => t.code === 'fiscal.ofd_unsent_critical')!;
    const printerTicket = list.find((t) => t.code === 'printer.paper_end')!;
    expect(fiscalTicket).toMatchObject({ priority: 1, resolveBy: inDays(0), blockingAt: inDays(1) });
    expect(printerTicket).toMatchObject({ priority: 2, blockingAt: inDays(1) }); // not fiscal: the rule leaves it alone
    const fiscalDetail = await detail(fiscalTicket.id);
    expect(fiscalDetail.registerForecast).toEqual({ blockingAt: inDays(1), reason: 'ofd_lock', deviceId: 'kkt-1', daysLeft: 1 });
    expect(fiscalDetail.timeline.map((event) => event.kind)).toEqual(['opened', 'deadline_changed']);
    expect(fiscalDetail.timeline[1]!.text).toContain('priority P2 → P1');
    expect((await detail(printerTicket.id)).registerForecast).toMatchObject({ reason: 'ofd_lock' });
  });

  it('the sweep raises priority as the date nears without reports; a second sweep changes nothing', async () => {
    const agent = await register('msk-001', 'pos-1');
    await report(agent, { fn: { validUntil: inDays(10) } }, { findings: [finding('fiscal.fn_expires_30d')] });
    const [ticket] = await tickets();
    expect(ticket).toMatchObject({ code: 'fiscal.fn_expires_30d', priority: 3 }); // minor: P3, and ≤ 30 days: P3
    const slaDue = ticket!.resolveBy;

    test.clock.advanceSeconds(3.5 * 86_400); // 6.5 days left
    cookie = await login(test.server.url, ENGINEER); // sessions last 12 h
    expect(await test.server.sweepFiscalDeadlines()).toBe(1);
    const raised = await detail(ticket!.id);
    expect(raised).toMatchObject({ priority: 2, resolveBy: slaDue });
    expect(raised.timeline.at(-1)).toMatchObject({ kind: 'deadline_changed', actor: null });
    expect(await test.server.sweepFiscalDeadlines()).toBe(0);

    test.clock.advanceSeconds(4 * 86_400); // 2.5 days left
    cookie = await login(test.server.url, ENGINEER);
    expect(await test.server.sweepFiscalDeadlines()).toBe(1);
    expect((await detail(ticket!.id)).priority).toBe(1);
  });

  it('never below the catalogue\'s priority; a new FN gives the catalogue\'s priority back', async () => {
    const agent = await register('msk-001', 'pos-1');
    await report(agent, { fn: { serial: 'FN-A', validUntil: inDays(200) }, shift: { state: 'expired' } }, { findings: [finding('fiscal.shift_expired'), finding('fiscal.fn_archive_90')] });
    let list = await tickets();
    expect(list.find((t) => t.code === 'fiscal.shift_expired')!.priority).toBe(1); // critical: P1 whatever the date
    expect(list.find((t) => t.code === 'fiscal.fn_archive_90')!.priority).toBe(1); // minor, but the register is blocked now

    await report(agent, { fn: { serial: 'FN-B', validUntil: inDays(470) }, shift: { state: 'closed' } }, { findings: [finding('fiscal.fn_archive_90')] });
    list = await tickets();
    const archive = list.find((t) => t.code === 'fiscal.fn_archive_90')!;
    expect(archive).toMatchObject({ priority: 3, blockingAt: inDays(470) });
  });
});

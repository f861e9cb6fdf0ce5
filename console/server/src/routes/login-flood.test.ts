import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST } from '../auth/passwords';
import { apiCall, ENGINEER, enroll, login, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { httpJson, type HttpAnswer } from '../test-support/http-from';

let test: TestConsole | undefined;
let agent: TestAgent | undefined;
afterEach(async () => {
  agent?.close();
  await test?.dispose();
  test = agent = undefined;
});

const THREADS = 1;
const MAX_QUEUE = 15;
const LOGINS = 48;

describe('a login flood does not stall the console', () => {
  it('answers the register list and acks an agent report while hashed logins still wait, and sheds the excess with 503 busy', async () => {
    // Full-strength hashes: the flood must still be hashing while the other requests are answered.
    test = await startTestConsole({ passwordHashing: { threads: THREADS, maxQueue: MAX_QUEUE, scryptCost: DEFAULT_SCRYPT_COST } });
    const { url } = test.server;
    const cookie = await login(url, ENGINEER);
    agent = await TestAgent.connect(url, (await enroll(test, 'store-1', 'till-1')).credential);
    await agent.request(helloMessage('hello-1'));

    // Unknown users, each from its own address, so no login limit refuses them: only hashing can.
    let hashedDone = 0;
    let firstHashed!: () => void;
    const hashing = new Promise<void>((resolve) => (firstHashed = resolve));
    const logins = Array.from({ length: LOGINS }, (_, i) =>
      httpJson(url, 'POST', '/api/auth/login', { username: `ghost-${i}`, password: 'whatever-1' }, { from: `127.0.2.${i + 1}` }).then((answer) => {
        if (answer.status === 401) {
          hashedDone += 1;
          firstHashed();
        }
        return answer;
      }),
    );
    await hashing; // the pool is busy now, and every other login is queued or already refused

    const registers = apiCall(url, 'GET', '/api/registers', cookie).then((answer) => ({ answer, hashedDone }));
    const report = agent.request(healthMessage('health-1', [printerReport({ findings: [PAPER_END] })])).then((ack) => ({ ack, hashedDone }));
    const answers: HttpAnswer[] = await Promise.all(logins);

    const hashed = answers.filter((answer) => answer.status === 401).length;
    const shed = answers.filter((answer) => answer.status === 503);
    expect(hashed + shed.length).toBe(LOGINS);
    expect(shed.length).toBeGreaterThan(0);
    expect(test.server.passwordHashingStats()).toMatchObject({ inFlight: 0, capacity: THREADS + MAX_QUEUE, refused: shed.length });
    for (const answer of shed) {
      expect(answer.json).toMatchObject({ ok: false, code: 'busy' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Ordering, not timing: the engineer's read and the agent's report were done while more than
    // half of the hashed logins were still waiting for the hashing thread.
    const list = await registers;
    expect(list.answer.status).toBe(200);
    expect(list.answer.json.registers).toHaveLength(1);
    expect(list.hashedDone).toBeLessThan(hashed / 2);
    const acked = await report;
    expect(acked.ack).toEqual({ ackOf: 'health-1', ok: true });
    expect(acked.hashedDone).toBeLessThan(hashed / 2);
    const tickets = await apiCall(url, 'GET', '/api/tickets', cookie);
    expect(tickets.json.tickets.map((ticket: { code: string }) => ticket.code)).toEqual(['printer.paper_end']);
    // Shed attempts are not failures: a real user logs in right after the flood.
    expect((await httpJson(url, 'POST', '/api/auth/login', ENGINEER, { from: '127.0.2.1' })).status).toBe(200);
  });
});

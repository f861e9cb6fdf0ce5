import { ErrorBody } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { enroll, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { helloMessage } from '../test-support/device-reports';
import { UpgradeAdmission } from './upgrade-admission';

function manualMs(start = 1_000_000) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

describe('UpgradeAdmission', () => {
  it('admits every upgrade that comes within the rate, burst first', () => {
    const clock = manualMs();
    const admission = new UpgradeAdmission({ ratePerSec: 100, burst: 20 }, clock.now);
    for (let index = 0; index < 20; index += 1) expect(admission.admit()).toEqual({ admitted: true });
    for (let index = 0; index < 5_000; index += 1) {
      clock.ms += 10; // exactly the rate
      expect(admission.admit()).toEqual({ admitted: true });
    }
  });

  it('spreads a backlog over backlog / rate seconds with jitter, never below 1 s or above the cap', () => {
    const clock = manualMs();
    const rate = 50;
    const answers = (random: () => number, backlog = 2_000) => {
      const admission = new UpgradeAdmission({ ratePerSec: rate, burst: rate, maxRetryAfterSec: 60 }, clock.now, random);
      for (let index = 0; index < rate; index += 1) admission.admit();
      return Array.from({ length: backlog }, () => admission.admit()).map((answer) => (answer.admitted ? 0 : answer.retryAfterSec));
    };
    for (const random of [() => 0, () => 0.5, () => 0.999_999]) {
      const retryAfter = answers(random);
      expect(retryAfter.every((seconds) => Number.isInteger(seconds) && seconds >= 1 && seconds <= 60)).toBe(true);
      // The i-th refused upgrade comes back about i / rate seconds later: at most one second early or late.
      retryAfter.forEach((seconds, index) => expect(Math.abs(seconds - (index + 1) / rate)).toBeLessThanOrEqual(1));
      // So no second gets more than about `rate` returns.
      const perSecond = new Map<number, number>();
      for (const seconds of retryAfter) perSecond.set(seconds, (perSecond.get(seconds) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2 * rate);
    }
    // A backlog past the cap (an attack, or a storm far beyond capacity) is told the cap, not more.
    const capped = answers(() => 0.5, 5_000);
    expect(Math.max(...capped)).toBe(60);
    expect(capped.filter((seconds) => seconds === 60).length).toBeGreaterThan(1_000);
  });
});

let test: TestConsole | undefined;
afterEach(async () => {
  await test?.dispose();
  test = undefined;
});

/** Opens /ws/agent; resolves with the refusal (status, Retry-After, body) or 'open'. */
function tryUpgrade(url: string, credential: string): Promise<'open' | { status: number; retryAfter: string | undefined; body: ErrorBody }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${credential}` }, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        retryAfter: response.headers['retry-after'],
        body: ErrorBody.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))),
      }));
    });
    socket.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

describe('/ws/agent admission', () => {
  it('answers 503 + Retry-After above the rate, before checking the credential, and never within the rate', async () => {
    test = await startTestConsole({ agentAdmission: { ratePerSec: 2, burst: 2 } });
    const { credential } = await enroll(test, 'store-1', 'till-1');
    expect(await tryUpgrade(test.server.url, credential)).toBe('open');
    expect(await tryUpgrade(test.server.url, credential)).toBe('open');

    const refused = await tryUpgrade(test.server.url, credential);
    expect(refused).toMatchObject({ status: 503, body: { ok: false, code: 'busy' } });
    expect(Number((refused as { retryAfter: string }).retryAfter)).toBeGreaterThanOrEqual(1);
    // No authentication work above the rate: a wrong credential gets the same 503, not a 401.
    expect(await tryUpgrade(test.server.url, 'agt_nobody.wrong')).toMatchObject({ status: 503 });

    // The domain clock drives the bucket; time moves only when the test says so.
    for (let index = 0; index < 10; index += 1) {
      test.clock.advanceSeconds(0.5);
      expect(await tryUpgrade(test.server.url, credential)).toBe('open');
    }
    const agent = await (async () => {
      test.clock.advanceSeconds(0.5);
      return TestAgent.connect(test.server.url, credential);
    })();
    expect(await agent.request(helloMessage('h-1'))).toEqual({ ackOf: 'h-1', ok: true });
    agent.close();
  });
});

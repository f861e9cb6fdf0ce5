import { KpiReport } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiCall, ENGINEER, enroll, login, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { finding, healthMessage, helloMessage, printerReport } from '../test-support/device-reports';

// Fault-to-ticket time through the real ingest path with the shipped noise settings: a cover-open
// fault holds 120 s before its ticket opens, whether the next report or the hold sweep opens it;
// the KPI shows the hold the console really applied, from its first sighting of the fault.

const COVER = finding('printer.cover_open', 'DLE EOT 2: cover open');
let test: TestConsole;
let agent: TestAgent;
let seq = 0;

beforeEach(async () => {
  test = await startTestConsole({ noise: {} });
  const { credential } = await enroll(test, 'store-7', 'till-2');
  agent = await TestAgent.connect(test.server.url, credential);
  expect(await agent.request(helloMessage('hello-1'))).toMatchObject({ ok: true });
});

afterEach(async () => {
  agent.close();
  await test.dispose();
  expect(test.logger.errors).toEqual([]);
});

async function report(findings = [COVER]): Promise<void> {
  seq += 1;
  expect(await agent.request(healthMessage(`h-${seq}`, [printerReport({ findings })]))).toMatchObject({ ok: true });
}

async function faultToTicket(from: string, to: string) {
  const cookie = await login(test.server.url, ENGINEER);
  const { json } = await apiCall(test.server.url, 'GET', `/api/kpi?from=${from}&to=${to}`, cookie);
  return KpiReport.parse(json).buckets.map((bucket) => bucket.faultToTicket);
}

describe('fault-to-ticket time', () => {
  it('is the hold from the first sighting: 130 s when the next report opens it, 125 s when the sweep does', async () => {
    await report(); // first seen 2026-11-22T10:00:00Z
    test.clock.advanceSeconds(60);
    await report(); // still held
    test.clock.advanceSeconds(70);
    await report(); // 130 s after the first sighting: the ticket opens
    await report([]); // the cover is closed: the ticket resolves itself

    test.clock.advanceSeconds(4 * 86_400); // another day, past the reopen window
    await report();
    test.clock.advanceSeconds(125);
    expect(await test.server.sweepHeldFindings()).toEqual({ opened: 1, settled: 0 });

    expect(await faultToTicket('2026-11-22', '2026-11-26')).toEqual([
      { count: 1, meanSec: 130, p90Sec: 130, metShare: null },
      ...Array.from({ length: 3 }, () => ({ count: 0, meanSec: null, p90Sec: null, metShare: null })),
      { count: 1, meanSec: 125, p90Sec: 125, metShare: null },
    ]);
  });
});

import { RegisterDetail, RegisterList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { apiCall, ENGINEER, login, registerFlowForEachTest, type TestAgent, type TestConsole } from '../test-support/console-harness';
import { finding, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { countEpisodes } from './printer-views';

let test: TestConsole;
let cookie: string;
let agent: TestAgent;

registerFlowForEachTest((flow) => ({ test, cookie, agent } = flow));

async function registerDetail(): Promise<RegisterDetail> {
  cookie = await login(test.server.url, ENGINEER); // the tests move the clock past a session's life
  const [summary] = RegisterList.parse((await apiCall(test.server.url, 'GET', '/api/registers', cookie)).json).registers;
  return RegisterDetail.parse((await apiCall(test.server.url, 'GET', `/api/registers/${summary!.agentId}`, cookie)).json);
}

describe('register detail: printer facts and paper supply', () => {
  it('shows the facts of the printer\'s latest stored report', async () => {
    const printer = {
      statusSupport: [{ request: 'DLE EOT 1', answers: true }, { request: 'DLE EOT 2', answers: false }],
      counters: [{ name: 'cuts', value: 15230, unit: 'count' as const, source: 'GS g 2 n=50' }],
      queue: { system: 'cups' as const, queue: 'tm20', jobCount: 0, printing: false },
    };
    await agent.request(healthMessage('h-1', [{ ...printerReport(), printer }]));
    const [device] = (await registerDetail()).devices;
    expect(device!.printer).toEqual({ facts: printer, reportedAt: '2026-11-22T10:00:00.000Z' });
  });

  it('counts the times paper ran near end or out in 30 days, one time per hour-long episode', async () => {
    expect((await registerDetail()).paperSupply).toEqual({ times: 0, days: 30 });
    const nearEnd = finding('printer.paper_near_end', 'DLE EOT 4 = 0x1e');
    // Episode 1: near end, then out ten minutes later (two tickets, one time).
    await agent.request(healthMessage('h-1', [printerReport({ findings: [nearEnd] })]));
    test.clock.advanceSeconds(600);
    await agent.request(healthMessage('h-2', [printerReport({ findings: [PAPER_END] })]));
    test.clock.advanceSeconds(60);
    await agent.request(healthMessage('h-3', [printerReport()]));
    // Episode 2, a day later: near end again (its ticket reopens, within the reopen days; the history counts a second time).
    test.clock.advanceSeconds(86_400);
    await agent.request(healthMessage('h-4', [printerReport({ findings: [nearEnd] })]));
    await agent.request(healthMessage('h-5', [printerReport()]));
    expect((await registerDetail()).paperSupply).toEqual({ times: 2, days: 30 });
    // 31 days on, both have left the window.
    test.clock.advanceSeconds(31 * 86_400);
    expect((await registerDetail()).paperSupply).toEqual({ times: 0, days: 30 });
  });

  it('countEpisodes merges times closer than an hour', () => {
    const h = 3_600_000;
    expect(countEpisodes([])).toBe(0);
    expect(countEpisodes([0, 0.5 * h, 1.2 * h, 3 * h])).toBe(2);
  });
});

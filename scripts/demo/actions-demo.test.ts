import { AuditPage, StoreActionBlockList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, consoleForEachTest, ENGINEER, enroll, login, TestAgent } from '../../console/server/src/test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../../console/server/src/test-support/device-reports';
import { runActionsDemo } from './actions-demo';
import { logIn } from './console-api';

// The demo's remote actions against a real console: what it asks lands in the audit log in the
// states the console gives them (the test agent answers nothing, so sent ones stay sent).
describe('the demo\'s remote actions', () => {
  const served = consoleForEachTest();

  it('asks from a connected register\'s tickets, queues one for an offline register, and turns the restart off in one store', async () => {
    const online = await enroll(served.test, 'msk-001', 'pos-1');
    const agent = await TestAgent.connect(served.url, online.credential);
    await agent.request(helloMessage('hello-1'));
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await enroll(served.test, 'msk-002', 'pos-9'); // enrolled, never connected

    const demo = await runActionsDemo(await logIn(served.url, ENGINEER), await logIn(served.url, ADMIN), { blockedStoreId: 'msk-002' });
    const cookie = await login(served.url, ENGINEER);
    const audit = AuditPage.parse((await apiCall(served.url, 'GET', '/api/audit', cookie)).json);
    expect(audit.actions.map((a) => [a.verb, a.storeId, a.state]).sort()).toEqual([
      ['collect_bundle', 'msk-001', 'sent'], ['probe_now', 'msk-001', 'sent'], ['probe_now', 'msk-002', 'queued'], ['test_print', 'msk-001', 'sent'],
    ]);
    expect(demo.commandIds).toHaveLength(4);
    expect(demo.lines.at(-1)).toBe('restart_print_service turned off in store msk-002 (Сервис → Действия)');
    const stores = StoreActionBlockList.parse((await apiCall(served.url, 'GET', '/api/actions/stores', cookie)).json).stores;
    expect(stores.find((s) => s.storeId === 'msk-002')?.disabled).toEqual(['restart_print_service']);
    agent.close();
  });
});

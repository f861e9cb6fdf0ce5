import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../console/renderer/src/api/client';
import { ADMIN, ENGINEER, TestAgent, enroll, login, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { finding, healthMessage, helloMessage, printerReport } from '../../console/server/src/test-support/device-reports';
import { startHttpSink, type HttpSink } from '../../console/server/src/test-support/notify-sinks';

// The renderer's notification client against the real console server: what the admin page sends is
// what the server takes, what it reads passes the shared schemas, and a delivery that failed can be
// retried from it once the receiver is back.

let test: TestConsole | undefined;
let sink: HttpSink | undefined;
let agent: TestAgent | undefined;
afterEach(async () => {
  agent?.close();
  await test?.dispose();
  await sink?.close();
  test = sink = agent = undefined;
});

async function clientAs(url: string, user: { username: string; password: string }): Promise<ApiClient> {
  const cookie = await login(url, user);
  return new ApiClient({ fetch: (input, init) => fetch(`${url}${input}`, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }) });
}

describe('the notification client against the console server', () => {
  it('sets up a channel and a rule, sees a failed delivery, retries it once the receiver is back', async () => {
    sink = await startHttpSink();
    sink.answer = 503;
    test = await startTestConsole({ notify: { settleMs: 0, retry: { maxAttempts: 1 } } });
    const url = test.server.url;
    const admin = await clientAs(url, ADMIN);
    const channel = await admin.saveNotifyChannel(null, { kind: 'webhook', name: 'Дежурные', config: { url: `${sink.url}/hook` }, secret: 'signing-secret-123' });
    expect(channel.secret).toEqual({ set: true, last4: '-123' });
    const renamed = await admin.saveNotifyChannel(channel.id, { kind: 'webhook', name: 'On duty', config: { url: `${sink.url}/hook` } });
    expect(renamed).toMatchObject({ name: 'On duty', secret: { set: true, last4: '-123' } });
    const rule = await admin.saveNotifyRule(null, { channelId: channel.id, group: null, triggers: ['p1_opened'], quiet: { from: '22:00', to: '08:00', timeZone: 'Europe/Moscow' } });
    expect(rule.quiet).toEqual({ from: '22:00', to: '08:00', timeZone: 'Europe/Moscow', p1Overrides: true });
    expect((await admin.notifyRules()).rules).toEqual([rule]);

    const { credential } = await enroll(test, 'msk-001', 'pos-1');
    agent = await TestAgent.connect(url, credential);
    await agent.request(helloMessage('hello-1'));
    await agent.request(healthMessage('h-1', [printerReport({ findings: [finding('printer.no_reply', 'no answer on USB')] })]));
    await test.server.sweepNotifications();
    const failed = await admin.notifyDeliveries({ status: 'failed' });
    expect(failed.deliveries).toMatchObject([{ channelName: 'On duty', status: 'failed', attempts: 1, lastError: 'webhook answered HTTP 503' }]);

    sink.answer = 200;
    await admin.retryNotifyDelivery(failed.deliveries[0]!.id);
    expect(await test.server.sweepNotifications()).toMatchObject({ sent: 1 });
    expect((await admin.notifyDeliveries()).counts).toEqual([{ channelId: channel.id, status: 'sent', count: 1 }]);

    const engineer = await clientAs(url, ENGINEER);
    await expect(engineer.notifyChannels()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });
});

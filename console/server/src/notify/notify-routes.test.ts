import { ChannelList, DeliveryList, ErrorBody, NotifyChannel, NotifyRule, RuleList } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ENGINEER, TestAgent, apiCall, enroll, login, startTestConsole, type TestConsole } from '../test-support/console-harness';
import { finding, healthMessage, helloMessage, printerReport } from '../test-support/device-reports';
import { startFakeTelegram, type HttpSink } from '../test-support/notify-sinks';

// /api/notify through the real HTTP server on a SQLite file, and a real agent's report reaching a
// fake Telegram Bot API through the console's own sweep.

let test: TestConsole | undefined;
let telegram: HttpSink | undefined;
let agent: TestAgent | undefined;
afterEach(async () => {
  agent?.close();
  await test?.dispose();
  await telegram?.close();
  expect(test?.logger.errors ?? []).toEqual([]);
  test = telegram = agent = undefined;
});

const TOKEN = '123456:AAH-secret-bot-token-xyz';

async function start() {
  telegram = await startFakeTelegram();
  test = await startTestConsole({ notify: { settleMs: 0, senderOptions: { telegram: { apiRoot: telegram.url } }, consoleUrl: 'https://support.example.ru' } });
  const url = test.server.url;
  const admin = await login(url, ADMIN);
  const call = (method: string, route: string, body?: unknown, cookie = admin) => apiCall(url, method, route, cookie, body);
  return { test, telegram, call, url };
}

const telegramChannel = { kind: 'telegram', name: 'Дежурные / On duty', config: { chatId: '-100500' }, secret: TOKEN };

describe('/api/notify', () => {
  it('admins only: an engineer gets 403 on every route', async () => {
    const { call, url } = await start();
    const engineer = await login(url, ENGINEER);
    for (const [method, route] of [['GET', '/api/notify/channels'], ['GET', '/api/notify/rules'], ['GET', '/api/notify/deliveries'], ['POST', '/api/notify/channels']] as const) {
      const answer = await call(method, route, method === 'POST' ? telegramChannel : undefined, engineer);
      expect([route, answer.status, ErrorBody.parse(answer.json).code]).toEqual([route, 403, 'forbidden']);
    }
  });

  it('a channel\'s secret goes in and never comes back in full; PUT without one keeps it', async () => {
    const { call } = await start();
    const created = await call('POST', '/api/notify/channels', telegramChannel);
    expect(created.status).toBe(201);
    const channel = NotifyChannel.parse(created.json);
    expect(channel).toMatchObject({ kind: 'telegram', enabled: true, perMinute: 20, secret: { set: true, last4: '-xyz' } });
    const listed = await call('GET', '/api/notify/channels');
    for (const answer of [created, listed]) expect(JSON.stringify(answer.json)).not.toContain('AAH-secret');
    expect(ChannelList.parse(listed.json).channels).toEqual([channel]);
    const renamed = await call('PUT', `/api/notify/channels/${channel.id}`, { ...telegramChannel, secret: undefined, name: 'Ночь / Night' });
    expect(NotifyChannel.parse(renamed.json)).toMatchObject({ name: 'Ночь / Night', secret: { set: true, last4: '-xyz' } });
    const short = await call('PUT', `/api/notify/channels/${channel.id}`, { ...telegramChannel, secret: 'short' });
    expect(NotifyChannel.parse(short.json).secret).toEqual({ set: true, last4: null });
  });

  it('bad input: clear errors with stable codes, nothing stored', async () => {
    const { call } = await start();
    const badUrl = await call('POST', '/api/notify/channels', { kind: 'webhook', name: 'x', config: { url: 'file:///etc/passwd' } });
    expect([badUrl.status, ErrorBody.parse(badUrl.json).issues?.[0]?.path]).toEqual([400, 'config.url']);
    const badChat = await call('POST', '/api/notify/channels', { ...telegramChannel, config: { chatId: 'anyone' } });
    expect(badChat.status).toBe(400);
    const { id } = NotifyChannel.parse((await call('POST', '/api/notify/channels', telegramChannel)).json);
    const kindChange = await call('PUT', `/api/notify/channels/${id}`, { kind: 'webhook', name: 'x', config: { url: 'https://example.ru/hook' } });
    expect([kindChange.status, ErrorBody.parse(kindChange.json).code]).toEqual([400, 'bad_request']);
    const zone = await call('POST', '/api/notify/rules', { channelId: id, group: null, triggers: ['p1_opened'], quiet: { from: '22:00', to: '08:00', timeZone: 'Mars/Olympus' } });
    expect([zone.status, ErrorBody.parse(zone.json).message]).toEqual([400, 'unknown time zone Mars/Olympus']);
    const noChannel = await call('POST', '/api/notify/rules', { channelId: 999, group: null, triggers: ['p1_opened'] });
    expect([noChannel.status, ErrorBody.parse(noChannel.json).message]).toEqual([400, 'no channel 999']);
    const noGroup = await call('POST', '/api/notify/rules', { channelId: id, group: 'bakery', triggers: ['p1_opened'] });
    expect(noGroup.status).toBe(400);
    const noTrigger = await call('POST', '/api/notify/rules', { channelId: id, group: null, triggers: [] });
    expect(noTrigger.status).toBe(400);
    expect(RuleList.parse((await call('GET', '/api/notify/rules')).json).rules).toEqual([]);
    expect((await call('DELETE', '/api/notify/rules/77')).status).toBe(404);
    expect((await call('POST', '/api/notify/deliveries/5/retry')).status).toBe(404);
  });

  it('a real agent\'s P1 reaches the fake Telegram API through the console\'s sweep; admins see it delivered', async () => {
    const { call, test: t, telegram: api } = await start();
    const { id: channelId } = NotifyChannel.parse((await call('POST', '/api/notify/channels', telegramChannel)).json);
    const rule = await call('POST', '/api/notify/rules', { channelId, group: 'printers', triggers: ['p1_opened', 'escalated'] });
    expect(NotifyRule.parse(rule.json)).toMatchObject({ group: 'printers', quiet: null, enabled: true });
    const { credential } = await enroll(t, 'store-7', 'till-2');
    agent = await TestAgent.connect(t.server.url, credential);
    await agent.request(helloMessage('hello-1'));
    await agent.request(healthMessage('h-1', [printerReport({ findings: [finding('printer.no_reply', 'no answer on USB')] })]));
    expect(await t.server.sweepNotifications()).toMatchObject({ queued: 1, sent: 1 });
    expect(api.received.map((r) => r.path)).toEqual([`/bot${TOKEN}/sendMessage`]);
    const text = (JSON.parse(api.received[0]!.raw) as { text: string }).text;
    expect(text).toContain('магазин store-7, касса till-2');
    const { deliveries, counts } = DeliveryList.parse((await call('GET', '/api/notify/deliveries')).json);
    expect(deliveries).toMatchObject([{ channelId, channelKind: 'telegram', trigger: 'p1_opened', status: 'sent', attempts: 1, lastError: null }]);
    expect(counts).toEqual([{ channelId, status: 'sent', count: 1 }]);
    const retried = await call('POST', `/api/notify/deliveries/${deliveries[0]!.id}/retry`);
    expect([retried.status, ErrorBody.parse(retried.json).code]).toEqual([409, 'conflict']);
  });
});

import { FeedMessage } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ENGINEER, enroll, eventually, login, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';

let test: TestConsole;
beforeEach(async () => {
  test = await startTestConsole({ allowedOrigins: ['app://tillscope'] });
});
afterEach(() => test.dispose());

function openFeed(headers: Record<string, string>): Promise<{ socket: WebSocket; messages: FeedMessage[] }> {
  const socket = new WebSocket(`${test.server.url.replace('http', 'ws')}/ws/feed`, { headers });
  const messages: FeedMessage[] = [];
  socket.on('message', (data) => messages.push(FeedMessage.parse(JSON.parse(String(data)))));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

describe('/ws/feed', () => {
  it('pushes ticket and register changes to a logged-in client', async () => {
    const cookie = await login(test.server.url, ENGINEER);
    const feed = await openFeed({ cookie, origin: test.server.url });
    const agent = await TestAgent.connect(test.server.url, (await enroll(test, 'store-1', 'till-1')).credential);
    await agent.request(helloMessage('h-0'));
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    await eventually(async () => feed.messages, (messages) => messages.some((m) => m.type === 'ticket'));
    const ticket = feed.messages.find((m) => m.type === 'ticket');
    expect(ticket?.payload).toMatchObject({ code: 'printer.paper_end', status: 'open', storeId: 'store-1' });
    expect(feed.messages.some((m) => m.type === 'register' && m.payload.registerId === 'till-1' && m.payload.connected)).toBe(true);
    agent.close();
    feed.socket.close();
  });

  it('refuses an upgrade without a session', async () => {
    await expect(openFeed({})).rejects.toThrow('upgrade refused: 401');
    await expect(openFeed({ cookie: 'tillscope_session=forged' })).rejects.toThrow('upgrade refused: 401');
  });

  it('refuses a foreign origin even with a valid session, and allows configured ones', async () => {
    const cookie = await login(test.server.url, ENGINEER);
    await expect(openFeed({ cookie, origin: 'https://evil.example' })).rejects.toThrow('upgrade refused: 403');
    const allowed = await openFeed({ cookie, origin: 'app://tillscope' });
    allowed.socket.close();
  });
});

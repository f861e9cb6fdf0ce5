import { MAX_FRAME_BYTES } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PassThrough } from 'node:stream';
import { FailureRateLimiter } from '../auth/rate-limiter';
import { enroll, onSecondConnection, recordingLogger, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { healthMessage, helloMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { AgentGateway, CLOSE_INVALID_PAYLOAD, CLOSE_REPLACED } from './agent-gateway';
import { DEFAULT_AGENT_SEND_LIMITS } from './agent-socket-flow';
import { UpgradeAdmission } from './upgrade-admission';

let test: TestConsole;
let bystander: TestAgent;
let bystanderCredential: string;
let victimCredential: string;

beforeEach(async () => {
  test = await startTestConsole();
  bystanderCredential = (await enroll(test, 'store-1', 'till-1')).credential;
  victimCredential = (await enroll(test, 'store-1', 'till-2')).credential;
  bystander = await TestAgent.connect(test.server.url, bystanderCredential);
  await bystander.request(helloMessage('b-hello'));
});

afterEach(async () => {
  bystander.close();
  await test.dispose();
});

/** The other agent is still served: a full request/ack round trip with a real effect. */
async function expectBystanderServed(id: string) {
  expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
  expect(await bystander.request(healthMessage(id, [printerReport()]))).toEqual({ ackOf: id, ok: true });
}

describe('agent socket authentication', () => {
  it.each([
    ['a wrong secret', () => `${victimCredential.split('.')[0]}.not-the-secret`],
    ['an unknown agent', () => 'agt_nobody.secret'],
    ['no credential', () => ''],
  ])('refuses %s with HTTP 401 and keeps other agents working', async (_name, credential) => {
    await expect(TestAgent.connect(test.server.url, credential())).rejects.toThrow('upgrade refused: 401');
    await expectBystanderServed('b-1');
  });

  it('refuses wrong credentials from one address with 429 after 30, but still accepts the valid agents behind it', async () => {
    // A store's registers share one NAT address: a broken neighbour must not lock them out.
    for (let attempt = 0; attempt < 30; attempt += 1) {
      await expect(TestAgent.connect(test.server.url, `agt_broken${attempt}.wrong`)).rejects.toThrow('upgrade refused: 401');
    }
    await expect(TestAgent.connect(test.server.url, 'agt_broken.wrong')).rejects.toThrow('upgrade refused: 429');
    await expect(TestAgent.connect(test.server.url, `${victimCredential.split('.')[0]}.not-the-secret`)).rejects.toThrow('upgrade refused: 429');
    const victim = await TestAgent.connect(test.server.url, victimCredential);
    expect(await victim.request(helloMessage('v-hello'))).toEqual({ ackOf: 'v-hello', ok: true });
    victim.close();
    await expectBystanderServed('b-nat');
  });

  it('counts failures per claimed agent id across addresses, and the valid credential of that id still gets in', async () => {
    const victimId = victimCredential.split('.')[0];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const localAddress = `127.0.0.${2 + attempt}`;
      await expect(TestAgent.connect(test.server.url, `${victimId}.guess-${attempt}`, { localAddress })).rejects.toThrow('upgrade refused: 401');
    }
    const fresh = { localAddress: '127.0.0.100' };
    await expect(TestAgent.connect(test.server.url, `${victimId}.guess-more`, fresh)).rejects.toThrow('upgrade refused: 429');
    // The address itself is not blocked: another id's mistake from it is an ordinary 401.
    await expect(TestAgent.connect(test.server.url, 'agt_other.wrong', fresh)).rejects.toThrow('upgrade refused: 401');
    const victim = await TestAgent.connect(test.server.url, victimCredential, fresh);
    expect(await victim.request(helloMessage('v-hello'))).toEqual({ ackOf: 'v-hello', ok: true });
    victim.close();
  });

  it('replaces an older connection of the same agent', async () => {
    const first = await TestAgent.connect(test.server.url, victimCredential);
    const second = await TestAgent.connect(test.server.url, victimCredential);
    expect((await first.closed).code).toBe(CLOSE_REPLACED);
    expect(await second.request(helloMessage('v-hello'))).toEqual({ ackOf: 'v-hello', ok: true });
    second.close();
  });

  it('revokes the old credential when the register enrolls again', async () => {
    const old = await TestAgent.connect(test.server.url, victimCredential);
    const { credential } = await enroll(test, 'store-1', 'till-2');
    expect(credential.split('.')[0]).toBe(victimCredential.split('.')[0]);
    await old.closed;
    await expect(TestAgent.connect(test.server.url, victimCredential)).rejects.toThrow('401');
    const renewed = await TestAgent.connect(test.server.url, credential);
    renewed.close();
  });
});

describe('bad frames', () => {
  let victim: TestAgent;
  beforeEach(async () => {
    victim = await TestAgent.connect(test.server.url, victimCredential);
  });

  it('closes only that socket with 1007 on malformed JSON', async () => {
    victim.sendRaw('{"v":1,"type":"hello",');
    const closed = await victim.closed;
    expect(closed.code).toBe(CLOSE_INVALID_PAYLOAD);
    expect(closed.reason).toMatch(/^malformed_json: /);
    await expectBystanderServed('b-2');
  });

  it('closes with 1007 when the frame has no usable id', async () => {
    victim.sendRaw(JSON.stringify({ v: 1, type: 'health', payload: {} }));
    const closed = await victim.closed;
    expect(closed.code).toBe(CLOSE_INVALID_PAYLOAD);
    expect(closed.reason).toMatch(/^bad_request: /);
  });

  it('acks an unknown type or a bad payload with ok=false and keeps the connection', async () => {
    victim.sendRaw(JSON.stringify({ v: 1, type: 'reboot_everything', id: 'x-1', ts: '2026-11-22T10:00:00.000Z', payload: {} }));
    expect(await victim.ackFor('x-1')).toMatchObject({ ok: false, code: 'unknown_type' });
    victim.sendRaw(JSON.stringify({ v: 1, type: 'health', id: 'x-2', ts: '2026-11-22T10:00:00.000Z', payload: { devices: 'nope' } }));
    expect(await victim.ackFor('x-2')).toMatchObject({ ok: false, code: 'bad_request' });
    victim.sendRaw(JSON.stringify({ v: 2, type: 'health', id: 'x-3', ts: '2026-11-22T10:00:00.000Z', payload: {} }));
    expect(await victim.ackFor('x-3')).toMatchObject({ ok: false, code: 'unsupported_version' });
    expect(await victim.request(healthMessage('x-4', [printerReport({ findings: [PAPER_END] })]))).toEqual({ ackOf: 'x-4', ok: true });
    victim.close();
  });

  it('answers a version or type that JSON makes unprintable ({"toString": null}) and stays up', async () => {
    // String() of such an object throws; thrown inside the socket's message handler it would end the console.
    victim.sendRaw('{"v":{"toString":null},"type":"health","id":"x-5","ts":"2026-11-22T10:00:00.000Z","payload":{}}');
    expect(await victim.ackFor('x-5')).toMatchObject({ ok: false, code: 'unsupported_version' });
    victim.sendRaw('{"v":1,"type":{"toString":null},"id":"x-6","ts":"2026-11-22T10:00:00.000Z","payload":{}}');
    expect(await victim.ackFor('x-6')).toMatchObject({ ok: false, code: 'unknown_type' });
    await expectBystanderServed('b-4');
    victim.close();
  });

  it('closes an oversized frame with 1009 and nothing else breaks', async () => {
    victim.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
    expect((await victim.closed).code).toBe(1009);
    await expectBystanderServed('b-3');
    expect(test.logger.errors).toEqual([]);
  });
});

describe('handler failures', () => {
  it('leaves a message that failed inside the server unacked, keeps the socket and serves other agents', async () => {
    const victim = await TestAgent.connect(test.server.url, victimCredential);
    // Sabotage the file from a second connection so the health transaction throws and rolls back.
    await onSecondConnection(test.dataDir, (sql) => sql.exec('DROP TABLE device_reports'));

    victim.sendRaw(JSON.stringify(healthMessage('doomed', [printerReport({ findings: [PAPER_END] })])));
    // One agent's messages are handled in order, so this ack means 'doomed' was already handled.
    expect(await victim.request(helloMessage('after'))).toEqual({ ackOf: 'after', ok: true });
    expect(victim.messages.some((m) => m.type === 'ack' && m.payload.ackOf === 'doomed')).toBe(false);
    expect(test.logger.errors).toEqual([expect.stringContaining('agent message failed')]);
    expect(victim.socket.readyState).toBe(WebSocket.OPEN);
    expect(await bystander.request(helloMessage('b-4'))).toEqual({ ackOf: 'b-4', ok: true });
    victim.close();
  });
});

describe('heartbeat', () => {
  it('terminates a socket that stops answering pings and keeps one that answers', async () => {
    const fast = await startTestConsole({ heartbeatIntervalMs: 30 });
    try {
      const alive = await TestAgent.connect(fast.server.url, (await enroll(fast, 's', 'alive')).credential);
      const silent = await TestAgent.connect(fast.server.url, (await enroll(fast, 's', 'silent')).credential, { answerPings: false });
      expect((await silent.closed).code).toBe(1006);
      // The silent one needed at least two missed intervals to die; the answering one lived through them.
      expect(alive.socket.readyState).toBe(WebSocket.OPEN);
      expect(await alive.request(helloMessage('still-here'))).toEqual({ ackOf: 'still-here', ok: true });
      alive.close();
    } finally {
      await fast.dispose();
    }
  });
});

describe('agent gateway shutdown', () => {
  it('destroys an upgrade that finishes authenticating after the gateway stopped, instead of leaving it open', async () => {
    let finishAuthentication: (agent: unknown) => void = () => undefined;
    const registry = { authenticate: () => new Promise((resolve) => (finishAuthentication = resolve)) };
    const ingest = { onDrained: () => undefined };
    const gateway = new AgentGateway({
      registry: registry as never, ingest: ingest as never, logger: recordingLogger(), now: () => new Date(), heartbeatIntervalMs: 30_000,
      authFailures: new FailureRateLimiter(30, 60_000, () => Date.now()),
      admission: new UpgradeAdmission({ ratePerSec: 100 }, () => Date.now()),
      sendLimits: DEFAULT_AGENT_SEND_LIMITS,
    });
    const socket = new PassThrough();
    const request = { socket: { remoteAddress: '127.0.0.1' }, headers: { authorization: 'Bearer agt_x.secret' } };
    const upgrading = gateway.handleUpgrade(request as never, socket, Buffer.alloc(0));
    await gateway.close();
    finishAuthentication({ id: 'agt_x' });
    await upgrading;
    expect(socket.destroyed).toBe(true);
  });
});

import type { Socket } from 'node:net';
import { setImmediate as yieldToServer } from 'node:timers/promises';
import { CLOSE_TOO_SLOW } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { enroll, eventually, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';
import { healthMessage, helloMessage, printerReport } from '../test-support/device-reports';
import { DEFAULT_AGENT_SEND_LIMITS } from './agent-socket-flow';

// An agent that stops reading its socket while it keeps sending: every frame earns an ack the
// server cannot deliver. Real ws client on loopback, its TCP socket paused so it reads nothing.

let test: TestConsole;
beforeEach(async () => {
  // Short stall limit so the test does not wait 30 s; a long grace so the close frame is still
  // there to be read when the flooder finally reads.
  test = await startTestConsole({ agentSendLimits: { stalledTimeoutMs: 1_000, closeGraceMs: 60_000 } });
});
afterEach(() => test.dispose());

/** A frame the server answers at once without touching the database (unknown type → ack ok:false). */
const junk = (n: number) => JSON.stringify({ v: 1, type: 'flood', id: `f-${n}`, ts: '2026-11-22T10:00:00.000Z', payload: {} });

describe('an agent that does not read its socket', () => {
  it('is paused under the cap, closed with 4008 and released, while a well-behaved agent is served', async () => {
    const { agentId: flooderId, credential: flooderCredential } = await enroll(test, 'store-1', 'till-flood');
    const good = await TestAgent.connect(test.server.url, (await enroll(test, 'store-1', 'till-good')).credential);
    const flooder = await TestAgent.connect(test.server.url, flooderCredential);
    const closed = flooder.closed;
    const tcp = (flooder.socket as unknown as { _socket: Socket })._socket;
    tcp.pause(); // reads nothing from now on; the kernel buffers fill, then the server's

    let sent = 0;
    let state = test.server.agentSocketFlow(flooderId);
    while (state && !state.readingPaused && !state.closingTooSlow && sent < 300_000) {
      for (let index = 0; index < 2_000; index += 1) flooder.sendRaw(junk(sent++));
      await yieldToServer();
      state = test.server.agentSocketFlow(flooderId);
    }
    expect(state?.readingPaused).toBe(true);
    expect(state!.peakBufferedBytes).toBeGreaterThan(DEFAULT_AGENT_SEND_LIMITS.highWaterBytes);
    expect(state!.peakBufferedBytes).toBeLessThanOrEqual(DEFAULT_AGENT_SEND_LIMITS.maxBufferedBytes);

    // The other agent still gets its acks with effect.
    expect(await good.request(helloMessage('g-hello'))).toEqual({ ackOf: 'g-hello', ok: true });
    expect(await good.request(healthMessage('g-1', [printerReport()]))).toEqual({ ackOf: 'g-1', ok: true });

    // Still not reading after the stall limit: closed for it. The flooder, reading at last, finds the reason.
    await eventually(async () => test.server.agentSocketFlow(flooderId)?.closingTooSlow ?? true, (closing) => closing);
    tcp.resume();
    const { code, reason } = await closed;
    expect(code).toBe(CLOSE_TOO_SLOW);
    expect(reason).toMatch(/^too_slow: /);
    // Nothing of it is held any more; its unacked frames are the agent's to resend.
    await eventually(async () => test.server.agentSocketFlow(flooderId), (flow) => flow === undefined);
    expect(good.socket.readyState).toBe(WebSocket.OPEN);
    expect(await good.request(healthMessage('g-2', [printerReport()]))).toEqual({ ackOf: 'g-2', ok: true });
    good.close();
    expect(test.logger.errors).toEqual([]);
  });
});

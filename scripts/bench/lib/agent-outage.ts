// Two server-capacity measurements around one agent: the real agent link coming back after the
// console was really stopped and restarted, and a non-reading agent flooding the console.
import { mkdir } from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { createCredentialStore } from '../../../agent/src/credential-store';
import { createLink, type Link } from '../../../agent/src/link/link';
import { openOutbox, type Outbox } from '../../../agent/src/outbox/outbox';
import { enrollAgent } from '../../fleet/enroll';
import type { ConsoleUnderTest } from './console-under-test';

interface RealAgent {
  link: Link;
  outbox: Outbox;
}

async function startRealAgents(serverUrl: string, token: string, count: number, dir: string): Promise<RealAgent[]> {
  return Promise.all(Array.from({ length: count }, async (_, index) => {
    const dataDir = path.join(dir, `agent-${index}`);
    await mkdir(dataDir, { recursive: true });
    const outbox = await openOutbox({ file: path.join(dataDir, 'agent.db') });
    const link = createLink({
      server: serverUrl,
      storeId: 'bench-outage',
      registerId: `pos-${index + 1}`,
      enrollmentToken: token,
      hostname: `bench-outage-${index + 1}`,
      credentials: createCredentialStore(dataDir),
      outbox,
      hello: () => ({ agentVersion: 'bench', os: { platform: 'linux', release: 'bench', hostname: `bench-outage-${index + 1}` }, inventory: [], probeIntervalSec: 10 }),
      // The bench agents take no commands (the benches send none).
      onCommand: async () => undefined,
    });
    link.start();
    return { link, outbox };
  }));
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export interface OutageReturn {
  /** Seconds from the console listening again to each agent's link being connected. */
  returnSeconds: number[];
  downSeconds: number;
}

/**
 * Real agent links (default backoff) connected to the console; the console process is stopped,
 * stays down `downMs`, and is started again on the same port and database. Each agent's return
 * is timed from the moment the new process listens.
 */
export async function measureOutageReturn(options: {
  server: ConsoleUnderTest;
  restart: () => Promise<ConsoleUnderTest>;
  agents: number;
  downMs: number;
  dir: string;
}): Promise<{ server: ConsoleUnderTest; result: OutageReturn }> {
  const [token] = await options.server.createTokens(1, options.agents);
  const agents = await startRealAgents(options.server.url, token ?? '', options.agents, options.dir);
  let server = options.server;
  try {
    await until(() => agents.every((agent) => agent.link.isConnected()), 60_000, 'outage agents connected');
    await server.stop();
    const downAt = performance.now();
    await until(() => agents.every((agent) => !agent.link.isConnected()), 10_000, 'outage agents noticed');
    await sleep(Math.max(0, options.downMs - (performance.now() - downAt)));
    server = await options.restart();
    const upAt = performance.now();
    const returnSeconds = agents.map(() => Number.NaN);
    await until(() => {
      agents.forEach((agent, index) => {
        if (Number.isNaN(returnSeconds[index]) && agent.link.isConnected()) returnSeconds[index] = (performance.now() - upAt) / 1000;
      });
      return returnSeconds.every((seconds) => !Number.isNaN(seconds));
    }, 120_000, 'outage agents back');
    return { server, result: { returnSeconds, downSeconds: (upAt - downAt) / 1000 } };
  } finally {
    await Promise.all(agents.map(async (agent) => {
      await agent.link.stop();
      await agent.outbox.close();
    }));
  }
}

export interface FlooderMemory {
  beforeMb: number;
  peakMb: number;
  afterMb: number;
  framesSent: number;
}

/**
 * A real ws client, enrolled as an agent, that stops reading its socket (its TCP socket paused)
 * and sends up to `frames` small frames, each of which earns an ack. The console's RSS is
 * sampled before, during, and a few seconds after the flooder left.
 */
export async function measureNonReadingFlooder(server: ConsoleUnderTest, frames: number): Promise<FlooderMemory> {
  const [token] = await server.createTokens(1, 1);
  const { credential } = await enrollAgent(server.url, { token: token ?? '', storeId: 'bench-flood', registerId: 'pos-1' });
  const rssMb = async () => (await server.metrics(false)).rssBytes / 1024 / 1024;
  const beforeMb = await rssMb();
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${credential}` }, perMessageDeflate: false });
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  (socket as unknown as { _socket: Socket })._socket.pause();
  let peakMb = beforeMb;
  let framesSent = 0;
  const ts = new Date().toISOString();
  // The flooder's own buffer is capped too: past 32 MB unsent, the server has long stopped reading.
  while (framesSent < frames && socket.readyState === WebSocket.OPEN && socket.bufferedAmount < 32 * 1024 * 1024) {
    for (let index = 0; index < 5_000; index += 1) socket.send(`{"v":1,"type":"flood","id":"f-${framesSent++}","ts":"${ts}","payload":{}}`);
    await nextTurn();
    if (framesSent % 50_000 === 0) peakMb = Math.max(peakMb, await rssMb());
  }
  await sleep(1_000); // what the server already read is answered by now
  peakMb = Math.max(peakMb, await rssMb());
  socket.terminate();
  await sleep(3_000);
  return { beforeMb, peakMb, afterMb: await rssMb(), framesSent };
}

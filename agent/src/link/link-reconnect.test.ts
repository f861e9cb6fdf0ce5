import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../credential-store';
import { recordingLogger } from '../logger';
import { openOutbox, type Outbox } from '../outbox/outbox';
import { waitFor } from '../test-support/wait-for';
import { startFakeConsoleServer, testLinkOptions, type FakeConsoleServer, type FakeConsoleServerOptions } from './fake-console-server';
import { createLink, type Link } from './link';

// The link's waits run on a virtual clock (its `sleep` option): a 60 s outage plays in
// milliseconds and the assertions are about virtual time, so they are exact, not timed.
// Sockets, refusals and the server are real (loopback).

let dir: string;
let outbox: Outbox;
let server: FakeConsoleServer | undefined;
let link: Link | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'link-reconnect-'));
  outbox = await openOutbox({ file: path.join(dir, 'agent.db') });
});
afterEach(async () => {
  await link?.stop();
  link = undefined;
  await server?.close();
  server = undefined;
  await outbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** A virtual clock: each wait moves it on by exactly the time asked, then runs `onWake` before the link goes on. */
function virtualTime(onWake: (nowMs: number) => Promise<void> = async () => undefined) {
  const clock = { nowMs: 0, waits: [] as number[], wokeAt: [] as number[] };
  const sleep = async (ms: number, signal: AbortSignal) => {
    await nextTurn();
    if (signal.aborted) return;
    clock.waits.push(ms);
    clock.nowMs += ms;
    clock.wokeAt.push(clock.nowMs);
    await onWake(clock.nowMs);
  };
  return { clock, sleep };
}

function startLink(sleep: (ms: number, signal: AbortSignal) => Promise<void>, random: () => number, logger = recordingLogger()): Link {
  const created = createLink({ ...testLinkOptions(server!, dir, outbox), random, sleep, stableAfterMs: 0, logger });
  created.start();
  return created;
}

/** A small seeded generator (LCG), so "random" jitter is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const hellos = () => server!.frames.filter((frame) => frame.type === 'hello').length;

describe('link reconnect after an outage', () => {
  it.each([
    ['always the longest wait', () => () => 0.999_999],
    ['always half', () => () => 0.5],
    ['seed 1', () => seeded(1)],
    ['seed 2', () => seeded(2)],
    ['seed 3', () => seeded(3)],
    ['seed 4', () => seeded(4)],
    ['seed 5', () => seeded(5)],
  ])('is back within 10 s of the console returning after 60 s down (%s)', async (_name, makeRandom) => {
    server = await startFakeConsoleServer();
    const port = server.port;
    const OUTAGE_MS = 60_000;
    let back: FakeConsoleServer | undefined;
    const { clock, sleep } = virtualTime(async (nowMs) => {
      // The console comes back (same port, same credentials) at 60 s on the virtual clock.
      if (nowMs >= OUTAGE_MS && !back) {
        const credential = (await createCredentialStore(dir).load())!.credential;
        back = await startFakeConsoleServer({ port, credentials: [credential] });
        server = back;
      }
    });
    link = startLink(sleep, makeRandom());
    await waitFor('connected', () => hellos() === 1);
    await server.close(); // the outage starts at virtual 0
    await waitFor('connected to the returned console', () => back !== undefined && hellos() === 1);
    const firstAttemptAfterReturn = clock.wokeAt.find((at) => at >= OUTAGE_MS)!;
    expect(firstAttemptAfterReturn - OUTAGE_MS).toBeLessThanOrEqual(10_000);
    // That one attempt got in: one upgrade, accepted.
    expect(back!.upgrades).toEqual([expect.objectContaining({ status: 101 })]);
    // While down it kept trying at least every 8 s (the server protects itself, the agent need not).
    expect(Math.max(...clock.waits)).toBeLessThanOrEqual(8_000);
  });
});

describe('link and a busy console', () => {
  it('waits as long as Retry-After says (plus under 1 s of jitter) and does not count it as a failure', async () => {
    let refusals = 0;
    const busy: FakeConsoleServerOptions['busy'] = () => (refusals < 4 ? (refusals += 1, 7) : undefined);
    server = await startFakeConsoleServer({ busy });
    const logger = recordingLogger();
    const { clock, sleep } = virtualTime();
    link = startLink(sleep, seeded(7), logger);
    await waitFor('connected after the busy answers', () => hellos() === 1);
    expect(server.upgrades.map((upgrade) => upgrade.status)).toEqual([503, 503, 503, 503, 101]);
    expect(clock.waits).toHaveLength(4);
    for (const wait of clock.waits) {
      expect(wait).toBeGreaterThanOrEqual(7_000);
      expect(wait).toBeLessThan(8_000);
    }
    expect(logger.lines.filter((line) => line.includes('HTTP 503') && line.includes('7 s'))).toHaveLength(4);
  });
});

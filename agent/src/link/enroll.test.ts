import { describe, expect, it } from 'vitest';
import { moduleLogger, silentLogger } from '../logger';
import { fullGc } from '../test-support/full-gc';
import { requestEnrollment } from './enroll';

describe('requestEnrollment', () => {
  // The link passes its stop signal, which lives as long as the agent; an agent with no credential
  // retries enrollment every few seconds while the console is down, for as long as it is down.
  it('retains nothing per attempt under a long-lived signal', async () => {
    const gc = fullGc();
    const stop = new AbortController();
    const attempt = () =>
      requestEnrollment({
        server: 'http://console.invalid',
        request: { token: 't', storeId: 's', registerId: 'r', hostname: 'h' },
        fetch: async () => Promise.reject(new TypeError('fetch failed')),
        signal: stop.signal,
        log: moduleLogger(silentLogger, 'link'),
      });
    for (let index = 0; index < 2_000; index += 1) await attempt();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 40_000; index += 1) expect(await attempt()).toEqual({ kind: 'unreachable' });
    gc();
    const retainedBytes = process.memoryUsage().heapUsed - before;
    expect(retainedBytes, `${retainedBytes} bytes retained by 40,000 attempts`).toBeLessThan(600_000);
  });

  it('aborts the request when the long-lived signal aborts', async () => {
    const stop = new AbortController();
    let seen: AbortSignal | undefined;
    const outcome = requestEnrollment({
      server: 'http://console.invalid',
      request: { token: 't', storeId: 's', registerId: 'r', hostname: 'h' },
      fetch: (_url, init) => {
        seen = init?.signal ?? undefined;
        return new Promise((_resolve, reject) => seen?.addEventListener('abort', () => reject(seen?.reason)));
      },
      signal: stop.signal,
      log: moduleLogger(silentLogger, 'link'),
    });
    stop.abort(new Error('agent stopping'));
    expect(await outcome).toEqual({ kind: 'unreachable' });
    expect(seen?.aborted).toBe(true);
  });
});

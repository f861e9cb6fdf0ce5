import type { DeviceReport } from '@tillscope/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostProbe } from '../devices/host-probe';
import { HostFixture, replayHostOs } from '../os/host-os-replay';
import { fakeHostConfig, fakeHostContext, fakeHostProbe, fakeHostReport } from './fake-host-probe';
import { createHostLoop, type HostLoopOptions } from './host-loop';

const os = replayHostOs(HostFixture.parse({ origin: 'transcribed', description: 'no OS at all', sources: ['host-loop.test.ts'], platform: 'linux' }));

function hostLoop(probes: HostProbe[], host: Record<string, unknown> = {}, overrides: Partial<HostLoopOptions> = {}) {
  const reports: DeviceReport[] = [];
  const more: boolean[] = [];
  const loop = createHostLoop({
    probes: new Map(probes.map((p) => [p.id, p])),
    config: fakeHostConfig(host, probes),
    context: fakeHostContext,
    os,
    onReport: (report, round) => {
      reports.push(report);
      more.push(round.more);
    },
    initialDelayMs: 1_000,
    ...overrides,
  });
  return { loop, reports, more };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('host loop', () => {
  it('runs nothing before the initial delay, then every probe once, one at a time, in registry order', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    let running = 0;
    let overlapped = false;
    const probe = (id: 'host-os' | 'host-clock') =>
      fakeHostProbe(id, async (ctx) => {
        overlapped ||= running > 0;
        running += 1;
        order.push(id);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
        return fakeHostReport(id, ctx);
      });
    const { loop, reports, more } = hostLoop([probe('host-os'), probe('host-clock')]);
    loop.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(order).toEqual(['host-os', 'host-clock']);
    expect(overlapped).toBe(false);
    expect(reports.map((r) => r.deviceId)).toEqual(['host-os', 'host-clock']);
    expect(more).toEqual([true, false]); // the round's last report says so
    expect(loop.latest().map((r) => r.deviceId)).toEqual(['host-os', 'host-clock']);
    await loop.stop();
  });

  it("runs each probe at its interval: probes.<id>.intervalSec over host.intervalSec over the probe's default", async () => {
    vi.useFakeTimers();
    const os5 = fakeHostProbe('host-os', undefined, 300);
    const clock = fakeHostProbe('host-clock', undefined, 300);
    const events = fakeHostProbe('host-events', undefined, 300);
    const { loop } = hostLoop([os5, clock, events], { probes: { 'host-clock': { intervalSec: 60 } } }, { initialDelayMs: 0 });
    loop.start();
    await vi.advanceTimersByTimeAsync(300_000 + 10);
    // at 0, 60, 120, 180, 240, 300 s for the clock; at 0 and 300 s for the others
    expect([os5.calls, clock.calls, events.calls]).toEqual([2, 6, 2]);
    await loop.stop();

    const again = [fakeHostProbe('host-os', undefined, 300), fakeHostProbe('host-clock', undefined, 300)];
    const second = hostLoop(again, { intervalSec: 100, probes: { 'host-clock': { intervalSec: 50 } } }, { initialDelayMs: 0 });
    second.loop.start();
    await vi.advanceTimersByTimeAsync(200_000 + 10);
    expect(again.map((p) => p.calls)).toEqual([3, 5]);
    await second.loop.stop();
  });

  it('runs no probe when host.enabled is false, and skips a probe the config disables', async () => {
    vi.useFakeTimers();
    const a = fakeHostProbe('host-os');
    const b = fakeHostProbe('host-clock');
    const off = hostLoop([a, b], { enabled: false }, { initialDelayMs: 0 });
    off.loop.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(off.loop.ids()).toEqual([]);
    expect(await off.loop.probeNow()).toEqual([]);
    await off.loop.stop();

    const one = hostLoop([a, b], { probes: { 'host-os': { enabled: false } } }, { initialDelayMs: 0 });
    one.loop.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect([a.calls, b.calls]).toEqual([0, 1]);
    expect(one.loop.ids()).toEqual(['host-clock']);
    await one.loop.stop();
  });

  it('gives each probe its parsed options and the same memory on every run', async () => {
    const seen: unknown[] = [];
    const probe = fakeHostProbe('host-os', async (ctx) => {
      seen.push({ label: ctx.options.label, runs: ctx.memory.runs });
      return fakeHostReport('host-os', ctx);
    });
    const { loop } = hostLoop([probe], { probes: { 'host-os': { label: 'till', intervalSec: 60 } } });
    await loop.probeNow();
    await loop.probeNow('host-os');
    expect(seen).toEqual([{ label: 'till', runs: 1 }, { label: 'till', runs: 2 }]);
  });

  it('turns a throwing probe into an unknown report with a "could not check" finding', async () => {
    const probe = fakeHostProbe('host-os', () => Promise.reject(new Error('boom')));
    const { loop, reports } = hostLoop([probe]);
    const [report] = await loop.probeNow();
    expect(report).toMatchObject({
      deviceId: 'host-os', kind: 'host', driver: 'host-os', health: 'unknown',
      findings: [{ code: 'host.check_failed' }], checked: ['host.check_failed'],
      evidence: { transport: 'os', target: 'localhost', transportError: 'host probe error: boom' },
    });
    expect(reports).toEqual([report]);
  });

  it('gives up on a probe that ignores its deadline, aborts its signal, and runs the next one', async () => {
    let signal: AbortSignal | undefined;
    const hanging = fakeHostProbe('host-os', (ctx) => {
      signal = ctx.signal;
      return new Promise<DeviceReport>(() => {});
    });
    const next = fakeHostProbe('host-clock');
    const { loop } = hostLoop([hanging, next], {}, { timeoutMs: 30 });
    const [first, second] = await loop.probeNow();
    expect(first).toMatchObject({ health: 'unknown', evidence: { transportError: 'host-os did not finish within 30 ms' } });
    expect(signal?.aborted).toBe(true);
    expect(second).toMatchObject({ deviceId: 'host-clock', health: 'ok' });
  });

  it('stop aborts a running probe at once and reports nothing more', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let signal: AbortSignal | undefined;
    const hanging = fakeHostProbe('host-os', (ctx) => {
      signal = ctx.signal;
      started();
      return new Promise<DeviceReport>(() => {});
    });
    const { loop, reports } = hostLoop([hanging], {}, { initialDelayMs: 0 });
    loop.start();
    await running;
    await loop.stop();
    expect(signal?.aborted).toBe(true);
    expect(reports).toEqual([]);
  });

  it('shares a run asked for twice while it is queued', async () => {
    const probe = fakeHostProbe('host-os');
    const { loop } = hostLoop([probe]);
    const [a, b] = await Promise.all([loop.probeNow('host-os'), loop.probeNow('host-os')]);
    expect(probe.calls).toBe(1);
    expect(a).toEqual(b);
  });

  it('reports an entry whose options its probe refuses as unknown, without running it', async () => {
    const probe = fakeHostProbe('host-os');
    const loop = createHostLoop({
      probes: new Map([['host-os', probe as HostProbe]]),
      // a hand-built config (not through the schema) with an option the probe does not know
      config: { ...fakeHostConfig({}, [probe]), probes: { 'host-os': { enabled: true, options: { lable: 'x' } } } },
      context: fakeHostContext,
      os,
      onReport: () => {},
    });
    const [report] = await loop.probeNow();
    expect(report).toMatchObject({ health: 'unknown', evidence: { transportError: expect.stringMatching(/^host\.probes\.host-os: \(options\): Unrecognized key: "lable"/) } });
    expect(probe.calls).toBe(0);
  });

  it('records what a probe watch pushes, while started', async () => {
    let push!: (report: DeviceReport) => void;
    const probe = fakeHostProbe('host-peripherals');
    probe.watch = (ctx) => {
      push = ctx.onReport;
      return { stop: () => Promise.resolve() };
    };
    const { loop, reports } = hostLoop([probe]);
    loop.start();
    const pushed = fakeHostReport('host-peripherals', { os, signal: new AbortController().signal, now: () => new Date() });
    push(pushed);
    expect(loop.latest()).toEqual([pushed]);
    expect(reports).toEqual([pushed]);
    await loop.stop();
    push(pushed);
    expect(reports).toHaveLength(1);
  });

  it("gives each probe its own persistent state store, when the agent has one", async () => {
    const stores = new Map<string, { load: () => Promise<unknown>; save: (value: unknown) => Promise<void> }>();
    const stateFor = (id: string) => {
      const store = { load: () => Promise.resolve(id), save: () => Promise.resolve() };
      stores.set(id, store);
      return store;
    };
    const loaded: unknown[] = [];
    const probe = (id: 'host-os' | 'host-clock') =>
      fakeHostProbe(id, async (ctx) => {
        loaded.push(await ctx.state?.load());
        return fakeHostReport(id, ctx);
      });
    const { loop } = hostLoop([probe('host-os'), probe('host-clock')], {}, { stateFor });
    await loop.probeNow();
    expect(loaded).toEqual(['host-os', 'host-clock']);
    expect([...stores.keys()]).toEqual(['host-os', 'host-clock']);
    const without = hostLoop([probe('host-os')]);
    await without.loop.probeNow();
    expect(loaded.at(-1)).toBeUndefined();
  });
});

import type { DeviceReport, HostProbeId } from '@tillscope/shared';
import { checkFailedFinding, HOST_ENDPOINT } from '../devices/common/host-report';
import type { HostContext, HostProbe, HostProbeRegistry, HostProbeStateStore, HostWatch } from '../devices/host-probe';
import type { HostConfig } from '../host-config';
import { errorText, moduleLogger, silentLogger, type Logger } from '../logger';
import type { HostOs } from '../os/host-os';
import { tiedAbortController } from '../tied-abort';

/**
 * Runs the host probes (the register itself: OS, clock, print services, peripherals, POS
 * application, OS logs) on their own timers, apart from the device probes: a slow PowerShell must
 * never hold up a printer's round, and a printer's deadline never cuts a host probe short.
 *
 * Contract:
 * - host probes run one at a time (each spawns OS tools; two at once would only double the CPU
 *   spike), the first ones `initialDelayMs` after start, then each at its interval: config
 *   `host.probes.<id>.intervalSec`, else `host.intervalSec`, else the probe's `defaultIntervalSec`;
 * - a probe has a hard deadline (`timeoutMs`); one that throws, rejects or overruns becomes a
 *   report with health 'unknown', a `host.check_failed` finding and the reason in
 *   `evidence.transportError`, never an error out of the loop;
 * - every report (scheduled, asked for, or pushed by a probe's watch) becomes the probe's latest
 *   and is passed to `onReport`, with `more` true while other runs wait (so the caller can send one
 *   health snapshot for a round of probes rather than one per probe); a probe disabled in the
 *   config is neither run nor watched.
 */
export interface HostLoop {
  start(): void;
  /** Stops the timer, aborts the running probe and stops the watches; resolves when they settled. */
  stop(): Promise<void>;
  /** The enabled probes' ids, in registry order. */
  ids(): HostProbeId[];
  /** The latest report of each enabled probe that has reported, in registry order. */
  latest(): DeviceReport[];
  /** Runs one probe (or every enabled one) now, after the one running; never rejects. */
  probeNow(id?: HostProbeId): Promise<DeviceReport[]>;
}

export interface HostLoopOptions {
  probes: HostProbeRegistry;
  config: HostConfig;
  context: HostContext;
  os: HostOs;
  onReport: (report: DeviceReport, round: { more: boolean }) => void;
  now?: () => Date;
  logger?: Logger;
  /** Hard deadline of one host probe run; default 60 s (its tools have their own, shorter timeouts). */
  timeoutMs?: number;
  /** The first runs come this long after start, once devices and the link are up; default 15 s. */
  initialDelayMs?: number;
  /** Each probe's persistent state (os/host-state-store.ts in the agent's dataDir); absent: probes keep memory only. */
  stateFor?: (id: HostProbeId) => HostProbeStateStore;
}

export const DEFAULT_HOST_PROBE_TIMEOUT_MS = 60_000;
export const DEFAULT_HOST_INITIAL_DELAY_MS = 15_000;
const CANCELED = 'host probe canceled: the agent is stopping';

interface Scheduled {
  probe: HostProbe;
  options: unknown;
  memory: unknown;
  state: HostProbeStateStore | undefined;
  intervalMs: number;
  dueAt: number;
  /** why the probe cannot run (its options refused), reported as unknown */
  error?: string;
}

export function createHostLoop(options: HostLoopOptions): HostLoop {
  const log = moduleLogger(options.logger ?? silentLogger, 'host');
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? DEFAULT_HOST_PROBE_TIMEOUT_MS;
  const scheduled = schedule(options);
  const latest = new Map<HostProbeId, DeviceReport>();
  const watches: HostWatch[] = [];
  let stopController = new AbortController();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  /** the tail of the one-at-a-time chain of runs */
  let chain: Promise<unknown> = Promise.resolve();
  const queued = new Map<HostProbeId, Promise<DeviceReport>>();

  function record(report: DeviceReport): void {
    latest.set(report.driver as HostProbeId, report);
    try {
      options.onReport(report, { more: queued.size > 0 });
    } catch (error) {
      log.error(`passing on the ${report.driver} report failed: ${errorText(error)}`);
    }
  }

  function unknownReport(id: HostProbeId, reason: string, startedAt: Date): DeviceReport {
    return {
      deviceId: id,
      kind: 'host',
      driver: id,
      health: 'unknown',
      findings: [checkFailedFinding([{ fact: id, reason: reason.slice(0, 300) }])],
      checked: ['host.check_failed'],
      checklist: [],
      evidence: { ...HOST_ENDPOINT, transportError: reason.slice(0, 200), exchanges: [] },
      probedAt: startedAt.toISOString(),
      durationMs: Math.max(0, now().getTime() - startedAt.getTime()),
    };
  }

  async function runOnce(entry: Scheduled): Promise<DeviceReport> {
    const startedAt = now();
    const id = entry.probe.id;
    if (entry.error) return unknownReport(id, entry.error, startedAt);
    if (stopController.signal.aborted) return unknownReport(id, CANCELED, startedAt);
    const { controller, release } = tiedAbortController(stopController.signal);
    let deadline: NodeJS.Timeout | undefined;
    // The race guards against a probe that ignores its signal: the loop moves on at the deadline,
    // or at once when the agent stops, even if the probe's promise never settles.
    const overrun = new Promise<DeviceReport>((resolve) => {
      deadline = setTimeout(() => {
        resolve(unknownReport(id, `${id} did not finish within ${timeoutMs} ms`, startedAt));
        controller.abort(new Error('host probe deadline'));
      }, timeoutMs);
      controller.signal.addEventListener('abort', () => resolve(unknownReport(id, CANCELED, startedAt)), { once: true });
    });
    try {
      const ctx = { options: entry.options, memory: entry.memory, os: options.os, host: options.context, now, signal: controller.signal, ...stateOf(entry) };
      const report = await Promise.race([entry.probe.probe(ctx), overrun]);
      return report.deviceId === id && report.driver === id && report.kind === 'host' ? report : { ...report, deviceId: id, driver: id, kind: 'host' };
    } catch (error) {
      log.warn(`host probe ${id} failed: ${errorText(error)}`);
      return unknownReport(id, `host probe error: ${errorText(error)}`, startedAt);
    } finally {
      clearTimeout(deadline);
      release();
    }
  }

  /** Queues a run of `entry` behind the running one; a run already queued for it is shared. */
  function enqueue(entry: Scheduled): Promise<DeviceReport> {
    const id = entry.probe.id;
    const waiting = queued.get(id);
    if (waiting) return waiting;
    const run = chain.then(async () => {
      queued.delete(id);
      entry.dueAt = Date.now() + entry.intervalMs;
      const report = await runOnce(entry);
      if (!stopController.signal.aborted) record(report);
      return report;
    });
    queued.set(id, run);
    chain = run.catch(() => undefined);
    return run;
  }

  function arm(): void {
    clearTimeout(timer);
    if (!started || scheduled.length === 0) return;
    const next = Math.min(...scheduled.map((entry) => entry.dueAt));
    timer = setTimeout(() => {
      const due = scheduled.filter((entry) => entry.dueAt <= Date.now());
      void Promise.all(due.map(enqueue)).finally(arm);
    }, Math.max(0, next - Date.now()));
  }

  function startWatches(): void {
    for (const entry of scheduled) {
      if (entry.error || !entry.probe.watch) continue;
      try {
        const watch = entry.probe.watch({
          options: entry.options, memory: entry.memory, os: options.os, host: options.context, now, ...stateOf(entry),
          logger: options.logger ?? silentLogger,
          onReport: (report) => {
            if (started) record(report);
          },
        });
        if (watch) watches.push(watch);
      } catch (error) {
        log.error(`could not start watching with ${entry.probe.id}, probing only: ${errorText(error)}`);
      }
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopController = new AbortController();
      const first = Date.now() + (options.initialDelayMs ?? DEFAULT_HOST_INITIAL_DELAY_MS);
      for (const entry of scheduled) entry.dueAt = first;
      startWatches();
      arm();
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      stopController.abort(new Error('agent stopping'));
      const stopped = Promise.allSettled(watches.splice(0).map((watch) => watch.stop()));
      await chain;
      await stopped;
    },
    ids: () => scheduled.map((entry) => entry.probe.id),
    latest: () => scheduled.flatMap((entry) => latest.get(entry.probe.id) ?? []),
    async probeNow(id) {
      const entries = id ? scheduled.filter((entry) => entry.probe.id === id) : scheduled;
      return Promise.all(entries.map(enqueue));
    },
  };
}

const stateOf = (entry: Scheduled) => (entry.state ? { state: entry.state } : {});

/** The enabled probes with their parsed options, memory, state and interval. */
function schedule(options: HostLoopOptions): Scheduled[] {
  const { config } = options;
  if (!config.enabled) return [];
  return [...options.probes.values()].flatMap((probe): Scheduled[] => {
    const entry = config.probes[probe.id];
    if (entry?.enabled === false) return [];
    const intervalMs = (entry?.intervalSec ?? config.intervalSec ?? probe.defaultIntervalSec) * 1000;
    const parsed = probe.options.safeParse(entry?.options ?? {});
    if (!parsed.success) {
      const reason = `host.probes.${probe.id}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ')}`;
      return [{ probe, options: undefined, memory: undefined, state: undefined, intervalMs, dueAt: 0, error: reason }];
    }
    return [{ probe, options: parsed.data, memory: probe.createMemory(), state: options.stateFor?.(probe.id), intervalMs, dueAt: 0 }];
  });
}

import type { DeviceReport } from '@tillscope/shared';
import { bindDevice, type BoundDevice, type BoundWatch } from '../devices/bind-device';
import { endpointOf } from '../devices/common/report';
import type { DeviceConfig, DeviceDriver, DriverRegistry } from '../devices/driver';
import type { OpenTransport } from '../transports/transport';
import { errorText, moduleLogger, silentLogger, type Logger } from '../logger';
import { createPrintQueueReader, type PrintQueueReader } from '../os/print-queue/reader';
import { withPrintQueue } from '../os/print-queue/merge';
import { tiedAbortController } from '../tied-abort';
import { createHealthReporter } from './health-reporter';
import { createHostLoop, type HostLoopOptions } from './host-loop';

/**
 * Probes every configured device on a timer and decides when a `health` message is due.
 *
 * Contract:
 * - a device is probed by one probe at a time; a probe asked for while one runs shares its result;
 * - a probe has a hard deadline: a driver that throws, rejects or overruns becomes a report with
 *   health 'unknown' and the reason in `evidence.transportError`, never an error out of the loop;
 * - `onHealth` is called with all latest reports when any device's health or set of finding codes
 *   changed since the last call, and at least every `reportIntervalMs` regardless;
 * - each device is bound to its driver once (options parsed, `driver.createMemory()` called), so
 *   every probe of the device gets the same `ctx.memory` for the life of the loop; a device whose
 *   options fail the driver's schema is reported 'unknown' with the reason, never probed;
 * - a receipt printer with `printQueue` in its config gets its OS print queue read beside each probe
 *   and merged into the report (findings, checked codes, the `printer.queue` step, evidence; see
 *   os/print-queue/merge.ts), also when its port is busy;
 * - a device whose driver watches it (escpos `options.status: "asb"`) is watched from `start` to `stop`: a report
 *   the watch pushes (a status change the device announced) becomes the latest at once and goes
 *   through the same change test, without waiting for the timer. The device's probes then go
 *   through the watch, and a probe that started before a pushed report does not overwrite it.
 * - host probes (`host`), when given, run on their own schedule (host-loop.ts): each report joins
 *   `latest()` after the devices' and goes through the same change test at once.
 */
export interface ProbeLoop {
  start(): void;
  /** Stops the timer and aborts running probes; resolves when they have settled. */
  stop(): Promise<void>;
  /**
   * Probes now and resolves with the fresh reports; never rejects. `deviceId` may name a device or
   * a host probe (which then runs, after any host probe running). Without it every device is
   * probed and the host probes' latest reports follow (a host probe takes seconds and its facts
   * change slowly: a cashier's diagnosis does not wait for them).
   */
  probeNow(options?: { deviceId?: string; deadlineMs?: number }): Promise<DeviceReport[]>;
  /** The latest report of each device, in config order, then of each host probe (empty before the first probe). */
  latest(): DeviceReport[];
  /** The ids of the host probes that run (deviceIds of their reports). */
  hostProbeIds(): string[];
  /**
   * Runs `task` with the device to itself: it starts once the device's running probe settled, and
   * probes asked for meanwhile wait until it ends (a test print must not interleave with DLE EOT
   * polls on the same port). `probe` is the driver's probe through the registry, as the loop runs
   * it (deadline, unknown report on failure); its report becomes the device's latest. Rejects
   * with an Error for a device that is not configured.
   */
  exclusive<T>(deviceId: string, task: (probe: () => Promise<DeviceReport>) => Promise<T>): Promise<T>;
}

export interface ProbeLoopOptions {
  devices: readonly DeviceConfig[];
  drivers: DriverRegistry;
  openTransport: OpenTransport;
  probeIntervalMs: number;
  reportIntervalMs: number;
  /** Hard deadline per probe (default: the probe interval, but at least 5 s and at most 10 s). */
  probeTimeoutMs?: number;
  /** How long a round waits for `onHealth` before probing on without it; default max(probe interval, 5 s). */
  healthWriteDeadlineMs?: number;
  /**
   * Queues a snapshot; resolving means taken, not necessarily durable: on a full disk the outbox
   * keeps the latest snapshot in memory only. That is enough for health (a snapshot is the whole
   * state, and the loop reports afresh after a restart); a rejection makes the loop report again.
   */
  onHealth: (reports: DeviceReport[]) => Promise<void> | void;
  now?: () => Date;
  logger?: Logger;
  /** Reads the OS print queue of devices with `printQueue` (default: the real one, lpstat / PowerShell). */
  printQueue?: PrintQueueReader;
  /** The host probes and what they need; absent: none run. */
  host?: Omit<HostLoopOptions, 'onReport' | 'now' | 'logger'>;
}


export function createProbeLoop(options: ProbeLoopOptions): ProbeLoop {
  const log = moduleLogger(options.logger ?? silentLogger, 'probe');
  const now = options.now ?? (() => new Date());
  // A slow but alive printer needs up to ~4.7 s (a 1.5 s connect and four 800 ms status replies):
  // a shorter deadline would cut it off and report our own impatience as a dead printer.
  const defaultTimeout = options.probeTimeoutMs ?? Math.min(Math.max(options.probeIntervalMs, 5_000), 10_000);
  const latest = new Map<string, DeviceReport>();
  const running = new Map<string, Promise<DeviceReport>>();
  /** per device, the exclusive task holding it (see ProbeLoop.exclusive) */
  const held = new Map<string, Promise<void>>();
  let stopController = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let round: Promise<void> | undefined;
  const watches = new Map<string, BoundWatch>();
  let queueReader = options.printQueue;
  const printQueue = () => (queueReader ??= createPrintQueueReader({ now }));
  const bound = new Map(options.devices.map((device) => [device.id, bind(device)]));
  /** per device, how many reports its watch pushed: a probe that saw this change is older */
  const pushes = new Map<string, number>();
  const hostLoop = options.host
    ? createHostLoop({ ...options.host, now, ...(options.logger ? { logger: options.logger } : {}), onReport: hostReported })
    : undefined;

  /** The device bound to its driver, or why it cannot be (no such driver, options refused). */
  function bind(device: DeviceConfig): BoundDevice | { error: string; driver: DeviceDriver | undefined } {
    const driver = options.drivers.get(device.driver);
    if (!driver) return { error: `no driver "${device.driver}" in this agent`, driver };
    try {
      const binding = bindDevice(driver, device);
      return device.printQueue ? withPrintQueue(binding, device.printQueue, printQueue()) : binding;
    } catch (error) {
      log.error(`${device.id}: ${errorText(error)}; it is reported as unknown`);
      return { error: errorText(error), driver };
    }
  }

  function unknownReport(device: DeviceConfig, reason: string, startedAt: number): DeviceReport {
    const binding = bound.get(device.id);
    const endpoint = binding && 'endpoint' in binding ? binding.endpoint : endpointOf(device);
    return {
      deviceId: device.id,
      kind: binding?.driver?.kind ?? 'receipt-printer',
      driver: device.driver,
      ...(device.model ? { model: device.model } : {}),
      health: 'unknown',
      findings: [],
      checklist: [],
      evidence: {
        transport: endpoint.transport,
        target: endpoint.target,
        transportError: reason.slice(0, 200),
        exchanges: [],
      },
      probedAt: now().toISOString(),
      durationMs: Math.max(0, Date.now() - startedAt),
    };
  }

  async function probeOnce(device: DeviceConfig, deadlineMs: number): Promise<DeviceReport> {
    const startedAt = Date.now();
    const binding = bound.get(device.id);
    if (!binding || 'error' in binding) return unknownReport(device, binding?.error ?? `device ${device.id} is not configured`, startedAt);
    // One controller per probe, aborted by its deadline or by stop (not AbortSignal.any(): see tied-abort.ts).
    const { controller: deadline, release } = tiedAbortController(stopController.signal);
    const { signal } = deadline;
    let timeout: NodeJS.Timeout | undefined;
    // The race guards against a driver that ignores its signal: the loop moves on at the deadline
    // even if the driver's promise never settles.
    const overrun = new Promise<DeviceReport>((resolve) => {
      timeout = setTimeout(() => {
        deadline.abort(new Error('probe deadline'));
        resolve(unknownReport(device, `probe did not finish within ${deadlineMs} ms`, startedAt));
      }, deadlineMs);
    });
    try {
      const base = { openTransport: options.openTransport, now, signal };
      const watch = watches.get(device.id);
      const report = await Promise.race([watch ? watch.probe(base) : binding.probe(base), overrun]);
      if (report.deviceId !== device.id) return { ...report, deviceId: device.id };
      return report;
    } catch (error) {
      log.warn(`driver ${device.driver} failed on ${device.id}: ${errorText(error)}`);
      return unknownReport(device, `driver error: ${errorText(error)}`, startedAt);
    } finally {
      clearTimeout(timeout);
      release();
    }
  }

  function probeDevice(device: DeviceConfig, deadlineMs: number): Promise<DeviceReport> {
    const current = running.get(device.id);
    if (current) return current;
    const pushesBefore = pushes.get(device.id) ?? 0;
    const holder = held.get(device.id);
    const probe = (holder ? holder.then(() => probeOnce(device, deadlineMs)) : probeOnce(device, deadlineMs)).then((report) => {
      // A report the device pushed while this probe ran is at least as new as this one.
      if ((pushes.get(device.id) ?? 0) === pushesBefore) latest.set(device.id, report);
      return report;
    });
    running.set(device.id, probe);
    void probe.finally(() => running.delete(device.id));
    return probe;
  }

  function latestInOrder(): DeviceReport[] {
    const devices = options.devices.flatMap((d) => {
      const report = latest.get(d.id);
      return report ? [report] : [];
    });
    return hostLoop ? [...devices, ...hostLoop.latest()] : devices;
  }

  const reporter = createHealthReporter({
    latest: latestInOrder,
    onHealth: options.onHealth,
    reportIntervalMs: options.reportIntervalMs,
    writeDeadlineMs: options.healthWriteDeadlineMs ?? Math.max(options.probeIntervalMs, 5_000),
    running: () => started,
    log,
  });
  const maybeReport = () => reporter.maybeReport();

  /** A host probe's report became its latest: report it like a device's change, once its round is done. */
  function hostReported(_report: DeviceReport, round: { more: boolean }): void {
    if (started && !round.more) void maybeReport();
  }

  function pushed(device: DeviceConfig, report: DeviceReport): void {
    if (!started) return;
    latest.set(device.id, report.deviceId === device.id ? report : { ...report, deviceId: device.id });
    pushes.set(device.id, (pushes.get(device.id) ?? 0) + 1);
    void maybeReport();
  }

  function startWatches(): void {
    for (const device of options.devices) {
      const binding = bound.get(device.id);
      if (!binding || 'error' in binding) continue;
      try {
        const watch = binding.watch({
          openTransport: options.openTransport,
          now,
          logger: options.logger ?? silentLogger,
          onReport: (report) => pushed(device, report),
        });
        if (watch) watches.set(device.id, watch);
      } catch (error) {
        log.error(`could not start watching ${device.id}, polling it: ${errorText(error)}`);
      }
    }
  }

  async function runRound(): Promise<void> {
    await Promise.all(options.devices.map((d) => probeDevice(d, defaultTimeout)));
    if (!stopController.signal.aborted) await maybeReport();
  }

  function schedule(delayMs: number): void {
    if (!started) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((error) => log.error(`probe round failed: ${errorText(error)}`))
        .finally(() => schedule(options.probeIntervalMs));
    }, delayMs);
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopController = new AbortController();
      startWatches();
      schedule(0);
      hostLoop?.start();
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      stopController.abort(new Error('agent stopping'));
      const watchesStopped = Promise.allSettled([...watches.values()].map((watch) => watch.stop()));
      watches.clear();
      const hostStopped = hostLoop?.stop();
      await round;
      await Promise.allSettled([...running.values()]);
      await watchesStopped;
      await hostStopped;
    },
    async probeNow(request = {}) {
      const hostId = hostLoop?.ids().find((id) => id === request.deviceId);
      if (hostLoop && hostId) {
        const reports = await hostLoop.probeNow(hostId);
        await maybeReport();
        return reports;
      }
      const devices = request.deviceId ? options.devices.filter((d) => d.id === request.deviceId) : options.devices;
      const deadlineMs = request.deadlineMs ?? defaultTimeout;
      const reports = await Promise.all(
        devices.map(async (device) => {
          // A probe already running (started with the loop's longer deadline) is shared, but the
          // caller's deadline still holds: past it, the last known report stands in.
          const startedAt = Date.now();
          let timeout: NodeJS.Timeout | undefined;
          const fallback = new Promise<DeviceReport>((resolve) => {
            timeout = setTimeout(
              () => resolve(latest.get(device.id) ?? unknownReport(device, `probe did not finish within ${deadlineMs} ms`, startedAt)),
              deadlineMs + 50,
            );
          });
          try {
            return await Promise.race([probeDevice(device, deadlineMs), fallback]);
          } finally {
            clearTimeout(timeout);
          }
        }),
      );
      await maybeReport();
      return request.deviceId || !hostLoop ? reports : [...reports, ...hostLoop.latest()];
    },
    latest: latestInOrder,
    hostProbeIds: () => hostLoop?.ids() ?? [],
    async exclusive(deviceId, task) {
      const device = options.devices.find((d) => d.id === deviceId);
      if (!device) throw new Error(`device ${deviceId} is not configured`);
      // Read before taking the device, synchronously: a probe queued behind this hold must not be waited for.
      const before = [held.get(deviceId), running.get(deviceId)].filter((p): p is Promise<void> | Promise<DeviceReport> => p !== undefined);
      let release = () => {};
      const hold = new Promise<void>((resolve) => (release = resolve));
      held.set(deviceId, hold);
      try {
        await Promise.allSettled(before);
        return await task(async () => {
          const report = await probeOnce(device, defaultTimeout);
          latest.set(device.id, report);
          return report;
        });
      } finally {
        release();
        if (held.get(deviceId) === hold) held.delete(deviceId);
      }
    },
  };
}

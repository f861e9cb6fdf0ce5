// What the CUPS and the Windows readers hand the probe, whatever the OS, and the pure helpers that
// turn it and the probe's memory into waits and restart counts.
import type { HostPrintQueue, PrinterDriverFacts, PrintSection, ServiceFacts } from '@tillscope/shared';
import type { QueueWait } from './diagnosis';
import type { SeenDriver } from './drivers-state';

export interface QueuedJob {
  queue: string;
  id: string;
  /** as the OS gave it; undefined when its date could not be read */
  submittedAt: Date | undefined;
}

/** How many times the service restarted unexpectedly, as the OS tells it. */
export type RestartCount =
  /** systemd NRestarts: a running total since the unit was last started by hand */
  | { kind: 'total'; count: number }
  /** Windows: the "terminated unexpectedly" events within the crash window */
  | { kind: 'window'; count: number };

/** One read of the print system; a part left undefined could not be read (and is in `unchecked`). */
export interface PlatformReading {
  system: PrintSection['system'];
  service: ServiceFacts | undefined;
  restarts: RestartCount | undefined;
  /** the OS itself says the service is in a restart loop */
  restartLoop: boolean;
  drivers: PrinterDriverFacts[] | undefined;
  /** the drivers whose versions are compared with those last seen */
  seenDrivers: SeenDriver[] | undefined;
  /** every driver was read (a PPD the agent may not read leaves a change there unseen) */
  driversComplete: boolean;
  queues: HostPrintQueue[] | undefined;
  jobs: QueuedJob[] | undefined;
}

/**
 * When each queue's oldest job started waiting: its submit time, or when this agent first saw it
 * if that is earlier (a job whose date could not be read, or a clock set back). `firstSeen` is the
 * probe's memory (job key → ms): jobs gone from the queue are forgotten.
 */
export function queueWaits(jobs: readonly QueuedJob[], firstSeen: Map<string, number>, now: Date): QueueWait[] {
  const present = new Set<string>();
  const byQueue = new Map<string, QueueWait>();
  for (const job of jobs) {
    const key = `${job.queue}\u0000${job.id}`;
    present.add(key);
    const seen = firstSeen.get(key) ?? now.getTime();
    firstSeen.set(key, seen);
    const since = Math.min(seen, job.submittedAt?.getTime() ?? seen);
    const wait = byQueue.get(job.queue);
    if (!wait) byQueue.set(job.queue, { queue: job.queue, jobCount: 1, waitingSince: new Date(since) });
    else {
      wait.jobCount += 1;
      if (since < wait.waitingSince.getTime()) wait.waitingSince = new Date(since);
    }
  }
  for (const key of [...firstSeen.keys()]) if (!present.has(key)) firstSeen.delete(key);
  return [...byQueue.values()];
}

export interface RestartSample {
  at: number;
  total: number;
}

/**
 * Restarts within the window from systemd's running total: the rise since the oldest sample inside
 * the window (a total that fell was reset by a manual start: counted from there). The first sample
 * is the baseline, so restarts before the agent started are not counted. `samples` is the probe's
 * memory and is trimmed here.
 */
export function restartsInWindow(samples: RestartSample[], total: number, now: Date, windowMs: number): number {
  samples.push({ at: now.getTime(), total });
  const since = now.getTime() - windowMs;
  while (samples.length > 1 && (samples[0]?.at ?? 0) < since) samples.shift();
  let restarts = 0;
  for (let i = 1; i < samples.length; i += 1) {
    const before = samples[i - 1]?.total ?? 0;
    const after = samples[i]?.total ?? 0;
    restarts += after >= before ? after - before : after;
  }
  return restarts;
}

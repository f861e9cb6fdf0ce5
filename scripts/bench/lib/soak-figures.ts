// The soak's arithmetic, pure so it is tested on its own (soak-figures.test.ts): memory trends
// after a warm-up, a compact series for the table, and the accounting of lost and duplicated
// messages. The soak suite (suites/soak.ts) feeds it what it measured.
import { linearRegression } from 'simple-statistics';

const MB = 1024 * 1024;

/** One memory reading of one process. */
export interface MemorySample {
  /** Seconds since the soak started. */
  atSec: number;
  /** Seconds since this process (re)started: the console restarts, the agent does not. */
  sinceStartSec: number;
  /** VmRSS from /proc/<pid>/status. */
  rssBytes: number;
  /** V8 heap used, as the process itself reports it; null when it could not answer in time. */
  heapUsedBytes: number | null;
  /**
   * V8 heap used right after a full garbage collection: the live part, what a leak grows. Taken
   * about once a minute (a full collection of a small heap costs milliseconds); null otherwise.
   */
  liveHeapBytes: number | null;
}

export type MemoryField = 'rssBytes' | 'heapUsedBytes' | 'liveHeapBytes';

export interface TrendWindow {
  /** Share of the run left out at its start (0.1: the first 10 %), while caches and JIT warm up. */
  warmupShare: number;
  /** Samples this soon after a (re)start are left out: a restarted console is still filling up. */
  settleSec: number;
  /** The run's length in seconds. */
  durationSec: number;
  /** The line is fitted to the lowest sample of each bucket this long (60: per-minute floors). */
  floorEverySec: number;
}

export interface Trend {
  /** Least-squares slope, MB per hour; NaN with fewer than 3 points or less than a minute of them. */
  mbPerHour: number;
  /** Standard error of the slope, MB per hour: how far noise alone moves it (±1 σ). */
  stdErrorMbPerHour: number;
  /** Points the line is fitted to (one per floor bucket). */
  points: number;
  spanSec: number;
}

/** The samples a trend is computed on: after the warm-up, none right after a restart, none missing the field. */
export function steadySamples(samples: readonly MemorySample[], field: MemoryField, window: TrendWindow): MemorySample[] {
  const from = window.durationSec * window.warmupShare;
  return samples.filter((sample) => sample.atSec >= from && sample.sinceStartSec >= window.settleSec && sample[field] !== null);
}

/**
 * The lowest reading in each `everySec` bucket, as [hours, MB] points. Heap and RSS rise and fall
 * with garbage collection; the floor between collections is what a leak raises, and fitting the
 * floors instead of every sample keeps the sawtooth out of the slope.
 */
function floorPoints(samples: readonly MemorySample[], field: MemoryField, everySec: number): [number, number][] {
  const floors = new Map<number, MemorySample>();
  for (const sample of samples) {
    const value = sample[field];
    if (value === null) continue;
    const bucket = Math.floor(sample.atSec / everySec);
    const kept = floors.get(bucket);
    if (!kept || value < (kept[field] as number)) floors.set(bucket, sample);
  }
  return [...floors.values()].sort((a, b) => a.atSec - b.atSec).map((sample) => [sample.atSec / 3600, (sample[field] as number) / MB]);
}

/** A straight line through the floors of the steady samples (simple-statistics' linearRegression). */
export function memoryTrend(samples: readonly MemorySample[], field: MemoryField, window: TrendWindow): Trend {
  const points = floorPoints(steadySamples(samples, field, window), field, window.floorEverySec);
  const spanSec = points.length > 0 ? (points[points.length - 1]![0] - points[0]![0]) * 3600 : 0;
  if (points.length < 3 || spanSec < 60) return { mbPerHour: Number.NaN, stdErrorMbPerHour: Number.NaN, points: points.length, spanSec };
  const line = linearRegression(points);
  const meanHours = points.reduce((sum, [hours]) => sum + hours, 0) / points.length;
  const residuals = points.reduce((sum, [hours, mb]) => sum + (mb - (line.m * hours + line.b)) ** 2, 0);
  const spread = points.reduce((sum, [hours]) => sum + (hours - meanHours) ** 2, 0);
  return { mbPerHour: line.m, stdErrorMbPerHour: Math.sqrt(residuals / (points.length - 2) / spread), points: points.length, spanSec };
}

export interface SeriesSummary {
  firstMb: number;
  lastMb: number;
  maxMb: number;
}

/** First, last and largest value of a field, in MB (NaN where no sample has it). */
export function summarizeSeries(samples: readonly MemorySample[], field: MemoryField): SeriesSummary {
  const values = samples.map((sample) => sample[field]).filter((value): value is number => value !== null);
  if (values.length === 0) return { firstMb: Number.NaN, lastMb: Number.NaN, maxMb: Number.NaN };
  return { firstMb: values[0]! / MB, lastMb: values[values.length - 1]! / MB, maxMb: Math.max(...values) / MB };
}

export interface SeriesPoint {
  /** Start of the bucket, seconds since the soak started. */
  atSec: number;
  /** Largest value in the bucket, MB (NaN for an empty bucket). */
  rssMb: number;
  heapMb: number;
  liveHeapMb: number;
}

/** One point per `everySec` bucket, each the bucket's largest RSS and heap: a leak shows as a rising floor of maxima. */
export function compactSeries(samples: readonly MemorySample[], everySec: number, durationSec: number): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let atSec = 0; atSec < durationSec; atSec += everySec) {
    const inBucket = samples.filter((sample) => sample.atSec >= atSec && sample.atSec < atSec + everySec);
    const max = (field: MemoryField) => {
      const values = inBucket.map((sample) => sample[field]).filter((value): value is number => value !== null);
      return values.length === 0 ? Number.NaN : Math.max(...values) / MB;
    };
    points.push({ atSec, rssMb: max('rssBytes'), heapMb: max('heapUsedBytes'), liveHeapMb: max('liveHeapBytes') });
  }
  return points;
}

/** The fleet's counters once reporting stopped and the outboxes had time to drain. */
export interface FleetTally {
  /** Health and cashier reports the virtual agents created. */
  generated: number;
  /** Acked ok by the console. */
  acked: number;
  /** Acked with ok:false: the console refused them (counted apart: not lost, but a failure). */
  rejected: number;
  /** Health and cashier reports of the fleet's agents found in the console's processed_messages. */
  stored: number;
}

export interface LossCount {
  /** Created, never acked (still in an outbox after the drain). */
  unacked: number;
  /** Acked, yet not in the console's database: the worst kind. */
  ackedNotStored: number;
  total: number;
}

export function fleetLoss(tally: FleetTally): LossCount {
  const unacked = Math.max(0, tally.generated - tally.acked - tally.rejected);
  const ackedNotStored = Math.max(0, tally.acked - tally.stored);
  return { unacked, ackedNotStored, total: unacked + ackedNotStored };
}

export interface CashierReportCheck {
  /** Accepted by the cashier page (201), not in the console's database at the end. */
  missing: string[];
  /** Stored more than once (more than one cashier note for one report). */
  duplicated: string[];
}

/**
 * Every report the cashier page accepted must be in the console exactly once. `stored` counts
 * the console's rows (cashier notes) per report id; ids absent from it count as zero.
 */
export function checkCashierReports(accepted: readonly string[], stored: ReadonlyMap<string, number>): CashierReportCheck {
  const missing = accepted.filter((id) => (stored.get(id) ?? 0) === 0);
  const duplicated = accepted.filter((id) => (stored.get(id) ?? 0) > 1);
  return { missing, duplicated };
}

/**
 * Registers whose open ticket for a persistent finding disagrees with what they last reported:
 * faulting without an open ticket, or healthy with one still open.
 */
export function ticketMismatches(faulting: ReadonlySet<string>, withOpenTicket: ReadonlySet<string>): { missingTicket: string[]; staleTicket: string[] } {
  return {
    missingTicket: [...faulting].filter((agent) => !withOpenTicket.has(agent)),
    staleTicket: [...withOpenTicket].filter((agent) => !faulting.has(agent)),
  };
}

/**
 * The delay before the next console kill: `meanSec` jittered uniformly by ±25 %, so kills do not
 * line up with the fleet's report phases. `random` is Math.random's range [0, 1).
 */
export function nextRestartDelaySec(meanSec: number, random: number): number {
  return meanSec * (0.75 + random * 0.5);
}

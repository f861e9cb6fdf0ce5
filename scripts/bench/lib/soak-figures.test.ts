import { describe, expect, it } from 'vitest';
import {
  checkCashierReports, compactSeries, fleetLoss, memoryTrend, nextRestartDelaySec, steadySamples, summarizeSeries, ticketMismatches,
  type MemorySample,
} from './soak-figures';

const MB = 1024 * 1024;

/** One sample every 10 s for `minutes`, RSS = base + slope·hours, heap = half of it. */
function linear(minutes: number, baseMb: number, mbPerHour: number, sinceStart = (atSec: number) => atSec): MemorySample[] {
  return Array.from({ length: (minutes * 60) / 10 }, (_, index) => {
    const atSec = index * 10;
    const mb = baseMb + (mbPerHour * atSec) / 3600;
    return { atSec, sinceStartSec: sinceStart(atSec), rssBytes: mb * MB, heapUsedBytes: (mb / 2) * MB, liveHeapBytes: atSec % 60 === 0 ? (mb / 4) * MB : null };
  });
}

describe('memoryTrend', () => {
  const window = { warmupShare: 0.1, settleSec: 0, durationSec: 1800, floorEverySec: 60 };

  it('finds the slope of a steady leak in MB per hour', () => {
    const samples = linear(30, 100, 12);
    expect(memoryTrend(samples, 'rssBytes', window).mbPerHour).toBeCloseTo(12, 6);
    expect(memoryTrend(samples, 'heapUsedBytes', window).mbPerHour).toBeCloseTo(6, 6);
    // The live heap is read once a minute: one point per minute, the same slope.
    expect(memoryTrend(samples, 'liveHeapBytes', window)).toMatchObject({ points: 27 });
    expect(memoryTrend(samples, 'liveHeapBytes', window).mbPerHour).toBeCloseTo(3, 6);
  });

  it('reads a flat series as no trend, whatever its level', () => {
    expect(memoryTrend(linear(30, 250, 0), 'rssBytes', window).mbPerHour).toBeCloseTo(0, 9);
  });

  it('leaves the warm-up out: a start-up climb is not a leak', () => {
    // Climbs 50 MB in the first 3 minutes (10 % of 30), flat after.
    const samples = linear(30, 100, 0).map((sample) => ({ ...sample, rssBytes: sample.rssBytes - Math.max(0, 180 - sample.atSec) * (50 / 180) * MB }));
    expect(memoryTrend(samples, 'rssBytes', window).mbPerHour).toBeCloseTo(0, 6);
    expect(memoryTrend(samples, 'rssBytes', { ...window, warmupShare: 0 }).mbPerHour).toBeGreaterThan(10);
  });

  it('leaves out samples right after a restart, so a restarted console refilling is not a trend', () => {
    // Restarts every 240 s; the first 60 s after each, memory is still 40 MB below its level.
    const sinceStart = (atSec: number) => atSec % 240;
    const samples = linear(30, 100, 0, sinceStart).map((sample) => (sample.sinceStartSec < 60 ? { ...sample, rssBytes: sample.rssBytes - 40 * MB } : sample));
    const steady = steadySamples(samples, 'rssBytes', { ...window, settleSec: 60 });
    expect(steady.every((sample) => sample.sinceStartSec >= 60 && sample.atSec >= 180)).toBe(true);
    expect(memoryTrend(samples, 'rssBytes', { ...window, settleSec: 60 }).mbPerHour).toBeCloseTo(0, 6);
  });

  it('fits the floors between collections: a sawtooth over a flat floor is no trend, over a rising floor it is', () => {
    // Heap climbs 8 MB between collections every 50 s; the floor is flat, then rises 4 MB/h.
    const sawtooth = (floorSlope: number) => linear(30, 20, floorSlope).map((sample) => ({ ...sample, heapUsedBytes: (sample.heapUsedBytes ?? 0) + ((sample.atSec % 50) / 50) * 8 * MB }));
    const flat = memoryTrend(sawtooth(0), 'heapUsedBytes', window);
    expect(flat.mbPerHour).toBeCloseTo(0, 6);
    expect(flat.points).toBe(27); // one per minute after the 3-minute warm-up
    expect(memoryTrend(sawtooth(8), 'heapUsedBytes', window).mbPerHour).toBeCloseTo(4, 1);
  });

  it('gives the slope\'s standard error: zero on a straight line, larger with noise', () => {
    expect(memoryTrend(linear(30, 100, 12), 'rssBytes', window).stdErrorMbPerHour).toBeCloseTo(0, 6);
    const noisy = linear(30, 100, 0).map((sample, index) => ({ ...sample, rssBytes: sample.rssBytes + (index % 12 === 0 ? (index % 24 === 0 ? 1 : -1) * MB : 0) }));
    expect(memoryTrend(noisy, 'rssBytes', window).stdErrorMbPerHour).toBeGreaterThan(0);
  });

  it('skips samples without a heap reading and gives NaN when too few remain', () => {
    const samples = linear(30, 100, 6).map((sample, index) => (index % 2 === 0 ? { ...sample, heapUsedBytes: null } : sample));
    expect(memoryTrend(samples, 'heapUsedBytes', window).mbPerHour).toBeCloseTo(3, 6);
    expect(memoryTrend(linear(30, 100, 6).slice(0, 20), 'rssBytes', window).mbPerHour).toBeNaN();
  });
});

describe('series', () => {
  it('summarizes first, last and max in MB', () => {
    const samples = linear(10, 100, 60);
    const summary = summarizeSeries(samples, 'rssBytes');
    expect(summary.firstMb).toBe(100);
    expect(summary.lastMb).toBeCloseTo(100 + (60 * 590) / 3600, 6);
    expect(summary.maxMb).toBe(summary.lastMb);
  });

  it('compacts into buckets holding each bucket\'s maxima, NaN for an empty bucket', () => {
    const samples = linear(10, 100, 0).filter((sample) => sample.atSec < 300 || sample.atSec >= 420);
    const points = compactSeries(samples, 120, 600);
    expect(points.map((point) => point.atSec)).toEqual([0, 120, 240, 360, 480]);
    expect(points[0]!.rssMb).toBe(100);
    expect(points[0]!.heapMb).toBe(50);
    expect(points[0]!.liveHeapMb).toBe(25);
    expect(points[3]!.rssMb).toBe(100); // 420..479 is in it
    expect(compactSeries(samples.filter((sample) => sample.atSec < 100), 120, 240)[1]!.rssMb).toBeNaN();
  });
});

describe('loss accounting', () => {
  it('counts the unacked and the acked-but-not-stored, never rejected ones as lost', () => {
    expect(fleetLoss({ generated: 1000, acked: 990, rejected: 4, stored: 988 })).toEqual({ unacked: 6, ackedNotStored: 2, total: 8 });
    expect(fleetLoss({ generated: 1000, acked: 1000, rejected: 0, stored: 1000 }).total).toBe(0);
    // Stored more often than acked (an ack lost on a kill, the resend deduplicated): not a loss.
    expect(fleetLoss({ generated: 10, acked: 10, rejected: 0, stored: 10 }).total).toBe(0);
  });

  it('finds cashier reports missing on the console or stored twice', () => {
    const stored = new Map([['a', 1], ['b', 2], ['d', 1]]);
    expect(checkCashierReports(['a', 'b', 'c'], stored)).toEqual({ missing: ['c'], duplicated: ['b'] });
    expect(checkCashierReports([], stored)).toEqual({ missing: [], duplicated: [] });
  });

  it('finds registers whose open ticket disagrees with what they last reported', () => {
    expect(ticketMismatches(new Set(['r1', 'r2']), new Set(['r2', 'r3']))).toEqual({ missingTicket: ['r1'], staleTicket: ['r3'] });
  });
});

describe('nextRestartDelaySec', () => {
  it('jitters the mean by ±25 %', () => {
    expect(nextRestartDelaySec(240, 0)).toBe(180);
    expect(nextRestartDelaySec(240, 0.5)).toBe(240);
    expect(nextRestartDelaySec(240, 0.999_999)).toBeCloseTo(300, 3);
  });
});

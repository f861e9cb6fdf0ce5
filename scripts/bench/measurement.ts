import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * One row of the bench table. A budget is a report, never an assertion: a missed budget prints
 * `fail` and the bench still exits 0. Only a suite that could not measure at all is an error.
 */
export interface Measurement {
  /** Stable key, e.g. `agent.idle.pss`; JSON results are compared run to run by it. */
  id: string;
  /** What the row measures, as the table prints it. */
  figure: string;
  value: number;
  unit: string;
  /** `null` for figures shown for context (a baseline, a count) with no budget of their own. */
  budget: Budget | null;
  /** What the best tools of the field achieve (issue 3, perf-reliability.md). */
  anchor: string;
  /** A baseline measured in the same run, so a noisy machine shows in both numbers. */
  baseline?: { label: string; value: number; unit: string };
  /** Conditions, sample size, or why a figure could not be measured at the budget's scale. */
  note?: string;
}

export interface Budget {
  op: '<=' | '<' | '>=';
  limit: number;
}

export type Verdict = 'pass' | 'fail' | 'info';

export function verdictOf(measurement: Measurement): Verdict {
  const { budget, value } = measurement;
  if (!budget) return 'info';
  const ok = budget.op === '<=' ? value <= budget.limit : budget.op === '<' ? value < budget.limit : value >= budget.limit;
  return ok ? 'pass' : 'fail';
}

export function ratioOf(measurement: Measurement): number | undefined {
  const base = measurement.baseline;
  if (!base || base.value <= 0 || base.unit !== measurement.unit) return undefined;
  return measurement.value / base.value;
}

export interface BenchContext {
  /** CI-sized run: everything scaled down to finish in under 2 minutes. */
  quick: boolean;
  /** A fresh directory for this suite's files (databases, configs); removed after the run. */
  scratchDir: string;
  log: (message: string) => void;
  /** Where run.ts writes the table as JSON; a suite may write its own long series beside it. */
  resultsDir: string;
  /** Command-line settings of the soak (`--soak-minutes`, `--soak-agents`, `--restart-every-sec`); unset: the suite's defaults. */
  soak: SoakSettings;
}

export interface SoakSettings {
  minutes?: number;
  agents?: number;
  /** Mean seconds between console kills (jittered ±25 %); 0 never kills it. */
  restartEverySec?: number;
}

export interface BenchSuite {
  id: string;
  title: string;
  /**
   * Runs only when named in `--only` (a long run such as the soak): a plain `npm run bench` or
   * `--quick` lists it as skipped instead of spending half an hour on it.
   */
  onRequestOnly?: boolean;
  run(context: BenchContext): Promise<Measurement[]>;
}

/**
 * Latency samples in microseconds, kept in Node's own HDR histogram (perf_hooks), so thousands
 * of samples cost a fixed few KB and percentiles need no sort.
 */
export class LatencySamples {
  private readonly histogram: RecordableHistogram = createHistogram();

  recordMs(milliseconds: number): void {
    // The histogram takes positive integers; sub-microsecond samples count as 1 µs.
    this.histogram.record(Math.max(1, Math.round(milliseconds * 1000)));
  }

  get count(): number {
    return this.histogram.count;
  }

  percentileMs(percentile: number): number {
    return this.histogram.count === 0 ? Number.NaN : this.histogram.percentile(percentile) / 1000;
  }

  maxMs(): number {
    return this.histogram.count === 0 ? Number.NaN : this.histogram.max / 1000;
  }

  add(other: LatencySamples): void {
    this.histogram.add(other.histogram);
  }
}

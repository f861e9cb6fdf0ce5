import fc from 'fast-check';

/**
 * One fuzz target: a parser (or one face of it) and the properties every input must satisfy.
 * Target modules live beside their parser as `*.fuzz.ts` and export plain objects of this shape
 * (shared's cannot import this file), collected in ./targets.ts. The property is built fresh for
 * each run; it fails by throwing (or returning false), never by timing.
 */
export interface FuzzTarget {
  /** short unique name for `--only` */
  name: string;
  /** what is fed in and what is checked, one line */
  about: string;
  property(): fc.IRawProperty<never> | fc.IRawProperty<any>;
  /** runs in `npm test` when the default CI share does not fit (a slow target) */
  ciRuns?: number;
}

export interface TargetOutcome {
  name: string;
  runs: number;
  failed: boolean;
  seconds: number;
  /** heap after the run and a full GC, minus the same before it (a leak shows here) */
  heapGrowthBytes: number | null;
  /** the process's peak RSS after this target (a transient blow-up shows here) */
  peakRssBytes: number;
  seed: number;
  /** fast-check's report: counterexample, shrunk, with seed and path to replay it */
  report?: string;
}

/** A full GC, when the runtime lets us ask for one (run.ts enables it; vitest may not). */
export type CollectGarbage = (() => void) | undefined;

/** Runs one target for `runs` inputs from `seed` and measures it. Never throws for a failing property. */
export async function runTarget(target: FuzzTarget, options: { runs: number; seed: number; gc?: CollectGarbage }): Promise<TargetOutcome> {
  const { gc } = options;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const details = await fc.check(target.property(), { numRuns: options.runs, seed: options.seed });
  const seconds = (performance.now() - started) / 1000;
  gc?.();
  const heapGrowthBytes = gc ? process.memoryUsage().heapUsed - heapBefore : null;
  return {
    name: target.name,
    runs: details.numRuns,
    failed: details.failed,
    seconds,
    heapGrowthBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    seed: details.seed,
    ...(details.failed ? { report: failureReport(details) } : {}),
  };
}

/** fast-check's report (counterexample, seed, path) and what the property said about it. */
function failureReport(details: fc.RunDetails<unknown>): string {
  const error = details.errorInstance;
  const why = error instanceof Error ? error.message : error === undefined ? 'the property returned false' : String(error);
  return `${fc.defaultReportMessage(details) ?? 'failed'}\nWhat failed: ${why}`;
}

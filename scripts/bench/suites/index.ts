import type { BenchSuite } from '../measurement';

/** Every suite, in the order the table prints them. Each owns one area of issue 3's budget table. */
export const BENCH_SUITES: readonly BenchSuite[] = [];

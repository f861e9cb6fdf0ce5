import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTarget, type FuzzTarget } from './target';
import { FUZZ_TARGETS } from './targets';

// The CI share of `npm run fuzz`: the same targets, a few thousand inputs each, a fresh seed per
// run (fast-check prints it with the counterexample on a failure).
const CI_RUNS = 3_000;

describe('fuzz targets (CI share)', () => {
  it.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('%s', async (_name, target) => {
    await fc.assert(target.property(), { numRuns: target.ciRuns ?? CI_RUNS });
  });

  it('target names are unique (--only picks one)', () => {
    const names = FUZZ_TARGETS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the fuzz runner', () => {
  it('reports a failing target with its seed and a counterexample instead of throwing', async () => {
    const broken: FuzzTarget = {
      name: 'broken',
      about: 'a parser that throws on any byte above 200',
      property: () =>
        fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
          if (bytes.some((b) => b > 200)) throw new Error('parser threw');
        }),
    };
    const outcome = await runTarget(broken, { runs: 1_000, seed: 42 });
    expect(outcome).toMatchObject({ name: 'broken', failed: true, seed: 42 });
    expect(outcome.report).toContain('Counterexample');
    expect(outcome.report).toContain('parser threw');
  });

  it('reports a passing target with the runs it made', async () => {
    const fine: FuzzTarget = { name: 'fine', about: 'always holds', property: () => fc.property(fc.nat(), (n) => n >= 0) };
    expect(await runTarget(fine, { runs: 500, seed: 7 })).toMatchObject({ failed: false, runs: 500, heapGrowthBytes: null });
  });
});

import { describe, expect, it } from 'vitest';
import { ratioOf, verdictOf, type Measurement } from './measurement';
import { renderTable, toJsonRows } from './table';

const row = (overrides: Partial<Measurement>): Measurement => ({
  id: 'x', figure: 'Figure', value: 10, unit: 'ms', budget: { op: '<=', limit: 10 }, anchor: 'anchor', ...overrides,
});

describe('bench verdicts', () => {
  it('passes on the budget edge for <= and >=, and fails just past it', () => {
    expect(verdictOf(row({ value: 10 }))).toBe('pass');
    expect(verdictOf(row({ value: 10.01 }))).toBe('fail');
    expect(verdictOf(row({ value: 10, budget: { op: '<', limit: 10 } }))).toBe('fail');
    expect(verdictOf(row({ value: 50_000, budget: { op: '>=', limit: 50_000 } }))).toBe('pass');
    expect(verdictOf(row({ value: 49_999, budget: { op: '>=', limit: 50_000 } }))).toBe('fail');
    expect(verdictOf(row({ budget: null }))).toBe('info');
  });

  it('computes a ratio only against a baseline in the same unit', () => {
    expect(ratioOf(row({ value: 30, baseline: { label: 'echo', value: 5, unit: 'ms' } }))).toBe(6);
    expect(ratioOf(row({ value: 30, baseline: { label: 'echo', value: 5, unit: 's' } }))).toBeUndefined();
    expect(ratioOf(row({ value: 30, baseline: { label: 'echo', value: 0, unit: 'ms' } }))).toBeUndefined();
  });
});

describe('bench table', () => {
  it('prints every row with its verdict, ratio and numbered note', () => {
    const text = renderTable([
      row({ figure: 'Fault to feed', value: 37.2, baseline: { label: 'echo p99', value: 5, unit: 'ms' }, note: '9 faults' }),
      row({ figure: 'Ingest', value: 61_234, unit: 'rows/s', budget: { op: '>=', limit: 50_000 } }),
      row({ figure: 'Missed', value: 250, unit: 'ms', budget: { op: '<=', limit: 100 } }),
    ]);
    expect(text).toContain('| Fault to feed [1]');
    expect(text).toContain('echo p99: 5 ms (×7.44)');
    expect(text).toMatch(/\| Ingest\s+\| 61,234 rows\/s \| >= 50,000 rows\/s \| PASS/);
    expect(text).toMatch(/\| Missed\s+\| 250 ms\s+\| <= 100 ms\s+\| FAIL/);
    expect(text).toContain('[1] 9 faults');
  });

  it('writes JSON rows with the same verdicts', () => {
    expect(toJsonRows([row({ value: 11 })])[0]).toMatchObject({ id: 'x', verdict: 'fail', budget: '<= 10 ms', ratio: null });
  });
});

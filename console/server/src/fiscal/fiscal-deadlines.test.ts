import { describe, expect, it } from 'vitest';
import { FISCAL_CODES, fiscalDeadline } from './fiscal-deadlines';
import { DEFAULT_FISCAL_SETTINGS, FiscalSettings } from './fiscal-settings';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const at = (hours: number) => iso(NOW + hours * H);

/** A minor ticket (P3) the SLA gives until 22 hours from now. */
const minor = (blockingAt: string | null, resolveBy = at(22)) => ({ severity: 'minor' as const, slaResolveBy: at(22), resolveBy, blockingAt });

describe('fiscal deadline rule', () => {
  it('applies to the fiscal category only', () => {
    expect(FISCAL_CODES).toContain('fiscal.fn_expires_30d');
    expect(FISCAL_CODES).not.toContain('printer.paper_end');
    expect(FISCAL_CODES).not.toContain('cashier.problem_reported');
  });

  it.each([
    [24 * 40, 3],
    [24 * 30, 3],
    [24 * 7, 2],
    [24 * 3.5, 2],
    [24 * 3, 1],
    [-5, 1],
  ])('blocking in %s hours: a minor ticket is P%s', (hours, priority) => {
    expect(fiscalDeadline(minor(at(hours)), NOW, DEFAULT_FISCAL_SETTINGS).priority).toBe(priority);
  });

  it('never below the catalogue\'s priority, and the catalogue\'s without a blocking date', () => {
    expect(fiscalDeadline({ ...minor(at(24 * 300)), severity: 'critical' }, NOW, DEFAULT_FISCAL_SETTINGS).priority).toBe(1);
    expect(fiscalDeadline({ ...minor(null), severity: 'info' }, NOW, DEFAULT_FISCAL_SETTINGS).priority).toBe(4);
    expect(fiscalDeadline({ ...minor(at(24 * 200)), severity: 'info' }, NOW, DEFAULT_FISCAL_SETTINGS).priority).toBe(4);
  });

  it('due before the blocking date by the margin, unless the SLA is earlier', () => {
    expect(fiscalDeadline(minor(at(30)), NOW, DEFAULT_FISCAL_SETTINGS).resolveBy).toBe(at(6));
    expect(fiscalDeadline(minor(at(24 * 10)), NOW, DEFAULT_FISCAL_SETTINGS).resolveBy).toBe(at(22));
    const settings = FiscalSettings.parse({ dueMarginHours: 2 });
    expect(fiscalDeadline(minor(at(10)), NOW, settings).resolveBy).toBe(at(8));
  });

  it('a due date that would be in the past is now, and stays there on later evaluations', () => {
    const first = fiscalDeadline(minor(at(5)), NOW, DEFAULT_FISCAL_SETTINGS);
    expect(first.resolveBy).toBe(at(0));
    const later = fiscalDeadline(minor(at(5), first.resolveBy), NOW + 3 * H, DEFAULT_FISCAL_SETTINGS);
    expect(later.resolveBy).toBe(at(0));
  });

  it('a blocking date that moves away (a new FN) gives the SLA deadline back', () => {
    expect(fiscalDeadline(minor(at(24 * 400), at(0)), NOW, DEFAULT_FISCAL_SETTINGS)).toEqual({ priority: 3, resolveBy: at(22) });
  });
});

import { SLA_BY_SEVERITY, Severity } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { dueDatesOf, reactMinutesOf } from './deadlines';

describe('deadlines stage', () => {
  const openedAt = new Date('2026-11-22T10:00:00.000Z');

  it('gives a critical ticket P1, 15 minutes to react and 4 hours to resolve', () => {
    expect(dueDatesOf({ agentId: 'a', code: 'printer.no_reply', severity: 'critical', openedAt }))
      .toEqual({ priority: 1, reactBy: '2026-11-22T10:15:00.000Z', resolveBy: '2026-11-22T14:00:00.000Z' });
  });

  it("follows each severity's SLA minutes", () => {
    for (const severity of Severity.options) {
      const due = dueDatesOf({ agentId: 'a', code: 'printer.paper_end', severity, openedAt });
      expect(Date.parse(due.reactBy) - openedAt.getTime()).toBe(SLA_BY_SEVERITY[severity].reactMinutes * 60_000);
      expect(Date.parse(due.resolveBy) - openedAt.getTime()).toBe(SLA_BY_SEVERITY[severity].resolveMinutes * 60_000);
      expect(reactMinutesOf(severity)).toBe(SLA_BY_SEVERITY[severity].reactMinutes);
    }
  });
});

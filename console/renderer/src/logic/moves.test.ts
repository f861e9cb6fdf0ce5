import { describe, expect, it } from 'vitest';
import { buildMove, EMPTY_MOVE_FIELDS, localDateTimeToIso, type MoveFields } from './moves';

const fields = (patch: Partial<MoveFields>): MoveFields => ({ ...EMPTY_MOVE_FIELDS, ...patch });

describe('buildMove', () => {
  it('requires a reason of at least 3 characters on every move but resume', () => {
    for (const form of ['assign', 'reassign', 'escalate', 'wait'] as const) {
      const built = buildMove(form, fields({ reason: '  ok ', username: 'petrov', group: 'fiscal' }), 'printers');
      expect(built, form).toEqual({ ok: false, errors: { reason: 'move.reasonRequired' } });
    }
    expect(buildMove('resume', fields({}), 'printers')).toEqual({ ok: true, move: { kind: 'resume', body: { reason: '' } } });
  });

  it('builds each request with the trimmed reason', () => {
    const reason = '  the store asked  ';
    expect(buildMove('assign', fields({ reason, username: ' petrov ' }), 'printers')).toEqual({ ok: true, move: { kind: 'assign', body: { username: 'petrov', reason: 'the store asked' } } });
    expect(buildMove('reassign', fields({ reason, group: 'fiscal' }), 'printers')).toEqual({ ok: true, move: { kind: 'reassign', body: { group: 'fiscal', reason: 'the store asked' } } });
    expect(buildMove('wait', fields({ reason, waitOn: 'vendor' }), 'printers')).toMatchObject({ ok: true, move: { body: { on: 'vendor' } } });
    expect(buildMove('escalate', fields({ reason, vendor: 'ATOL' }), 'printers')).toEqual({ ok: true, move: { kind: 'escalate', body: { to: 'third_line', reason: 'the store asked' } } });
  });

  it('a vendor escalation names the vendor and may carry the case number and the vendor\'s deadline', () => {
    expect(buildMove('escalate', fields({ reason: 'firmware bug', to: 'vendor' }), 'printers')).toEqual({ ok: false, errors: { vendor: 'move.vendorRequired' } });
    const built = buildMove('escalate', fields({ reason: 'firmware bug', to: 'vendor', vendor: ' ATOL ', reference: 'SR-7', vendorDue: '2026-12-05T18:00' }), 'printers');
    expect(built).toEqual({
      ok: true,
      move: { kind: 'escalate', body: { to: 'vendor', reason: 'firmware bug', vendor: 'ATOL', reference: 'SR-7', vendorDueAt: new Date('2026-12-05T18:00').toISOString() } },
    });
  });

  it('a reassignment names another group, and an assignment an engineer', () => {
    expect(buildMove('reassign', fields({ reason: 'not ours', group: 'printers' }), 'printers')).toEqual({ ok: false, errors: { group: 'move.groupRequired' } });
    expect(buildMove('reassign', fields({ reason: 'not ours', group: '' }), 'printers')).toEqual({ ok: false, errors: { group: 'move.groupRequired' } });
    expect(buildMove('assign', fields({ reason: '' }), 'printers')).toEqual({ ok: false, errors: { username: 'move.usernameRequired', reason: 'move.reasonRequired' } });
  });

  it('reads a datetime-local value as the browser\'s local time', () => {
    expect(localDateTimeToIso('')).toBeUndefined();
    expect(localDateTimeToIso('not a date')).toBeUndefined();
    expect(localDateTimeToIso('2026-12-05T18:00')).toBe(new Date(2026, 11, 5, 18, 0).toISOString());
  });
});

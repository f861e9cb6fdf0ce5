import type { FiscalFacts } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FISCAL_SETTINGS, FiscalSettings } from './fiscal-settings';
import { mergeFiscalReading, type FiscalFactsState } from './fiscal-state';
import { daysLeft, earliestBlocking, forecastDevice, replacementOf } from './forecast';

const T0 = '2026-11-30T10:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const day = (days: number) => at(days * 24);

/** Folds readings (hours after T0 → facts) the way ingest does, and forecasts at the last one. */
function readings(list: [number, FiscalFacts][], settings = DEFAULT_FISCAL_SETTINGS) {
  let state: FiscalFactsState | undefined;
  for (const [hours, facts] of list) state = mergeFiscalReading(state, facts, at(hours));
  const lastHours = list[list.length - 1]![0];
  return { state: state!, forecast: forecastDevice(state!, settings, new Date(at(lastHours))) };
}

const fn = (patch: Partial<NonNullable<FiscalFacts['fn']>> = {}): FiscalFacts['fn'] => ({ serial: '9999078900001234', validUntil: day(200), ...patch });

describe('fiscal forecast: each part', () => {
  it('FN validity alone: blocks at validUntil, with the serial and the read time as evidence', () => {
    const { forecast } = readings([[0, { fn: fn() }]]);
    expect(forecast.blockingAt).toBe(day(200));
    expect(forecast.reason).toBe('fn_validity');
    expect(forecast.parts).toEqual([{ reason: 'fn_validity', at: day(200), readAt: T0, validUntil: day(200), fnSerial: '9999078900001234' }]);
  });

  it('OFD lock: 30 days after the first unsent document, with its number and the unsent count', () => {
    const { forecast } = readings([[0, { fn: fn(), ofd: { unsentCount: 12, firstUnsentNumber: 4410, firstUnsentAt: day(-10) } }]]);
    expect(forecast.reason).toBe('ofd_lock');
    expect(forecast.blockingAt).toBe(day(20));
    expect(forecast.parts[0]).toEqual({ reason: 'ofd_lock', at: day(20), readAt: T0, firstUnsentAt: day(-10), firstUnsentNumber: 4410, unsentCount: 12, lockDays: 30 });
  });

  it('the OFD lock days are a setting', () => {
    const settings = FiscalSettings.parse({ ofdLockDays: 20 });
    const { forecast } = readings([[0, { ofd: { unsentCount: 1, firstUnsentAt: day(-10) } }]], settings);
    expect(forecast.blockingAt).toBe(day(10));
  });

  it('no unsent document: no OFD part', () => {
    const { forecast } = readings([[0, { fn: fn(), ofd: { unsentCount: 0 } }]]);
    expect(forecast.parts.map((p) => p.reason)).toEqual(['fn_validity']);
  });

  it('archive full at the document rate measured from the first reading of this FN', () => {
    // 2,000 documents in 10 hours = 4,800 a day; 240,000 → 250,000 is 10,000 more: 50 hours after the last reading.
    const { forecast } = readings([
      [0, { fn: fn({ validUntil: day(400), lastDocumentNumber: 238_000 }) }],
      [10, { fn: fn({ validUntil: day(400), lastDocumentNumber: 240_000 }) }],
    ]);
    expect(forecast.reason).toBe('archive_full');
    expect(forecast.blockingAt).toBe(at(60));
    expect(forecast.parts[0]).toEqual({
      reason: 'archive_full', at: at(60), readAt: at(10), lastDocumentNumber: 240_000, capacity: 250_000, documentsPerDay: 4800, referenceNumber: 238_000, referenceAt: T0,
    });
  });

  it('the archive capacity is a setting', () => {
    const settings = FiscalSettings.parse({ archiveCapacity: 245_000 });
    const { forecast } = readings([
      [0, { fn: fn({ lastDocumentNumber: 238_000 }) }],
      [10, { fn: fn({ lastDocumentNumber: 240_000 }) }],
    ], settings);
    expect(forecast.blockingAt).toBe(at(35));
  });

  it('a shift past 24 hours: blocked since 24 h after it opened', () => {
    const { forecast } = readings([[30, { fn: fn(), shift: { state: 'expired', number: 77, openedAt: at(0), openedAtSource: 'device' } }]]);
    expect(forecast.reason).toBe('shift_expired');
    expect(forecast.blockingAt).toBe(at(24));
    expect(forecast.parts[0]).toEqual({ reason: 'shift_expired', at: at(24), readAt: at(30), shiftNumber: 77, openedAt: at(0) });
  });

  it('an open shift is not a blocking date (it is closed every day)', () => {
    const { forecast } = readings([[0, { fn: fn(), shift: { state: 'open', openedAt: at(-23), openedAtSource: 'device' } }]]);
    expect(forecast.parts.map((p) => p.reason)).toEqual(['fn_validity']);
  });
});

describe('fiscal forecast: the earliest wins, already blocked', () => {
  it('the earliest part is the blocking date; every part stays, earliest first', () => {
    const { forecast } = readings([
      [0, { fn: fn({ validUntil: day(40), lastDocumentNumber: 100_000 }), ofd: { unsentCount: 3, firstUnsentAt: day(-20) } }],
      [24, { fn: fn({ validUntil: day(40), lastDocumentNumber: 100_500 }), ofd: { unsentCount: 3, firstUnsentAt: day(-20) } }],
    ]);
    expect(forecast.parts.map((p) => p.reason)).toEqual(['ofd_lock', 'fn_validity', 'archive_full']);
    expect(forecast.reason).toBe('ofd_lock');
    expect(forecast.blockingAt).toBe(day(10));
  });

  it('an expired FN and 30 days unsent: the blocking date is in the past, with its reason', () => {
    const { forecast } = readings([[0, { fn: fn({ validUntil: day(-1) }), ofd: { unsentCount: 1, firstUnsentAt: day(-32) } }]]);
    expect(forecast.reason).toBe('ofd_lock');
    expect(forecast.blockingAt).toBe(day(-2));
    expect(forecast.parts.map((p) => p.reason)).toEqual(['ofd_lock', 'fn_validity']);
    expect(Date.parse(forecast.blockingAt!)).toBeLessThan(Date.parse(forecast.computedAt));
  });

  it('an archive already at capacity blocks at the reading, rate or not', () => {
    const { forecast } = readings([[0, { fn: fn({ lastDocumentNumber: 250_000 }) }]]);
    expect(forecast.reason).toBe('archive_full');
    expect(forecast.blockingAt).toBe(T0);
  });
});

describe('fiscal forecast: the document rate', () => {
  it('no rate yet (one reading, or readings closer than the minimum span): archive part left out, said so with its start', () => {
    const one = readings([[0, { fn: fn({ lastDocumentNumber: 1000 }) }]]).forecast;
    expect(one.parts.map((p) => p.reason)).toEqual(['fn_validity']);
    expect(one.notes).toEqual([{ code: 'no_rate', since: T0 }]);
    const close = readings([[0, { fn: fn({ lastDocumentNumber: 1000 }) }], [5, { fn: fn({ lastDocumentNumber: 1200 }) }]]).forecast;
    expect(close.notes).toEqual([{ code: 'no_rate', since: T0 }]);
  });

  it('an archive 90 % warning without a rate is its own note', () => {
    const { forecast } = readings([[0, { fn: fn({ lastDocumentNumber: 226_000, warnings: { replaceUrgently: false, resourceExhausted: false, archiveNearlyFull: true, ofdTimeout: false, criticalError: false } }) }]]);
    expect(forecast.notes).toEqual([{ code: 'no_rate', since: T0 }, { code: 'archive_nearly_full' }]);
  });

  it('a new FN (another serial) resets the rate: the old drive\'s documents do not count', () => {
    const { state, forecast } = readings([
      [0, { fn: fn({ lastDocumentNumber: 200_000 }) }],
      [24, { fn: fn({ lastDocumentNumber: 210_000 }) }],
      [30, { fn: { serial: '9999078900005555', validUntil: day(480), lastDocumentNumber: 12 } }],
    ]);
    expect(state.rateReference).toEqual({ serial: '9999078900005555', number: 12, at: at(30) });
    expect(forecast.parts.map((p) => p.reason)).toEqual(['fn_validity']);
    expect(forecast.blockingAt).toBe(day(480));
    expect(forecast.notes).toEqual([{ code: 'no_rate', since: at(30) }]);
  });

  it('another serial resets the rate even when its document number is higher', () => {
    const { state, forecast } = readings([
      [0, { fn: fn({ lastDocumentNumber: 1_000 }) }],
      [24, { fn: { serial: '9999078900005555', validUntil: day(300), lastDocumentNumber: 1_500 } }],
    ]);
    expect(state.rateReference).toEqual({ serial: '9999078900005555', number: 1_500, at: at(24) });
    expect(forecast.notes).toEqual([{ code: 'no_rate', since: at(24) }]);
  });

  it('a document number that goes down resets the rate even when the serial was not read', () => {
    const { state } = readings([
      [0, { fn: { lastDocumentNumber: 90_000 } }],
      [24, { fn: { lastDocumentNumber: 5 } }],
    ]);
    expect(state.rateReference).toEqual({ serial: null, number: 5, at: at(24) });
  });

  it('a reading without the serial keeps the drive\'s other facts and its rate reference', () => {
    const { state } = readings([
      [0, { fn: fn({ lastDocumentNumber: 1_000 }) }],
      [12, { fn: { lastDocumentNumber: 1_600 } }],
    ]);
    expect(state.fn).toMatchObject({ serial: '9999078900001234', validUntil: day(200), lastDocumentNumber: 1_600, readAt: at(12) });
    expect(state.rateReference).toEqual({ serial: '9999078900001234', number: 1_000, at: T0 });
  });

  it('no document since the first reading, or an archive lasting beyond the horizon: left out with a note', () => {
    const idle = readings([[0, { fn: fn({ lastDocumentNumber: 500 }) }], [48, { fn: fn({ lastDocumentNumber: 500 }) }]]).forecast;
    expect(idle.notes).toEqual([{ code: 'no_documents', since: T0 }]);
    const slow = readings([[0, { fn: fn({ lastDocumentNumber: 500 }) }], [48, { fn: fn({ lastDocumentNumber: 510 }) }]]).forecast;
    expect(slow.notes).toEqual([{ code: 'archive_far' }]);
    expect(slow.parts.map((p) => p.reason)).toEqual(['fn_validity']);
  });

  it('no FN facts at all, or no validity date: said so', () => {
    expect(readings([[0, { shift: { state: 'closed' } }]]).forecast).toMatchObject({ blockingAt: null, reason: null, parts: [], notes: [{ code: 'no_fn' }] });
    expect(readings([[0, { fn: { serial: 'X' } }]]).forecast.notes).toEqual([{ code: 'no_validity' }, { code: 'no_rate' }]);
  });
});

describe('register forecast and replacement', () => {
  it('the register blocks at the earliest of its fiscal devices', () => {
    expect(earliestBlocking([
      { deviceId: 'kkt-2', blockingAt: day(30), reason: 'fn_validity' },
      { deviceId: 'kkt-1', blockingAt: day(12), reason: 'ofd_lock' },
      { deviceId: 'kkt-3', blockingAt: null, reason: null },
    ])).toEqual({ deviceId: 'kkt-1', blockingAt: day(12), reason: 'ofd_lock' });
    expect(earliestBlocking([{ deviceId: 'kkt-3', blockingAt: null, reason: null }])).toBeNull();
  });

  it('a drive is replaced for its own end (validity, archive), not for an OFD lock', () => {
    const { forecast } = readings([[0, { fn: fn({ validUntil: day(50) }), ofd: { unsentCount: 1, firstUnsentAt: day(-25) } }]]);
    expect(forecast.reason).toBe('ofd_lock');
    expect(replacementOf(forecast)).toEqual({ replaceBy: day(50), reason: 'fn_validity' });
  });

  it('days left round down and go negative once past', () => {
    const now = Date.parse(T0);
    expect(daysLeft(at(47), now)).toBe(1);
    expect(daysLeft(at(-1), now)).toBe(-1);
  });
});

describe('fiscal settings', () => {
  it('a bad setting names its field', () => {
    expect(() => FiscalSettings.parse({ priorityDays: { p1: 10, p2: 7, p3: 30 } })).toThrow(/p1 <= p2 <= p3/);
    expect(() => FiscalSettings.parse({ archiveCapacity: 0 })).toThrow(/archiveCapacity/);
    expect(() => FiscalSettings.parse({ unknown: 1 })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { iso, makeRegister, T0 } from '../testing/fixtures';
import { blockingWhen, blockingWithin, forecastTone, partText } from './forecast';

const DAY = 86_400_000;

describe('forecast display logic', () => {
  it('tones: red when blocked or within 3 days, amber within 30, plain later', () => {
    expect(forecastTone(iso(T0 - DAY), T0)).toBe('red');
    expect(forecastTone(iso(T0 + 3 * DAY), T0)).toBe('red');
    expect(forecastTone(iso(T0 + 3 * DAY + 1), T0)).toBe('amber');
    expect(forecastTone(iso(T0 + 30 * DAY), T0)).toBe('amber');
    expect(forecastTone(iso(T0 + 31 * DAY), T0)).toBe('ok');
  });

  it('says when: already, within a day, or in whole days', () => {
    expect(blockingWhen(iso(T0), T0)).toEqual({ key: 'forecast.blocked' });
    expect(blockingWhen(iso(T0 + 3_600_000), T0)).toEqual({ key: 'forecast.withinDay' });
    expect(blockingWhen(iso(T0 + 2.9 * DAY), T0)).toEqual({ key: 'forecast.inDays', vars: { days: 2 } });
  });

  it('counts a page\'s registers blocked within N days, blocked ones included', () => {
    const at = (days: number | null) => makeRegister(String(days), { forecast: days === null ? null : { blockingAt: iso(T0 + days * DAY), reason: 'fn_validity', deviceId: 'k', daysLeft: days } });
    expect(blockingWithin([at(-1), at(10), at(30), at(31), at(null)], 30, T0)).toBe(3);
  });

  it('puts each part\'s evidence into its string\'s values', () => {
    const date = (value: string) => value.slice(0, 10);
    expect(partText({ reason: 'archive_full', at: iso(T0), readAt: iso(T0), lastDocumentNumber: 240_000, capacity: 250_000, documentsPerDay: 4800, referenceNumber: 238_000, referenceAt: iso(T0 - DAY) }, date))
      .toEqual({ key: 'forecast.part.archive_full', vars: { last: 240_000, capacity: 250_000, rate: 4800, reference: 238_000, since: '2026-03-01' } });
    expect(partText({ reason: 'shift_expired', at: iso(T0), readAt: iso(T0), shiftNumber: null, openedAt: null }, date))
      .toEqual({ key: 'forecast.part.shift_expired', vars: { number: '—', date: '—' } });
  });
});

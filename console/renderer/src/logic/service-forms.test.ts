import { DEFAULT_SLA_MINUTES, NoiseSettings, WeeklyHours } from '@tillscope/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/strings';
import { formatMinutesInput, parseDuration, parseMinutes } from './durations';
import { countKinds, detectCalendarFormat, dayKind, withDay, yearGrid } from './holiday-calendar';
import { emptyMaintenanceForm, localToInstant, maintenanceRequest } from './maintenance-form';
import { formToNoise, noiseToForm } from './noise-form';
import { parseHash, routeToHash } from './route';
import { formToTargets, targetsToForm } from './sla-targets-form';
import { formToHours, hoursSummary, hoursToForm, timeZoneChoices } from './store-hours';

const ru = (key: Parameters<typeof translate>[1]) => translate('ru', key);

describe('durations as an admin types them', () => {
  it('reads h:mm, words in both languages and bare numbers in the field unit', () => {
    expect(parseMinutes('0:15')).toBe(15);
    expect(parseMinutes('4:00')).toBe(240);
    expect(parseMinutes('72:00')).toBe(4320);
    expect(parseMinutes('4 ч 30 мин')).toBe(270);
    expect(parseMinutes('4h30m')).toBe(270);
    expect(parseMinutes('90')).toBe(90);
    expect(parseDuration('90', 'second')).toBe(90);
    expect(parseDuration('10 мин', 'second')).toBe(600);
    expect(parseDuration('1:30', 'second')).toBe(90);
    expect(parseDuration('2 мин 5 с', 'second')).toBe(125);
  });

  it('refuses what is not a duration, days, and minutes with seconds in a minutes field', () => {
    for (const text of ['', 'скоро', '4:75', '2 д', '1.5 ч', '-5', '4 ч мин']) expect(parseMinutes(text), text).toBeNull();
    expect(parseMinutes('30 с')).toBeNull();
  });

  it('formats what it parses back to the same minutes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 525_600 }), (minutes) => parseMinutes(formatMinutesInput(minutes)) === minutes));
  });
});

describe('SLA targets form', () => {
  const targets = [{ category: 'printer' as const, priority: 1 as const, ...DEFAULT_SLA_MINUTES[1] }];

  it('round-trips the server targets', () => {
    expect(targetsToForm(targets)).toEqual({ 'printer/1': { react: '0:15', resolve: '4:00' } });
    expect(formToTargets(targetsToForm(targets))).toEqual({ targets });
  });

  it('names each bad cell: unreadable, zero, and a reaction longer than the resolution', () => {
    expect(formToTargets({ 'printer/1': { react: 'soon', resolve: '0' }, 'fiscal/2': { react: '5:00', resolve: '1:00' } })).toEqual({
      errors: [
        { cell: 'printer/1', which: 'react', key: 'svc.sla.error.format' },
        { cell: 'printer/1', which: 'resolve', key: 'svc.sla.error.range' },
        { cell: 'fiscal/2', which: 'react', key: 'svc.sla.error.order' },
      ],
    });
  });
});

describe('store hours', () => {
  const hours: WeeklyHours = [{ open: '09:00', close: '21:00' }, { open: '09:00', close: '21:00' }, { open: '09:00', close: '21:00' }, { open: '09:00', close: '21:00' }, { open: '09:00', close: '21:00' }, { open: '10:00', close: '24:00' }, null];

  it('round-trips weekly hours with a closed day and a 24:00 close, and forgives a missing leading zero', () => {
    expect(formToHours(hoursToForm(hours))).toEqual({ hours });
    const form = hoursToForm(hours);
    form[0] = { open: true, from: '9:00', to: '21:00' };
    expect(formToHours(form)).toEqual({ hours });
  });

  it('names the weekday of each bad day and checks every result against the shared schema', () => {
    const form = hoursToForm(hours);
    form[1] = { open: true, from: '21:00', to: '09:00' };
    form[2] = { open: true, from: '9', to: '25:00' };
    form[3] = { open: true, from: '24:00', to: '24:00' };
    expect(formToHours(form)).toEqual({ errors: [{ day: 1, key: 'svc.hours.error.order' }, { day: 2, key: 'svc.hours.error.format' }, { day: 3, key: 'svc.hours.error.order' }] });
    expect(formToHours(hoursToForm(Array(7).fill(null)))).toEqual({ errors: [{ day: 0, key: 'svc.hours.error.allClosed' }] });
    fc.assert(
      fc.property(fc.array(fc.record({ open: fc.boolean(), from: fc.constantFrom('00:00', '09:00', '9:30', '24:00', '23:59', 'x'), to: fc.constantFrom('00:00', '21:00', '24:00', '12:5') }), { minLength: 7, maxLength: 7 }), (form) => {
        const result = formToHours(form);
        return 'errors' in result || WeeklyHours.safeParse(result.hours).success;
      }),
    );
  });

  it('sums the week up with runs of equal days, Monday first', () => {
    expect(hoursSummary(hours, ru)).toBe('Пн–Пт 09:00–21:00, Сб 10:00–24:00, Вс выходной');
  });

  it('offers Russia first, then every zone the browser knows, and always the current one', () => {
    const zones = timeZoneChoices('Europe/Berlin', () => ['Europe/Moscow', 'America/New_York']);
    expect(zones.russian[1]).toBe('Europe/Moscow');
    expect(zones.other).toEqual(['Europe/Berlin', 'America/New_York']);
    expect(timeZoneChoices('Europe/Moscow', () => []).other).toEqual([]);
  });
});

describe('the holiday calendar year', () => {
  it('lays out each month in weeks, Monday first', () => {
    const grid = yearGrid(2026);
    expect(grid).toHaveLength(12);
    // 1 January 2026 is a Thursday; February 2026 starts on a Sunday.
    expect(grid[0]!.weeks[0]).toEqual([null, null, null, '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
    expect(grid[1]!.weeks[0]![6]).toBe('2026-02-01');
    expect(grid.flatMap((m) => m.weeks.flat()).filter(Boolean)).toHaveLength(365);
    expect(yearGrid(2028).flatMap((m) => m.weeks.flat()).filter(Boolean)).toHaveLength(366);
  });

  it('tells a listed day, a weekend and an ordinary day apart, and edits one day', () => {
    const days = [{ date: '2026-01-01', kind: 'holiday' as const, note: 'Новый год' }];
    expect(dayKind('2026-01-01', days[0])).toBe('holiday');
    expect(dayKind('2026-01-03', undefined)).toBe('weekend');
    expect(dayKind('2026-01-12', undefined)).toBe('ordinary');
    const edited = withDay(days, '2025-12-31', 'short', ' канун ');
    expect(edited).toEqual([{ date: '2025-12-31', kind: 'short', note: 'канун' }, days[0]]);
    expect(withDay(edited, '2026-01-01', null, '')).toEqual([edited[0]]);
    expect(countKinds(edited)).toEqual({ holiday: 1, short: 1, working: 0 });
  });

  it('recognises an xmlcalendar file by name or content, anything else as CSV', () => {
    expect(detectCalendarFormat('calendar.xml', '')).toBe('xmlcalendar');
    expect(detectCalendarFormat('2026.txt', '<?xml version="1.0"?><calendar year="2026">')).toBe('xmlcalendar');
    expect(detectCalendarFormat('2026.csv', '2026-01-01,holiday,Новый год')).toBe('csv');
  });
});

describe('the maintenance form', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const form = { storeId: 'vvo-003', registerId: '', startsAt: '2026-12-01T02:00', endsAt: '2026-12-01T04:00', reason: 'Замена роутера' };

  it('reads the times in the store zone', () => {
    expect(localToInstant('2026-12-01T02:00', 'Asia/Vladivostok')).toBe('2026-11-30T16:00:00Z');
    expect(maintenanceRequest(form, 'Asia/Vladivostok', now)).toEqual({
      request: { storeId: 'vvo-003', registerId: null, startsAt: '2026-11-30T16:00:00Z', endsAt: '2026-11-30T18:00:00Z', reason: 'Замена роутера' },
    });
    expect(emptyMaintenanceForm(now, 'Europe/Moscow')).toMatchObject({ startsAt: '2026-11-30T16:00', endsAt: '2026-11-30T18:00' });
  });

  it('names each problem with its field before sending', () => {
    const bad = (change: Partial<typeof form>) => {
      const result = maintenanceRequest({ ...form, ...change }, 'Europe/Moscow', now);
      return 'errors' in result ? result.errors.map((e) => `${e.field}:${e.key}`) : [];
    };
    expect(bad({ storeId: ' ', reason: 'ok' })).toEqual(['storeId:svc.mw.error.store', 'reason:svc.mw.error.reason']);
    expect(bad({ registerId: 'касса 1' })).toEqual(['registerId:svc.mw.error.register']);
    expect(bad({ endsAt: '2026-12-01T01:00' })).toEqual(['endsAt:svc.mw.error.order']);
    expect(bad({ endsAt: '2026-12-09T02:00' })).toEqual(['endsAt:svc.mw.error.tooLong']);
    expect(bad({ startsAt: '2026-11-29T10:00', endsAt: '2026-11-29T12:00' })).toEqual(['endsAt:svc.mw.error.past']);
    expect(bad({ startsAt: '' })).toEqual(['startsAt:svc.mw.error.time']);
  });
});

describe('the noise form', () => {
  const settings = NoiseSettings.parse({ holds: { 'printer.cover_open': 90, 'agent.offline': 600 } });
  const words = { min: 'мин', s: 'с' };

  it('round-trips the settings, durations in words and the share in percent', () => {
    const form = noiseToForm(settings, words);
    expect(form).toMatchObject({ holds: { 'printer.cover_open': '90 с', 'agent.offline': '10 мин' }, flapWindow: '30 мин', correlationPercent: '60' });
    expect(formToNoise(form)).toEqual({ settings });
  });

  it('drops an emptied override (back to the default) and names out-of-range fields', () => {
    const form = noiseToForm(settings, words);
    expect(formToNoise({ ...form, holds: { ...form.holds, 'agent.offline': ' ' } })).toEqual({ settings: { ...settings, holds: { 'printer.cover_open': 90 } } });
    const result = formToNoise({ ...form, flapThreshold: '1', correlationPercent: '5', flapWindow: '10 с', holds: { 'printer.cover_open': 'долго' } });
    expect('errors' in result && result.errors.map((e) => e.field)).toEqual(['hold.printer.cover_open', 'flapThreshold', 'flapWindow', 'correlationPercent']);
  });
});

describe('the service-desk route', () => {
  it('addresses each part and falls back to the SLA targets', () => {
    expect(parseHash('#/service/calendar')).toEqual({ name: 'service', section: 'calendar' });
    expect(parseHash('#/service')).toEqual({ name: 'service', section: 'sla' });
    expect(parseHash('#/service/nonsense')).toEqual({ name: 'service', section: 'sla' });
    expect(routeToHash({ name: 'service', section: 'maintenance' })).toBe('#/service/maintenance');
  });
});

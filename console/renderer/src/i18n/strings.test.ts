import {
  CATALOGUE, CHECKLIST_STEP_TITLES, DiagnosisCode, TimelineKind, TicketStatus, DeviceHealth, DeviceKind, Role, ChecklistResult,
  DriftKind, HOST_PROBE_SECTION, MoveKind, RedactionKind, type SlaClockState, OsEventLevel, PeripheralKind, PrintSection, ServiceStartMode, ServiceState, VolumeRole,
} from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { loadLocale, LOCALE_STORAGE_KEY, saveLocale } from './locale';
import { placeholders, PLURAL_FORMS, pluralWords, STRINGS, translate } from './strings';

describe('i18n completeness', () => {
  it('every key has non-empty Russian and English with the same placeholders', () => {
    for (const [key, text] of Object.entries(STRINGS)) {
      expect(text.ru.trim(), `${key}.ru`).not.toBe('');
      expect(text.en.trim(), `${key}.en`).not.toBe('');
      expect(placeholders(text.ru), key).toEqual(placeholders(text.en));
    }
  });

  it('covers every enum value the UI turns into words', () => {
    const need: string[] = [
      ...TimelineKind.options.map((k) => `timeline.${k}`),
      ...TicketStatus.options.map((s) => `status.${s}`),
      ...DeviceHealth.options.map((h) => `health.${h}`),
      ...DeviceKind.options.map((k) => `device.${k}`),
      ...Role.options.map((r) => `role.${r}`),
      ...ChecklistResult.options.map((r) => `checklist.${r}`),
      ...DriftKind.options.map((k) => `drift.kind.${k}`),
      ...ServiceState.options.map((s) => `host.service.${s}`),
      ...ServiceStartMode.options.map((m) => `host.startMode.${m}`),
      ...PeripheralKind.options.map((k) => `host.kind.${k}`),
      ...VolumeRole.options.map((r) => `host.volume.${r}`),
      ...OsEventLevel.options.map((l) => `host.level.${l}`),
      ...PrintSection.shape.system.options.map((s) => `host.print.system.${s}`),
      ...Object.values(HOST_PROBE_SECTION).map((s) => `host.section.${s}`),
      ...RedactionKind.options.map((k) => `bundle.kind.${k}`),
      ...MoveKind.options.map((k) => `move.kind.${k}`),
      ...(['ok', 'amber', 'red', 'overdue', 'paused', 'met'] satisfies SlaClockState[]).map((s) => `sla.state.${s}`),
    ];
    for (const key of need) expect(STRINGS, key).toHaveProperty([key]);
  });

  it('the shared catalogue has both languages for every code and step', () => {
    for (const code of DiagnosisCode.options) {
      expect(CATALOGUE[code].title.ru, code).not.toBe('');
      expect(CATALOGUE[code].title.en, code).not.toBe('');
      expect(CATALOGUE[code].advice.ru, code).not.toBe('');
    }
    for (const t of Object.values(CHECKLIST_STEP_TITLES)) expect(t.ru && t.en).toBeTruthy();
  });

  it('gives every plural word the forms its language has', () => {
    for (const [key, text] of Object.entries(STRINGS)) {
      for (const locale of ['ru', 'en'] as const) {
        for (const forms of pluralWords(text[locale])) expect(forms, `${key} (${locale})`).toBe(PLURAL_FORMS[locale].length);
      }
    }
  });

  it('agrees the word with the number: 1 раз, 3 раза, 5 раз, 21 раз, 1 день, 22 дня, 30 дней', () => {
    const runs = (n: number, days: number, locale: 'ru' | 'en' = 'ru') => translate(locale, 'printer.paperRuns', { n, days });
    expect(runs(1, 30)).toBe('Бумага заканчивалась 1 раз за 30 дней');
    expect(runs(3, 22)).toBe('Бумага заканчивалась 3 раза за 22 дня');
    expect(runs(5, 21)).toBe('Бумага заканчивалась 5 раз за 21 день');
    expect(runs(21, 1)).toBe('Бумага заканчивалась 21 раз за 1 день');
    expect(runs(12, 14)).toBe('Бумага заканчивалась 12 раз за 14 дней');
    expect(runs(1, 30, 'en')).toBe('Paper ran low 1 time in 30 days');
    expect(runs(4, 1, 'en')).toBe('Paper ran low 4 times in 1 day');
    expect(translate('ru', 'actions.sentTimes', { n: 2 })).toBe('отправлено 2 раза');
  });

  it('substitutes placeholders and leaves unknown ones visible', () => {
    expect(translate('ru', 'queue.count', { n: 12 })).toBe('Заявок: 12');
    expect(translate('en', 'queue.count', { n: 12 })).toBe('Tickets: 12');
    expect(translate('en', 'queue.count')).toBe('Tickets: {n}');
    expect(translate('en', 'queue.count', { m: 1 })).toBe('Tickets: {n}');
  });
});

describe('locale choice', () => {
  const memory = () => {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
  };
  it('defaults to Russian and remembers the switch', () => {
    const storage = memory();
    expect(loadLocale(storage)).toBe('ru');
    saveLocale(storage, 'en');
    expect(storage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(loadLocale(storage)).toBe('en');
  });
  it('survives garbage and disabled storage', () => {
    expect(loadLocale({ getItem: () => 'de' })).toBe('ru');
    expect(loadLocale({ getItem: () => { throw new Error('SecurityError'); } })).toBe('ru');
    expect(loadLocale(undefined)).toBe('ru');
  });
});

import { DayHours, type WeeklyHours } from '@tillscope/shared';
import { IANAZone } from 'luxon';
import type { StringKey } from '../i18n/strings';

/** One weekday of the hours editor, Monday first: open or closed, and its times as typed. */
export interface DayForm {
  open: boolean;
  from: string;
  to: string;
}

export interface DayError {
  /** 0 = Monday … 6 = Sunday */
  day: number;
  key: StringKey;
}

export const WEEKDAY_KEYS = ['weekday.1', 'weekday.2', 'weekday.3', 'weekday.4', 'weekday.5', 'weekday.6', 'weekday.7'] as const satisfies readonly StringKey[];

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function hoursToForm(hours: WeeklyHours): DayForm[] {
  return hours.map((day) => (day ? { open: true, from: day.open, to: day.close } : { open: false, from: '09:00', to: '21:00' }));
}

/** "9:00" → "09:00", "900" stays wrong: only the missing leading zero is forgiven. */
function normalizeTime(text: string): string {
  const value = text.trim();
  return /^\d:\d\d$/.test(value) ? `0${value}` : value;
}

/** The weekly hours the form says, or what is wrong with which day (the shared DayHours rules, and at least one open day). */
export function formToHours(form: readonly DayForm[]): { hours: WeeklyHours } | { errors: DayError[] } {
  const errors: DayError[] = [];
  const hours = form.map((day, index) => {
    if (!day.open) return null;
    const open = normalizeTime(day.from);
    const close = normalizeTime(day.to);
    if (!TIME.test(open) || !TIME.test(close)) {
      errors.push({ day: index, key: 'svc.hours.error.format' });
      return null;
    }
    if (!DayHours.safeParse({ open, close }).success) {
      errors.push({ day: index, key: 'svc.hours.error.order' });
      return null;
    }
    return { open, close };
  });
  // A store closed all week would have no business time at all: its SLA clocks could never run.
  if (!errors.length && hours.every((day) => day === null)) errors.push({ day: 0, key: 'svc.hours.error.allClosed' });
  return errors.length ? { errors } : { hours };
}

/** "Пн–Пт 09:00–21:00, Сб 10:00–18:00, Вс выходной": runs of equal days joined. */
export function hoursSummary(hours: WeeklyHours, t: (key: StringKey) => string): string {
  const text = (day: WeeklyHours[number]) => (day ? `${day.open}–${day.close}` : t('svc.hours.closed'));
  const runs: { from: number; to: number; text: string }[] = [];
  hours.forEach((day, index) => {
    const last = runs[runs.length - 1];
    if (last && last.text === text(day)) last.to = index;
    else runs.push({ from: index, to: index, text: text(day) });
  });
  return runs
    .map((run) => {
      const days = run.from === run.to ? t(WEEKDAY_KEYS[run.from]!) : `${t(WEEKDAY_KEYS[run.from]!)}–${t(WEEKDAY_KEYS[run.to]!)}`;
      return `${days} ${run.text}`;
    })
    .join(', ');
}

/** The zones a Russian chain's stores are in, west to east: offered first in the picker. */
export const RUSSIAN_ZONES = [
  'Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk',
  'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka',
] as const;

/**
 * The zones the picker offers: Russia's first, then every zone this browser knows
 * (Intl.supportedValuesOf where it exists); the store's current zone is always offered.
 */
export function timeZoneChoices(current: string, supported: () => readonly string[] = supportedZones): { russian: string[]; other: string[] } {
  const russian: string[] = [...RUSSIAN_ZONES];
  const known = new Set(russian);
  const other = supported().filter((zone) => !known.has(zone));
  if (current && !known.has(current) && !other.includes(current)) other.unshift(current);
  return { russian, other };
}

function supportedZones(): readonly string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf('timeZone') : [];
}

/** Whether the zone is an IANA zone this runtime can compute with (the server checks its own list too). */
export function isKnownZone(zone: string): boolean {
  return IANAZone.isValidZone(zone.trim());
}

import type { Locale, Volume } from '@tillscope/shared';
import { translate } from '../i18n/strings';

const UNITS = ['unit.byte', 'unit.kb', 'unit.mb', 'unit.gb', 'unit.tb'] as const;

/** "512 Б", "3,4 ГБ", "931 ГБ": binary multiples, one decimal below 10, none above. */
export function formatBytes(bytes: number, locale: Locale): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  const n = new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  return translate(locale, UNITS[unit] ?? 'unit.tb', { n });
}

/** The free share of a volume in whole percent (0 for a volume that reports no size). */
export function freePercent(volume: Pick<Volume, 'sizeBytes' | 'freeBytes'>): number {
  if (volume.sizeBytes <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((volume.freeBytes / volume.sizeBytes) * 100)));
}

/**
 * How the free-space bar is coloured. Display only: the agent's host-os probe decides whether a disk
 * is "nearly full" (a finding); the bar turns amber below 20 % free and red below 10 %.
 */
export function diskTone(volume: Pick<Volume, 'sizeBytes' | 'freeBytes'>): 'ok' | 'amber' | 'red' {
  const free = freePercent(volume);
  if (free < 10) return 'red';
  if (free < 20) return 'amber';
  return 'ok';
}

/** A clock offset with its sign: "+12 мс", "−1,5 с", "0 мс". */
export function formatOffset(ms: number, locale: Locale): string {
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  const format = (value: number, digits: number) =>
    new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: digits }).format(value);
  const text = abs < 1000 ? translate(locale, 'unit.ms', { n: format(abs, abs < 10 ? 1 : 0) }) : translate(locale, 'unit.s', { n: format(abs / 1000, 1) });
  return `${sign}${text}`;
}

/** The first 12 hex digits of a SHA-256, as engineers compare them by eye; the whole one goes in a tooltip. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

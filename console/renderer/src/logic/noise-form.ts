import { DiagnosisCode, NoiseSettings } from '@tillscope/shared';
import type { StringKey, Vars } from '../i18n/strings';
import { parseDuration } from './durations';

/** The noise settings as typed: durations as text ("10 мин", "90 с"), the share in percent. */
export interface NoiseForm {
  /** per-code hold overrides; an empty field keeps the catalogue's hold */
  holds: Partial<Record<DiagnosisCode, string>>;
  reopenDays: string;
  flapThreshold: string;
  flapWindow: string;
  calm: string;
  correlationWindow: string;
  correlationPercent: string;
  minRegisters: string;
}

export type NoiseField = Exclude<keyof NoiseForm, 'holds'> | `hold.${DiagnosisCode}`;

export interface NoiseFormError {
  field: NoiseField;
  key: StringKey;
  vars?: Vars;
}

/** Seconds as the form shows them: whole minutes as "N мин"/"N min", otherwise seconds. */
export function secondsText(seconds: number, minuteWord: string, secondWord: string): string {
  return seconds && seconds % 60 === 0 ? `${seconds / 60} ${minuteWord}` : `${seconds} ${secondWord}`;
}

export function noiseToForm(settings: NoiseSettings, words: { min: string; s: string }): NoiseForm {
  const text = (seconds: number) => secondsText(seconds, words.min, words.s);
  const holds: NoiseForm['holds'] = {};
  for (const [code, seconds] of Object.entries(settings.holds)) if (seconds !== undefined) holds[code as DiagnosisCode] = text(seconds);
  return {
    holds,
    reopenDays: String(settings.reopenDays),
    flapThreshold: String(settings.flapThreshold),
    flapWindow: text(settings.flapWindowSec),
    calm: text(settings.calmSec),
    correlationWindow: text(settings.correlation.windowSec),
    correlationPercent: String(Math.round(settings.correlation.share * 100)),
    minRegisters: String(settings.correlation.minRegisters),
  };
}

interface Range {
  min: number;
  max: number;
}

/** The settings the form says, or each field that is out of range or unreadable. */
export function formToNoise(form: NoiseForm): { settings: NoiseSettings } | { errors: NoiseFormError[] } {
  const errors: NoiseFormError[] = [];
  const count = (field: NoiseField, text: string, range: Range): number => {
    const value = /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : null;
    if (value === null || value < range.min || value > range.max) errors.push({ field, key: 'svc.error.range', vars: { ...range } });
    return value ?? 0;
  };
  const seconds = (field: NoiseField, text: string, range: Range): number => {
    const value = parseDuration(text, 'second');
    if (value === null) errors.push({ field, key: 'svc.error.duration' });
    else if (value < range.min || value > range.max) errors.push({ field, key: 'svc.error.rangeSec', vars: { ...range } });
    return value ?? 0;
  };
  const holds: NoiseSettings['holds'] = {};
  for (const code of DiagnosisCode.options) {
    const text = form.holds[code]?.trim();
    if (text) holds[code] = seconds(`hold.${code}`, text, { min: 0, max: 86_400 });
  }
  const settings: NoiseSettings = {
    holds,
    reopenDays: count('reopenDays', form.reopenDays, { min: 0, max: 90 }),
    flapThreshold: count('flapThreshold', form.flapThreshold, { min: 2, max: 100 }),
    flapWindowSec: seconds('flapWindow', form.flapWindow, { min: 60, max: 86_400 }),
    calmSec: seconds('calm', form.calm, { min: 0, max: 86_400 }),
    correlation: {
      windowSec: seconds('correlationWindow', form.correlationWindow, { min: 10, max: 3_600 }),
      share: count('correlationPercent', form.correlationPercent, { min: 10, max: 100 }) / 100,
      minRegisters: count('minRegisters', form.minRegisters, { min: 2, max: 10_000 }),
    },
  };
  if (errors.length) return { errors };
  return NoiseSettings.safeParse(settings).success ? { settings } : { errors: [{ field: 'reopenDays', key: 'svc.error.duration' }] };
}

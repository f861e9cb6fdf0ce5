// DecodedField builders for JSON answers: a boolean flag, or a field with a value. Pure.
import type { DecodedField } from '@tillscope/shared';

export interface Bilingual {
  ru: string;
  en: string;
}

const bounded = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/** A boolean field: its meaning depends on the value; `alarm` marks a fault condition. */
export function flag(name: string, value: boolean, whenTrue: Bilingual, whenFalse: Bilingual, alarm: boolean, shown: string = String(value)): DecodedField {
  const meaning = value ? whenTrue : whenFalse;
  return { field: bounded(name, 64), set: value, value: bounded(shown, 200), meaning: { ru: bounded(meaning.ru, 200), en: bounded(meaning.en, 200) }, alarm };
}

/** A field with a value (a date, a number, a word) as the device gave it. */
export function field(name: string, value: string | number | boolean, meaning: Bilingual, alarm = false): DecodedField {
  return { field: bounded(name, 64), set: alarm, value: bounded(String(value), 200), meaning: { ru: bounded(meaning.ru, 200), en: bounded(meaning.en, 200) }, alarm };
}

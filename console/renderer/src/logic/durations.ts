/**
 * Durations as an admin types them in the service-desk settings: "4:00" (hours:minutes), "4 ч 30 мин",
 * "4h 30m", "90 мин", "45 с", or a bare number in the field's own unit. Days are not accepted: an SLA
 * target is business time, where a "day" would be ambiguous (a store's day is not 24 hours).
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ч: 3600, час: 3600, часа: 3600, часов: 3600, h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  м: 60, мин: 60, min: 60, mins: 60, m: 60, minute: 60, minutes: 60,
  с: 1, сек: 1, s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
};

/** Seconds in the text, or null when it is not a duration. `unit` is what a bare number counts. */
export function parseDuration(text: string, unit: 'minute' | 'second'): number | null {
  const value = text.trim().toLowerCase().replace(/\.$/, '');
  if (!value) return null;
  if (/^\d{1,6}$/.test(value)) return Number(value) * (unit === 'minute' ? 60 : 1);
  const clock = /^(\d{1,4}):([0-5]\d)$/.exec(value);
  // H:MM in a minutes field, M:SS in a seconds field: the field's unit is the smaller one.
  if (clock) return unit === 'minute' ? Number(clock[1]) * 3600 + Number(clock[2]) * 60 : Number(clock[1]) * 60 + Number(clock[2]);
  let seconds = 0;
  let rest = value;
  const part = /^(\d{1,6})\s*([a-zа-яё]+)\.?\s*/;
  while (rest) {
    const match = part.exec(rest);
    const perUnit = match ? UNIT_SECONDS[match[2] ?? ''] : undefined;
    if (!match || perUnit === undefined) return null;
    seconds += Number(match[1]) * perUnit;
    rest = rest.slice(match[0].length);
  }
  return seconds;
}

/** Whole minutes in the text (an SLA target), or null when it is not a whole number of minutes. */
export function parseMinutes(text: string): number | null {
  const seconds = parseDuration(text, 'minute');
  return seconds === null || seconds % 60 !== 0 ? null : seconds / 60;
}

/** Minutes as the SLA editor shows them: "0:15", "4:00", "72:00" (parseMinutes reads it back). */
export function formatMinutesInput(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

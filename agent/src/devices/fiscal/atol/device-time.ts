// Date-times in ATOL answers. Their exact format is [S]: the re-implementation writes them with a
// `dateToIsoString` helper, the C# clients read them with DateTime.Parse. Accepted here:
// `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS[.fff]]`, then optionally `Z` or an
// offset `±HH:MM` / `±HHMM`. Without an offset the time is the register's wall clock, read in the
// host's time zone (the store's; shared/src/protocol/fiscal.ts). Anything else is not a date.
// Pure; never throws.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Years outside this are garbage from a register (an unset clock reads 2000 at the earliest). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

export interface DeviceDateTime {
  /** the instant, with the offset applied or the host's zone assumed */
  instant: Date;
  /** the calendar date as written, for "start of that day, local" values (FN validity) */
  date: { year: number; month: number; day: number };
  hasOffset: boolean;
}

export function parseDeviceDateTime(text: string): DeviceDateTime | undefined {
  if (text.length > 40) return undefined;
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? 0)) as [number, number, number, number, number, number];
  const millis = match[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = match[8];
  let instant: Date;
  if (zone === undefined) {
    instant = new Date(year, month - 1, day, hour, minute, second, millis);
  } else {
    const offsetMinutes = zone === 'Z' ? 0 : offsetOf(zone);
    if (offsetMinutes === undefined) return undefined;
    instant = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000);
  }
  if (Number.isNaN(instant.getTime())) return undefined;
  return { instant, date: { year, month, day }, hasOffset: zone !== undefined };
}

/** The start of the written calendar day in the host's zone (FiscalDrive.validUntil's meaning). */
export function startOfWrittenDay(value: DeviceDateTime): Date {
  return new Date(value.date.year, value.date.month - 1, value.date.day);
}

function offsetOf(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

import type { QuietHours } from '@tillscope/shared';
import { DateTime } from 'luxon';

const minutesOf = (time: string): number => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

/** The instant `dayOffset` days after `local`'s day, at `minute` of the local day (1440: the next midnight). */
function localAt(local: DateTime, dayOffset: number, minute: number): Date {
  const day = local.startOf('day').plus({ days: dayOffset + Math.floor(minute / 1440) });
  return day.set({ hour: Math.floor((minute % 1440) / 60), minute: minute % 60 }).toJSDate();
}

/**
 * When the quiet hours that `at` falls in end, or null when `at` is not quiet. Quiet hours run
 * from `from` (inclusive) to `to` (exclusive), local time in the rule's zone; `to` earlier than
 * `from` spans midnight; equal means no quiet hours. Wall-clock times, so a DST change moves them
 * with the clocks (Russia has none; luxon does the arithmetic for zones that do).
 */
export function quietUntil(quiet: QuietHours, at: Date): Date | null {
  const local = DateTime.fromJSDate(at, { zone: quiet.timeZone });
  if (!local.isValid) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const minute = local.hour * 60 + local.minute;
  if (from === to) return null;
  if (from < to) return minute >= from && minute < to ? localAt(local, 0, to) : null;
  if (minute >= from) return localAt(local, 1, to);
  return minute < to ? localAt(local, 0, to) : null;
}

/** Whether luxon knows the zone (the routes refuse a rule with one it does not). */
export function knownZone(timeZone: string): boolean {
  return DateTime.now().setZone(timeZone).isValid;
}

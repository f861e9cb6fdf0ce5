// host-events reports what the logs say; it judges nothing itself (the engineer reads the entries
// beside the other probes' findings). Its only code is "could not check" for a log it could not
// read. Pure.
import type { DiagnosisCode, OsEvent } from '@tillscope/shared';

export const HOST_EVENTS_CODES: readonly DiagnosisCode[] = ['host.check_failed'];

/** The wire keeps at most this many entries (EventsSection). */
export const MAX_SECTION_ENTRIES = 50;

/** Newest first across all logs; entries without a time go last, in the order read. */
export function newestFirst(entries: readonly OsEvent[], max = MAX_SECTION_ENTRIES): OsEvent[] {
  const time = (event: OsEvent) => (event.at === null ? -Infinity : Date.parse(event.at));
  return entries
    .map((event, index) => ({ event, index }))
    .sort((a, b) => time(b.event) - time(a.event) || a.index - b.index)
    .slice(0, max)
    .map(({ event }) => event);
}

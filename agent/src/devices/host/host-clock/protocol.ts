// Parsers of the clock tools' output: `timedatectl show` (key=value, systemd 239+), `chronyc -c
// tracking` (CSV) and `w32tm /query /status /verbose` ("Label: value", translated by Windows). Pure.
import type { W32tmLabels } from './options';

export const TIMEDATECTL_ARGS = ['show'] as const;
export const CHRONYC_ARGS = ['-c', 'tracking'] as const;
export const W32TM_ARGS = ['/query', '/status', '/verbose'] as const;

/** HRESULT_FROM_WIN32(ERROR_SERVICE_NOT_ACTIVE): w32tm's answer when the Windows Time service is stopped, in every language [S]. */
export const W32TM_SERVICE_NOT_STARTED = '0x80070426';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** `key=value` lines into a map (later keys win). */
function keyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at > 0) map.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return map;
}

export interface TimedatectlFacts {
  /** NTPSynchronized: the kernel says the clock is disciplined by a time source */
  synced: boolean;
  /** NTP: a sync service is enabled */
  ntpEnabled: boolean | null;
  timezone?: string;
}

const yesNo = (value: string | undefined) => (value === 'yes' ? true : value === 'no' ? false : null);

export function parseTimedatectlShow(stdout: string): Parsed<TimedatectlFacts> {
  const props = keyValues(stdout);
  const synced = yesNo(props.get('NTPSynchronized'));
  if (synced === null) return { ok: false, reason: `timedatectl show gave no NTPSynchronized=yes|no (systemd older than 239, or a changed form): "${stdout.trim().slice(0, 80)}"` };
  const timezone = props.get('Timezone');
  return { ok: true, value: { synced, ntpEnabled: yesNo(props.get('NTP')), ...(timezone ? { timezone: timezone.slice(0, 64) } : {}) } };
}

export interface ChronyTracking {
  /** the reference's name or address */
  source: string;
  /** "System time": the system clock's offset from NTP time, in ms (sign as chronyc gives it [U]) */
  offsetMs: number;
  /** "Leap status" */
  leap: string;
}

/** `chronyc -c tracking`: Reference ID, name, stratum, ref time, system time (s), …, leap status (14 fields). */
export function parseChronyTracking(stdout: string): Parsed<ChronyTracking> {
  const fields = stdout.trim().split(/\r?\n/)[0]?.split(',') ?? [];
  const offset = Number(fields[4]);
  if (fields.length < 14 || !Number.isFinite(offset) || fields[4]!.trim() === '') {
    return { ok: false, reason: `chronyc -c tracking: not the 14-field CSV: "${stdout.trim().slice(0, 80)}"` };
  }
  return { ok: true, value: { source: fields[1]!.slice(0, 200), offsetMs: Math.round(offset * 1e6) / 1e3, leap: fields[13]!.trim() } };
}

export interface W32tmStatus {
  /** the Source line without its ",0x9" flags; null when w32tm has none */
  source: string | null;
  leapIndicator: number | null;
  /** false: "unspecified", never synced since the service started */
  everSynced: boolean | null;
  /** Phase Offset, ms */
  offsetMs: number | null;
  /** Time since Last Good Sync Time, s */
  sinceLastSyncSec: number | null;
}

/** "1.6688882s", "-0,0012s" (a decimal comma in some locales) → seconds. */
function seconds(value: string): number | null {
  const match = /^([+-]?\d+(?:[.,]\d+)?)s$/.exec(value.trim());
  return match ? Number(match[1]!.replace(',', '.')) : null;
}

/**
 * `w32tm /query /status /verbose` read by its labels (`labels`: the UI language's words). Fails
 * when neither the Source nor the Leap Indicator label is there: another language, or not w32tm.
 */
export function parseW32tmStatus(stdout: string, labels: W32tmLabels): Parsed<W32tmStatus> {
  const lines = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) lines.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  const get = (label: string) => lines.get(label.toLowerCase());
  const source = get(labels.source);
  const leap = get(labels.leapIndicator);
  if (source === undefined && leap === undefined) {
    const first = stdout.trim().split(/\r?\n/)[0] ?? '';
    return { ok: false, reason: `w32tm output is in a language the agent does not read (set host.probes.host-clock.w32tmLabels): "${first.slice(0, 80)}"` };
  }
  const leapMatch = leap === undefined ? null : /^(\d)/.exec(leap);
  const lastSync = get(labels.lastSync);
  const offset = get(labels.phaseOffset);
  const since = get(labels.sinceLastSync);
  const offsetSec = offset === undefined ? null : seconds(offset);
  return {
    ok: true,
    value: {
      source: source ? source.replace(/,0x[0-9a-f]+$/i, '').trim().slice(0, 200) || null : null,
      leapIndicator: leapMatch ? Number(leapMatch[1]) : null,
      everSynced: lastSync === undefined ? null : lastSync.toLowerCase() !== labels.unspecified.toLowerCase(),
      offsetMs: offsetSec === null ? null : Math.round(offsetSec * 1e6) / 1e3,
      sinceLastSyncSec: since === undefined ? null : seconds(since),
    },
  };
}

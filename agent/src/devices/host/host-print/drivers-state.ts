// The printer driver versions host-print last saw, kept across agent restarts (ctx.state), and the
// changes it saw with them: a version that differs from the one last seen is a change, and its
// finding stands for the hold time even when nothing changes after it. Pure.
import { z } from 'zod';

export const DriverChange = z.object({
  /** the driver's key: its name, and its environment on Windows ("EPSON TM-T20|Windows x64") */
  key: z.string().max(300),
  name: z.string().max(300),
  from: z.string().max(64),
  to: z.string().max(64),
  at: z.iso.datetime(),
});
export type DriverChange = z.infer<typeof DriverChange>;

/** What is saved; a file in any other shape is read as nothing saved (the probe starts afresh). */
export const DriversState = z.object({
  versions: z.record(z.string(), z.string()),
  changes: z.array(DriverChange).max(64),
});
export type DriversState = z.infer<typeof DriversState>;

/** A driver as this probe read it now. */
export interface SeenDriver {
  key: string;
  name: string;
  /** undefined: the OS gave none (a PPD without *FileVersion): nothing to compare */
  version: string | undefined;
}

/** Drivers remembered at the most (removed ones stay, so a driver put back at another version counts as a change). */
const MAX_VERSIONS = 256;
const MAX_CHANGES = 64;

export interface Tracked {
  state: DriversState;
  /** the changes within the hold time, oldest first */
  active: DriverChange[];
  /** the state differs from `previous`: save it */
  dirty: boolean;
}

/**
 * Compares the drivers seen now with `previous` (undefined: the first run ever, or a lost state
 * file: everything seen now is the baseline, nothing is a change).
 */
export function trackDrivers(previous: DriversState | undefined, seen: readonly SeenDriver[], now: Date, holdMs: number): Tracked {
  const versions: Record<string, string> = { ...previous?.versions };
  const fresh: DriverChange[] = [];
  for (const driver of seen) {
    if (driver.version === undefined) continue;
    const before = versions[driver.key];
    if (before !== undefined && before !== driver.version) fresh.push({ key: driver.key, name: driver.name, from: before, to: driver.version, at: now.toISOString() });
    delete versions[driver.key]; // re-inserted last: the most recently seen stay when the map is cut
    versions[driver.key] = driver.version;
  }
  const keys = Object.keys(versions);
  const kept = Object.fromEntries(keys.slice(Math.max(0, keys.length - MAX_VERSIONS)).map((k) => [k, versions[k] ?? '']));
  const since = now.getTime() - holdMs;
  const changes = [...(previous?.changes ?? []), ...fresh].filter((c) => Date.parse(c.at) >= since).slice(-MAX_CHANGES);
  const state = { versions: kept, changes };
  const dirty = previous === undefined || JSON.stringify(previous) !== JSON.stringify(state);
  return { state, active: changes, dirty };
}

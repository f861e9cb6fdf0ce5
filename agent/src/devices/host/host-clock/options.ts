import { z } from 'zod';

/**
 * The labels of `w32tm /query /status /verbose` lines the probe reads. w32tm translates them with
 * the Windows UI language; the defaults are the English ones [S: Microsoft's w32tm samples]. On a
 * register in another language, copy the labels from its own w32tm output here.
 */
export const W32tmLabels = z.strictObject({
  leapIndicator: z.string().min(1).max(100).default('Leap Indicator'),
  lastSync: z.string().min(1).max(100).default('Last Successful Sync Time'),
  source: z.string().min(1).max(100).default('Source'),
  phaseOffset: z.string().min(1).max(100).default('Phase Offset'),
  sinceLastSync: z.string().min(1).max(100).default('Time since Last Good Sync Time'),
  /** the value of `lastSync` before the first sync */
  unspecified: z.string().min(1).max(100).default('unspecified'),
});
export type W32tmLabels = z.infer<typeof W32tmLabels>;

/** `host.probes.host-clock` in the agent config. The thresholds are ours [I]. */
export const HostClockOptions = z.strictObject({
  /** an offset from the time source beyond this (either way) is drift */
  maxOffsetMs: z.number().int().min(1).max(3_600_000).default(2_000),
  /** Windows: a last good sync older than this means the clock is not kept in sync */
  maxSyncAgeHours: z.number().min(1).max(24 * 30).default(48),
  /** w32tm sources that are the machine's own clock, not a time server */
  localClockSources: z.array(z.string().min(1).max(100)).max(8).default(['Local CMOS Clock', 'Free-running System Clock']),
  w32tmLabels: W32tmLabels.prefault({}),
  toolTimeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
});
export type HostClockOptions = z.infer<typeof HostClockOptions>;

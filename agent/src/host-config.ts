// The agent config's `host` section (issue 10): whether and how often the host probes run, the
// store's trading hours, the POS application that should run, the configuration files to hash, and
// each probe's own options. Checked against the host probe registry like devices are against drivers.
import { HOST_PROBE_IDS, PosAppId, type HostProbeId } from '@tillscope/shared';
import { z } from 'zod';
import type { DeviceConfig, DriverRegistry } from './devices/driver';
import type { HostContext, HostProbeRegistry } from './devices/host-probe';

/** Keys of `host.probes.<id>` that are the scheduler's; every other key is the probe's own option. */
export const SCHEDULE_KEYS = ['enabled', 'intervalSec'] as const;

/** Host probes run at most this often: they spawn OS tools (PowerShell costs a CPU-second). */
export const MIN_HOST_INTERVAL_SEC = 10;
const MAX_HOST_INTERVAL_SEC = 24 * 3600;
const IntervalSec = z.number().min(MIN_HOST_INTERVAL_SEC).max(MAX_HOST_INTERVAL_SEC);

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM" (24 h)');

/**
 * When the store trades, in the register's local time (or `timeZone`, an IANA name). `to` before
 * `from` runs past midnight; `from` equal to `to` is all day. `days`: ISO weekdays (1 Monday … 7
 * Sunday), default every day. Without `tradingHours` the register counts as always trading, so an
 * unplugged printer is never played down.
 */
export const TradingHours = z.strictObject({
  from: TimeOfDay,
  to: TimeOfDay,
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  timeZone: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as "Europe/Moscow"').optional(),
});
export type TradingHours = z.infer<typeof TradingHours>;

/** A configuration file whose hash the reference image may hold (host-pos reads it). */
export const ConfigFileRef = z.strictObject({
  /** what the console shows ("frontol.ini"); unique */
  name: z.string().min(1).max(64),
  path: z.string().min(1).max(300),
});

/** One probe's entry after parsing: scheduling apart, options still raw (the probe's schema parses them when bound). */
export interface HostProbeEntry {
  enabled: boolean;
  intervalSec?: number;
  options: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function hostConfigSchema(probes: HostProbeRegistry) {
  const Entry = z.object({ enabled: z.boolean().default(true), intervalSec: IntervalSec.optional() }).loose();
  return z
    .strictObject({
      /** false turns every host probe off */
      enabled: z.boolean().default(true),
      /** every probe's interval; absent: each probe's own default (minutes; host-peripherals less) */
      intervalSec: IntervalSec.optional(),
      tradingHours: TradingHours.optional(),
      posApp: PosAppId.optional(),
      configFiles: z.array(ConfigFileRef).max(16).default([]),
      /** `host.probes.<id>`: `enabled`, `intervalSec`, and the probe's own options (its README) */
      probes: z.record(z.string(), z.unknown()).default({}),
    })
    .superRefine((host, ctx) => {
      const names = new Set<string>();
      host.configFiles.forEach((file, index) => {
        if (names.has(file.name)) ctx.addIssue({ code: 'custom', path: ['configFiles', index, 'name'], message: `duplicate config file name "${file.name}"` });
        names.add(file.name);
      });
      for (const [id, raw] of Object.entries(host.probes)) {
        const probe = probes.get(id as HostProbeId);
        if (!probe) {
          const known = (HOST_PROBE_IDS as readonly string[]).includes(id) ? `is not in this agent` : `is not a host probe`;
          ctx.addIssue({ code: 'custom', path: ['probes', id], message: `"${id}" ${known} (it has: ${[...probes.keys()].join(', ')})` });
          continue;
        }
        if (!isRecord(raw)) {
          ctx.addIssue({ code: 'custom', path: ['probes', id], message: 'must be an object' });
          continue;
        }
        const entry = Entry.safeParse(raw);
        for (const issue of entry.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['probes', id, ...issue.path], message: issue.message });
        const options = probe.options.safeParse(optionsOf(raw));
        for (const issue of options.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['probes', id, ...issue.path], message: issue.message });
      }
    })
    .transform(({ probes: raw, ...host }) => ({
      ...host,
      probes: Object.fromEntries(
        Object.entries(raw).map(([id, value]) => {
          const entry = value as Record<string, unknown>;
          const parsed: HostProbeEntry = { enabled: entry.enabled !== false, options: optionsOf(entry) };
          if (typeof entry.intervalSec === 'number') parsed.intervalSec = entry.intervalSec;
          return [id, parsed];
        }),
      ) as Partial<Record<HostProbeId, HostProbeEntry>>,
    }))
    .prefault({});
}
export type HostConfig = z.output<ReturnType<typeof hostConfigSchema>>;

function optionsOf(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !(SCHEDULE_KEYS as readonly string[]).includes(key)));
}

/** The host section with every probe off: for tests and rigs where host facts would be noise. */
export function hostProbesOff(probes: HostProbeRegistry = new Map()): HostConfig {
  return hostConfigSchema(probes).parse({ enabled: false });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `at` is within `hours` (see TradingHours); always true without hours. */
export function isWithinTradingHours(hours: TradingHours | undefined, at: Date): boolean {
  if (!hours) return true;
  const { minute, weekday } = localTime(at, hours.timeZone);
  if (hours.days && !hours.days.includes(weekday)) return false;
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from === to) return true;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function localTime(at: Date, timeZone: string | undefined): { minute: number; weekday: number } {
  if (!timeZone) return { minute: at.getHours() * 60 + at.getMinutes(), weekday: ((at.getDay() + 6) % 7) + 1 };
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { minute: Number(part('hour')) * 60 + Number(part('minute')), weekday: WEEKDAYS.indexOf(part('weekday')) + 1 };
}

/** What every host probe knows of the register beyond the OS (host-probe.ts HostContext). */
export function createHostContext(host: HostConfig, devices: readonly DeviceConfig[], drivers: DriverRegistry, agentVersion: string): HostContext {
  return {
    isTradingHours: (at) => isWithinTradingHours(host.tradingHours, at),
    devices,
    fiscalAttached: devices.some((device) => drivers.get(device.driver)?.kind === 'fiscal'),
    agentVersion,
    ...(host.posApp ? { posApp: host.posApp } : {}),
    configFiles: host.configFiles,
  };
}

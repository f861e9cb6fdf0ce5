import type { DeviceReport, DiagnosisCode, HostProbeId, PosAppId } from '@tillscope/shared';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { HostOs } from '../os/host-os';
import type { DeviceConfig } from './device-config';

/**
 * What a host probe knows of the register beyond the OS: built once by the agent from its config
 * and the device reports, the same for every host probe.
 */
export interface HostContext {
  /** whether `at` is within the store's trading hours (config `host.tradingHours`, local time) */
  isTradingHours(at: Date): boolean;
  /** the configured devices (a detached USB device that is one of them is named by its id) */
  devices: readonly DeviceConfig[];
  /** true when a fiscal register is configured: an unsynced clock then fails fiscal documents */
  fiscalAttached: boolean;
  agentVersion: string;
  /** the POS application that should run on this register (config `host.posApp`), when set */
  posApp?: PosAppId;
  /** the configuration files to hash (config `host.configFiles`), by the name the console shows */
  configFiles: readonly { name: string; path: string }[];
}

/** What every host probe gets. */
export interface HostProbeContext<Options = unknown, Memory = unknown> {
  /** `host.probes.<id>` from the config, parsed by the probe's `options` schema (defaults applied) */
  options: Options;
  /** this probe's memory across probes (made once by createMemory, kept until the agent stops) */
  memory: Memory;
  os: HostOs;
  host: HostContext;
  now: () => Date;
  /** aborted when the agent stops or the probe's deadline passes; pass it to `os.run` */
  signal: AbortSignal;
  /**
   * This probe's small persistent state in the agent's dataDir (host-print's driver versions last
   * seen), so an agent restart does not forget what it saw. Absent (tests, an agent without a
   * dataDir): the probe keeps what it needs in `memory` only and says so where it matters.
   */
  state?: HostProbeStateStore;
}

/**
 * One probe's persistent JSON state (agent/src/os/host-state-store.ts keeps it in
 * `<dataDir>/host-state/<probe-id>.json`). The agent's own data, not the register's: a probe that
 * "changes nothing on the register" may still save here.
 */
export interface HostProbeStateStore {
  /** the value last saved; undefined when none was saved or the file is unreadable or corrupt; never rejects */
  load(): Promise<unknown>;
  /** replaces the value atomically (a power cut leaves the old or the new one); rejects only when the disk refuses */
  save(value: unknown): Promise<void>;
}

export interface HostWatchContext<Options = unknown, Memory = unknown> extends Omit<HostProbeContext<Options, Memory>, 'signal'> {
  logger: Logger;
  /** a report the watch produced at once (a USB device attached or detached); never throws */
  onReport: (report: DeviceReport) => void;
}

/** A long-lived watch of one host probe (USB hot-plug); `stop` never rejects. */
export interface HostWatch {
  stop(): Promise<void>;
}

/**
 * A host probe: the register itself rather than a device on a port. One folder
 * devices/host/<id>/ with the same fixed files as a driver (protocol.ts holds the parsers of the
 * tools' output; fixtures/ the recorded and transcribed outputs), named only in registry.ts.
 *
 * Contract:
 * - `probe` never throws for OS trouble: a missing tool, one that hangs (killed at its timeout),
 *   output it cannot parse, a file it may not read: each is an `unchecked` fact in the section and
 *   a `host.check_failed` finding naming the tool and why, never a crash and never a false "ok".
 * - the report has kind 'host', `driver` = the probe's id, `deviceId` = the probe's id, the probe's
 *   section in `host`, evidence with transport 'os' (each tool run a structured exchange), and
 *   `checked` listing the codes it could rule in or out this time.
 * - every finding's code is in `codes`, each in the catalogue's 'os' category.
 * - it runs OS tools only through `ctx.os.run` (never a shell) and passes `ctx.signal`.
 * - it changes nothing on the register: it reads.
 */
export interface HostProbe<Options = unknown, Memory = unknown> {
  readonly id: HostProbeId;
  readonly kind: 'host';
  readonly codes: readonly DiagnosisCode[];
  /** zod schema of `host.probes.<id>` in the config (a strict object with defaults) */
  readonly options: z.ZodType<Options>;
  /** how often it runs unless the config says otherwise; host facts change slowly, so minutes */
  readonly defaultIntervalSec: number;
  createMemory(): Memory;
  probe(ctx: HostProbeContext<Options, Memory>): Promise<DeviceReport>;
  /** starts watching (USB hot-plug) when the platform can; undefined when it cannot or need not */
  watch?(ctx: HostWatchContext<Options, Memory>): HostWatch | undefined;
}

/** Every registered host probe, by id: what createHostProbeRegistry() returns. */
export type HostProbeRegistry = ReadonlyMap<HostProbeId, HostProbe>;

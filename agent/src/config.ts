import { CommandVerb, HOST_PROBE_IDS, RegisterId, StoreId } from '@tillscope/shared';
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { deviceConfigSchema, sharedPortIssues } from './devices/device-config';
import type { DriverRegistry } from './devices/driver';
import type { HostProbeRegistry } from './devices/host-probe';
import { createDriverRegistry, createHostProbeRegistry } from './devices/registry';
import { hostConfigSchema } from './host-config';

/**
 * The agent's JSON config file, for the drivers of `drivers` (which `driver` values a device may
 * name, and how its `transport` and `options` are checked, come from the registry). Only `server`,
 * `storeId`, `registerId`, `dataDir` and, until the first enrollment, `enrollmentToken` are
 * required; everything else has a default that suits a register.
 */
export function agentConfigSchema(drivers: DriverRegistry, hostProbes: HostProbeRegistry = createHostProbeRegistry()) {
  return z.object({
    server: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    storeId: StoreId,
    registerId: RegisterId,
    /** Single-use; once a credential is stored the token may be removed from the file. */
    enrollmentToken: z.string().min(8).max(128).optional(),
    /** Where credential.json and agent.db live; relative paths resolve against the config file's folder. */
    dataDir: z.string().min(1),
    /**
     * Bytes kept allocated in `dataDir/reserve.bin` and given back when the disk is full, so that
     * cashier reports and acks can still be written; 0 disables it. Default DEFAULT_RESERVE_BYTES
     * (4 MiB), applied by createAgent.
     */
    reserveBytes: z.number().int().min(0).max(1024 * 1024 * 1024).optional(),
    probeIntervalSec: z.number().min(1).max(3600).default(10),
    /** A full health snapshot goes out at least this often, even when nothing changed. */
    reportIntervalSec: z.number().min(1).max(24 * 3600).default(60),
    cashierPage: z
      .object({
        port: z.number().int().min(0).max(65535).default(8765),
        enabled: z.boolean().default(true),
      })
      .prefault({}),
    devices: z.array(deviceConfigSchema(drivers)).max(64).default([]),
    /**
     * Discovery (agent/src/discovery/): serial paths to look at besides the ports the OS lists, for
     * virtual COM ports and adapters the OS does not list. Nothing is opened until asked.
     */
    discovery: z.strictObject({ serialPaths: z.array(z.string().min(1).max(200)).max(16).default([]) }).optional(),
    /**
     * The register itself (host probes: OS, clock, print services, peripherals, POS application,
     * OS logs): on unless `host.enabled` is false; see host-config.ts.
     */
    host: hostConfigSchema(hostProbes),
    /**
     * Remote actions (agent/src/actions/): the verbs this register runs when the console sends
     * them; any other is refused with `forbidden`, whatever the console allows. Without `actions`
     * or `allow`: every verb (allowedVerbs). `[]` turns remote actions off on this register.
     * `printServiceTool`: the systemctl (Linux) or powershell.exe (Windows) restart_print_service
     * runs, when it is not the one on PATH (the demo's CUPS simulator); its arguments stay fixed.
     */
    actions: z
      .strictObject({
        allow: z.array(CommandVerb).max(CommandVerb.options.length * 2).optional(),
        printServiceTool: z.string().min(1).max(500).optional(),
      })
      .optional(),
  }).superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.devices.forEach((device, index) => {
      if (seen.has(device.id)) ctx.addIssue({ code: 'custom', path: ['devices', index, 'id'], message: `duplicate device id "${device.id}"` });
      if ((HOST_PROBE_IDS as readonly string[]).includes(device.id)) {
        ctx.addIssue({ code: 'custom', path: ['devices', index, 'id'], message: `"${device.id}" is the name of a host probe's reports; give the device another id` });
      }
      seen.add(device.id);
    });
    for (const issue of sharedPortIssues(config.devices)) ctx.addIssue({ code: 'custom', path: ['devices', issue.index, 'transport'], message: issue.message });
  });
}
export type AgentConfig = z.output<ReturnType<typeof agentConfigSchema>>;

/** The remote actions this register runs (config `actions.allow`; every verb when not set). */
export function allowedVerbs(config: Pick<AgentConfig, 'actions'>): readonly CommandVerb[] {
  return config.actions?.allow ?? CommandVerb.options;
}

/** A config problem the agent cannot start with; the message is meant for the person installing it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigDeps {
  readFile?: (file: string, encoding: 'utf8') => Promise<string>;
  /** Default: the agent's driver registry. */
  drivers?: DriverRegistry;
  /** Default: the agent's host probe registry. */
  hostProbes?: HostProbeRegistry;
}

/**
 * Reads and validates the config file. Rejects with a ConfigError whose message names the file or
 * the offending field, e.g. `config error: devices.0.transport.port: Too big: expected number to be <=65535`
 * or `config error: devices.0.options.status: must be "poll" (the default) or "asb" ...`.
 * The returned `dataDir` is absolute.
 */
export async function loadConfig(file: string, deps: LoadConfigDeps = {}): Promise<AgentConfig> {
  const readFile = deps.readFile ?? fsReadFile;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`config error: cannot read ${file}${code ? ` (${code})` : ''}: ${(error as Error).message}`);
  }
  return parseConfig(text, file, deps.drivers, deps.hostProbes);
}

export function parseConfig(text: string, file: string, drivers: DriverRegistry = createDriverRegistry(), hostProbes: HostProbeRegistry = createHostProbeRegistry()): AgentConfig {
  let data: unknown;
  try {
    // A BOM is what Windows Notepad leaves at the start of a UTF-8 file.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`config error: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = agentConfigSchema(drivers, hostProbes).safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `config error: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  return { ...parsed.data, dataDir: path.resolve(path.dirname(path.resolve(file)), parsed.data.dataDir) };
}

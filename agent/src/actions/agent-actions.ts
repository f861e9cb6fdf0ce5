// Wiring of the remote actions for one agent: the register's rules for the command checks and the
// print service restart over the probe loop (is a receipt printing? what do the printers and the
// print services say afterwards?).
import type { DeviceReport } from '@tillscope/shared';
import { allowedVerbs, type AgentConfig } from '../config';
import type { DriverRegistry } from '../devices/driver';
import type { CommandPayload, CommandResultPayload } from '../link/link';
import { createRunCommand, type RunCommand } from '../os/run-command';
import type { ProbeLoop } from '../probe-loop/probe-loop';
import type { CheckContext } from './command-checks';
import { createPrintServiceRestarter, printingNow } from './restart-print-service';

/** OS seams of the remote actions, for tests (recorded tool outputs replayed). */
export interface ActionsOs {
  /** default: the real tool runner (execFile, never a shell) */
  run?: RunCommand;
  /** default: process.platform */
  platform?: NodeJS.Platform;
}

/** The register's rules for command-checks.ts. */
export function commandRules(config: AgentConfig, drivers: DriverRegistry, probeLoop: ProbeLoop): Omit<CheckContext, 'now'> {
  return {
    allow: allowedVerbs(config),
    deviceKind: (deviceId) => {
      const device = config.devices.find((d) => d.id === deviceId);
      return device ? drivers.get(device.driver)?.kind : null;
    },
    hostProbeIds: probeLoop.hostProbeIds(),
  };
}

export interface PrintServiceWiring {
  config: AgentConfig;
  probeLoop: ProbeLoop;
  fitFrame: <M>(reports: DeviceReport[], build: (reports: DeviceReport[]) => M) => M;
  signal: AbortSignal;
  os?: ActionsOs | undefined;
  now?: () => Date;
}

export function printServiceRestarter(parts: PrintServiceWiring): (command: CommandPayload) => Promise<CommandResultPayload> {
  const now = parts.now ?? (() => new Date());
  const queued = parts.config.devices.flatMap((d) => (d.printQueue ? [{ deviceId: d.id, stuckAfterSec: d.printQueue.stuckAfterSec }] : []));
  const probe = async (deviceId: string) => (await parts.probeLoop.probeNow({ deviceId })).find((r) => r.deviceId === deviceId);
  return createPrintServiceRestarter({
    run: parts.os?.run ?? createRunCommand(),
    platform: parts.os?.platform ?? process.platform,
    tool: parts.config.actions?.printServiceTool,
    signal: parts.signal,
    fitFrame: parts.fitFrame,
    async busy() {
      const reports = await Promise.all(queued.map(async (q) => ({ ...q, report: await probe(q.deviceId) })));
      return printingNow(reports.flatMap((r) => (r.report ? [{ ...r, report: r.report }] : [])), now());
    },
    async reportsAfter() {
      const ids = [...(parts.probeLoop.hostProbeIds().includes('host-print') ? ['host-print'] : []), ...queued.map((q) => q.deviceId)];
      const reports = await Promise.all(ids.map(probe));
      return reports.filter((r): r is DeviceReport => r !== undefined);
    },
  });
}

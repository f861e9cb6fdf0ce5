// The console's commands to this register (shared CommandVerb: an allow-list; the agent has no
// shell): probe now, an engineer's test print, discovery, the diagnostics bundle, the print
// service restart. One function answers each; unknown verbs are refused with `unsupported`. The
// register's own allow-list, expiry, parameters and once-only running are checked before, by the
// command desk (actions/command-desk.ts).
import type { DeviceReport, DiscoveryResult } from '@tillscope/shared';
import type { CollectBundle } from './bundle/collect-bundle';
import type { AgentConfig } from './config';
import type { DriverRegistry } from './devices/driver';
import type { DiscoverOptions } from './discovery/discover';
import type { CommandPayload, CommandResultPayload } from './link/link';
import type { moduleLogger } from './logger';
import type { ProbeLoop } from './probe-loop/probe-loop';
import { TestPrintError, type TestPrinter } from './test-print/test-print';
import type { OpenTransport } from './transports/transport';

export interface RemoteCommandParts {
  config: AgentConfig;
  drivers: DriverRegistry;
  openTransport: OpenTransport;
  probeLoop: ProbeLoop;
  testPrinter: TestPrinter;
  /** Builds what carries `reports`, dropping raw exchanges past the frame limit (create-agent's fitFrame). */
  fitFrame: <M>(reports: DeviceReport[], build: (reports: DeviceReport[]) => M) => M;
  /** Aborted when the agent stops: a running discovery ends with it. */
  signal: AbortSignal;
  /** Discovery's OS seams for tests (serial listing, USB listing, realpath). */
  discovery?: Pick<DiscoverOptions, 'listSerial' | 'listUsbPrinters' | 'realpath'> | undefined;
  log: ReturnType<typeof moduleLogger>;
  /** collect_bundle (bundle/collect-bundle.ts); without it the verb is `unsupported`. */
  collectBundle?: CollectBundle | undefined;
  /** restart_print_service (actions/restart-print-service.ts); without it the verb is `unsupported`. */
  restartPrintService?: ((command: CommandPayload) => Promise<CommandResultPayload>) | undefined;
}

/** Answers one command; never rejects for device trouble (a refused test print is an answer). */
export type RunCommand = (command: CommandPayload) => Promise<CommandResultPayload>;

export function createRemoteCommands(parts: RemoteCommandParts): RunCommand {
  const discoverNow = singleDiscovery(parts);
  return async (command) => {
    switch (command.verb) {
      case 'probe_now':
        return probeNow(parts, command);
      case 'test_print':
        return engineerTestPrint(parts, command);
      case 'discover':
        return { commandId: command.commandId, ok: true, devices: [], discovery: await discoverNow() };
      case 'collect_bundle':
        if (parts.collectBundle) return parts.collectBundle(command);
        return { commandId: command.commandId, ok: false, code: 'unsupported', message: 'this agent does not collect diagnostics bundles' };
      case 'restart_print_service':
        if (parts.restartPrintService) return parts.restartPrintService(command);
        return { commandId: command.commandId, ok: false, code: 'unsupported', message: 'this agent does not restart the print service' };
      default:
        return { commandId: command.commandId, ok: false, code: 'unsupported', message: `verb "${String(command.verb)}" is not supported` };
    }
  };
}

/** The deviceId was checked before (actions/command-checks.ts): a device or a host probe of this register. */
async function probeNow({ probeLoop, fitFrame }: RemoteCommandParts, command: CommandPayload): Promise<CommandResultPayload> {
  const devices = await probeLoop.probeNow(command.deviceId ? { deviceId: command.deviceId } : {});
  return fitFrame(devices, (d) => ({ commandId: command.commandId, ok: true as const, devices: d }));
}

/** An engineer's test print from a ticket: a refusal is an answer (ok, outcome refused), an unknown device is not. */
async function engineerTestPrint({ testPrinter, fitFrame, log }: RemoteCommandParts, command: CommandPayload): Promise<CommandResultPayload> {
  if (!command.deviceId) return { commandId: command.commandId, ok: false, code: 'bad_request', message: 'test_print needs a deviceId' };
  try {
    const { summary, devices } = await testPrinter.run(command.deviceId, 'engineer');
    log.info(`test print on ${command.deviceId}: ${summary.outcome}: ${summary.reason}`);
    return fitFrame(devices, (d) => ({ commandId: command.commandId, ok: true as const, devices: d, testPrint: summary }));
  } catch (error) {
    if (error instanceof TestPrintError) return { commandId: command.commandId, ok: false, code: 'not_found', message: error.message };
    throw error;
  }
}

/**
 * One discovery at a time: a second request while one runs gets the same result. Configured
 * ports are not reopened (the probe loop uses them); their latest reports stand in.
 */
function singleDiscovery(parts: RemoteCommandParts): () => Promise<DiscoveryResult> {
  let running: Promise<DiscoveryResult> | undefined;
  return () => {
    running ??= (async () => {
      const { discover } = await import('./discovery/discover');
      return discover({
        drivers: parts.drivers,
        devices: parts.config.devices,
        openTransport: parts.openTransport,
        extraSerialPaths: parts.config.discovery?.serialPaths ?? [],
        latestReports: () => parts.probeLoop.latest(),
        signal: parts.signal,
        ...parts.discovery,
      });
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
}

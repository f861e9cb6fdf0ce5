// `npm run agent -- --discover [--config path] [--json] [--port /dev/ttyX]…`: discovery from the
// command line, without the console and without enrollment. Exits 0 whatever the ports said; 1
// when the config cannot be read, 2 on a bad command line.
import { parseArgs } from 'node:util';
import type { AgentConfig } from '../config';
import type { DriverRegistry } from '../devices/driver';
import { errorText } from '../logger';
import type { OpenTransport } from '../transports/transport';
import type { ListUsbPrinters } from './candidates';
import { discover, type DiscoverOptions } from './discover';
import { formatDiscovery } from './format';

export const DISCOVER_USAGE =
  'usage: npm run agent -- --discover [--config path/to/agent.json] [--json] [--port /dev/ttyS0 …]\n' +
  '  lists serial ports, USB printers and the network printers the config names, identifies each\n' +
  '  with a harmless request, and proposes config entries for what answered (the config is not changed)';

export interface DiscoverCliDeps {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Default: config.ts loadConfig with the real registry. */
  loadConfig?: (file: string) => Promise<AgentConfig>;
  drivers?: DriverRegistry;
  openTransport?: OpenTransport;
  listUsbPrinters?: ListUsbPrinters;
  /** seams for tests: everything else discovery takes */
  discoverOptions?: Partial<DiscoverOptions>;
}

interface CliArgs {
  config?: string;
  json: boolean;
  ports: string[];
}

function parseCli(args: string[]): CliArgs | undefined {
  try {
    const { values } = parseArgs({
      args,
      options: { discover: { type: 'boolean' }, config: { type: 'string' }, json: { type: 'boolean' }, port: { type: 'string', multiple: true } },
    });
    return { ...(values.config ? { config: values.config } : {}), json: values.json ?? false, ports: values.port ?? [] };
  } catch {
    return undefined;
  }
}

export async function runDiscoverCli(args: string[], deps: DiscoverCliDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = deps.stderr ?? ((text: string) => process.stderr.write(text));
  const parsed = parseCli(args);
  if (!parsed) {
    stderr(`${DISCOVER_USAGE}\n`);
    return 2;
  }
  let devices: AgentConfig['devices'] = [];
  let serialPaths: string[] = [];
  if (parsed.config) {
    try {
      const load = deps.loadConfig ?? (async (file: string) => (await import('../config')).loadConfig(file));
      const config = await load(parsed.config);
      devices = config.devices;
      serialPaths = config.discovery?.serialPaths ?? [];
    } catch (error) {
      stderr(`${errorText(error)}\n`);
      return 1;
    }
  }
  const drivers = deps.drivers ?? (await import('../devices/registry')).createDriverRegistry();
  const openTransport = deps.openTransport ?? (await import('../transports/open-transport')).createOpenTransport();
  const result = await discover({
    drivers,
    devices,
    openTransport,
    extraSerialPaths: [...new Set([...serialPaths, ...parsed.ports])],
    ...(deps.listUsbPrinters ? { listUsbPrinters: deps.listUsbPrinters } : {}),
    ...deps.discoverOptions,
  });
  stdout(parsed.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatDiscovery(result)}\n`);
  return 0;
}

// Runs a simulated register host (USB tree, CUPS PPD folder and tools, POS config file) until Ctrl-C.
//   npm run sim:host -- --dir ./host-sim [--control-port 9300]
import { parseArgs } from 'node:util';
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { startHostSimulator } from './simulator';

export const HOST_USAGE = [
  'usage: npm run sim:host -- --dir DIR [--control-port N]',
  '  The parts of a Linux register the host probes read from files and tools, under DIR: a USB tree',
  '  laid out like /sys/bus/usb/devices (an Epson TM-T20II on usblp, a CH340 USB-serial adapter), a',
  '  CUPS PPD folder with the receipt queue\'s driver, lpstat and systemctl stand-ins for a running',
  '  CUPS, and a POS config file. Point an agent\'s host probes at them (printed below).',
].join('\n');

/** Parses argv, starts the simulator, prints the agent config that reads it; resolves once stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string' }, 'control-port': { type: 'string' }, help: { type: 'boolean', default: false } } });
  if (values.help || !values.dir) return io.log(HOST_USAGE);
  const port = values['control-port'] === undefined ? 0 : Number(values['control-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--control-port: not a port number: ${values['control-port']}`);
  const sim = await startHostSimulator({ dir: values.dir, port });
  io.log(`host control on ${sim.url}  (GET /state; PUT /usb {"device":"printer","attached":false}, PUT /driver {"version":"3.1.0"}, PUT /config {"version":"2"}, PUT /cups {"running":false})`);
  io.log('agent config "host" section that reads it:');
  io.log(JSON.stringify({
    configFiles: [{ name: 'frontol.ini', path: sim.configFile }],
    probes: sim.probeOptions,
  }, null, 2));
  await runUntilStopped(io, () => sim.close());
}

runAsMain(import.meta.url, runCli);

// Runs a simulated ESC/POS printer until Ctrl-C.
//   tsx scripts/sim/escpos/cli.ts --tcp-port 9100 --pty --control-port 9200 [--faults '{"paperEnd":true}']
import { parseArgs } from 'node:util';
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { PrinterFaultsPatch } from './printer-state';
import { startEscPosSimulator, type EscPosSimulatorOptions } from './simulator';

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'tcp-port': { type: 'string' },
      'tcp-host': { type: 'string' },
      pty: { type: 'boolean', default: false },
      'control-port': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.log('usage: tsx scripts/sim/escpos/cli.ts [--tcp-port N] [--tcp-host H] [--pty] [--control-port N] [--faults JSON]');
    return;
  }
  const port = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0..65535, got "${text}"`);
    return n;
  };
  const tcpPort = port('tcp-port', values['tcp-port']);
  const controlPort = port('control-port', values['control-port']);
  const options: EscPosSimulatorOptions = {
    pty: values.pty,
    ...(tcpPort !== undefined || values['tcp-host'] ? { tcp: { port: tcpPort ?? 9100, host: values['tcp-host'] ?? '127.0.0.1' } } : {}),
    ...(controlPort !== undefined ? { control: { port: controlPort } } : {}),
    ...(values.faults ? { faults: PrinterFaultsPatch.parse(JSON.parse(values.faults)) } : {}),
  };
  if (!options.tcp && !options.pty) options.tcp = { port: 9100 };

  const sim = await startEscPosSimulator(options);
  if (sim.tcpPort !== undefined) io.log(`ESC/POS printer on tcp://${options.tcp?.host ?? '127.0.0.1'}:${sim.tcpPort}`);
  if (sim.ptyPath !== undefined) io.log(`ESC/POS printer on serial ${sim.ptyPath} (open this path from the agent)`);
  if (sim.controlPort !== undefined) {
    io.log(`fault control on http://127.0.0.1:${sim.controlPort}/faults  (GET, PUT JSON partial, POST /faults/reset)`);
    io.log(`  e.g. curl -X PUT -d '{"paperEnd":true}' http://127.0.0.1:${sim.controlPort}/faults`);
  }
  io.log(`faults: ${JSON.stringify(sim.getFaults())}`);
  await runUntilStopped(io, () => sim.close());
}

runAsMain(import.meta.url, runCli);

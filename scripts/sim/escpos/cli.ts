// Runs a simulated ESC/POS printer until Ctrl-C.
//   tsx scripts/sim/escpos/cli.ts --tcp-port 9100 --pty --control-port 9200 [--faults '{"paperEnd":true}']
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { parseSimulatorArgs } from '../lib/tcp-serve';
import { PrinterFaultsPatch } from './printer-state';
import { startEscPosSimulator, type EscPosSimulatorOptions } from './simulator';

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const args = parseSimulatorArgs(argv, 'faults', 9100);
  if (args.help) {
    io.log('usage: tsx scripts/sim/escpos/cli.ts [--tcp-port N] [--tcp-host H] [--pty] [--control-port N] [--faults JSON]');
    return;
  }
  const options: EscPosSimulatorOptions = {
    pty: args.pty,
    ...(args.tcp ? { tcp: args.tcp } : {}),
    ...(args.control ? { control: args.control } : {}),
    ...(args.json ? { faults: PrinterFaultsPatch.parse(JSON.parse(args.json)) } : {}),
  };

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

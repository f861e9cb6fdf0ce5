// Runs a simulated ESC/POS printer until Ctrl-C.
//   tsx scripts/sim/escpos/cli.ts --tcp-port 9100 --pty --control-port 9200 [--faults '{"paperEnd":true}']
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { parseSimulatorArgs } from '../lib/tcp-serve';
import { PrinterModel } from './models';
import { PrinterFaultsPatch } from './printer-state';
import { startEscPosSimulator, type EscPosSimulatorOptions } from './simulator';

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const { model, rest } = takeModel(argv);
  const args = parseSimulatorArgs(rest, 'faults', 9100);
  if (args.help) {
    io.log('usage: tsx scripts/sim/escpos/cli.ts [--tcp-port N] [--tcp-host H] [--pty] [--control-port N] [--faults JSON] [--model epson|clone|silent]');
    io.log('  --model epson   Epson TM-T20/T88-like (default): DLE EOT 1-4, ASB (GS a), GS I 1/2/3 and 65-68, GS g 2 counters');
    io.log('  --model clone   a clone answering DLE EOT 1 and 4 only (no ASB, no GS I)');
    io.log('  --model silent  a printer that never answers');
    io.log('  the model can be switched at run time: curl -X PUT -d \'{"model":"clone"}\' http://127.0.0.1:<control-port>/model');
    return;
  }
  const options: EscPosSimulatorOptions = {
    pty: args.pty,
    ...(args.tcp ? { tcp: args.tcp } : {}),
    ...(args.control ? { control: args.control } : {}),
    ...(args.json ? { faults: PrinterFaultsPatch.parse(JSON.parse(args.json)) } : {}),
    ...(model ? { model } : {}),
  };

  const sim = await startEscPosSimulator(options);
  if (sim.tcpPort !== undefined) io.log(`ESC/POS printer on tcp://${options.tcp?.host ?? '127.0.0.1'}:${sim.tcpPort}`);
  if (sim.ptyPath !== undefined) io.log(`ESC/POS printer on serial ${sim.ptyPath} (open this path from the agent)`);
  if (sim.controlPort !== undefined) {
    io.log(`fault control on http://127.0.0.1:${sim.controlPort}/faults  (GET, PUT JSON partial, POST /faults/reset)`);
    io.log(`  e.g. curl -X PUT -d '{"paperEnd":true}' http://127.0.0.1:${sim.controlPort}/faults`);
  }
  io.log(`model: ${sim.getModel()}; faults: ${JSON.stringify(sim.getFaults())}`);
  await runUntilStopped(io, () => sim.close());
}

/** `--model X` / `--model=X` taken out of argv (the shared simulator options do not know it). */
function takeModel(argv: string[]): { model?: PrinterModel; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--model') value = argv[++i] ?? '';
    else if (arg.startsWith('--model=')) value = arg.slice('--model='.length);
    else rest.push(arg);
  }
  if (value === undefined) return { rest };
  const model = PrinterModel.safeParse(value);
  if (!model.success) throw new Error(`--model must be epson, clone or silent, not "${value}"`);
  return { model: model.data, rest };
}

runAsMain(import.meta.url, runCli);

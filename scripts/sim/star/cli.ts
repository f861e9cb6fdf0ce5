// Runs a simulated Star printer (line mode) until Ctrl-C.
//   npm run sim:star -- --tcp-port 9101 --pty --control-port 9201 [--faults '{"paperEnd":true}']
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { parseSimulatorArgs } from '../lib/tcp-serve';
import { StarFaultsPatch } from './printer-state';
import { startStarSimulator, type StarSimulatorOptions } from './simulator';

export const STAR_USAGE = [
  'usage: npm run sim:star -- [--tcp-port N] [--tcp-host H] [--pty] [--control-port N] [--faults JSON]',
  '  A Star TSP100/TSP650-like printer in Star line mode: answers ESC ACK SOH (1b 06 01) with its',
  '  9-byte automatic status frame, never answers DLE EOT. TCP on 9100 unless told otherwise.',
  '  faults: paperEnd paperNearEnd coverOpen cutterError mechanicalError unrecoverableError',
  '          headOverheat offline noReply garbage slowReplyMs automaticStatus',
].join('\n');

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const args = parseSimulatorArgs(argv, 'faults', 9100);
  if (args.help) return io.log(STAR_USAGE);
  const options: StarSimulatorOptions = {
    pty: args.pty,
    ...(args.tcp ? { tcp: args.tcp } : {}),
    ...(args.control ? { control: args.control } : {}),
    ...(args.json ? { faults: StarFaultsPatch.parse(JSON.parse(args.json)) } : {}),
  };
  const sim = await startStarSimulator(options);
  if (sim.tcpPort !== undefined) io.log(`Star printer (line mode) on tcp://${options.tcp?.host ?? '127.0.0.1'}:${sim.tcpPort}`);
  if (sim.ptyPath !== undefined) io.log(`Star printer (line mode) on serial ${sim.ptyPath} (open this path from the agent)`);
  if (sim.controlPort !== undefined) {
    io.log(`fault control on http://127.0.0.1:${sim.controlPort}/faults  (GET, PUT JSON partial, POST /faults/reset, GET /stats)`);
    io.log(`  e.g. curl -X PUT -d '{"coverOpen":true}' http://127.0.0.1:${sim.controlPort}/faults`);
  }
  io.log(`faults: ${JSON.stringify(sim.getFaults())}`);
  await runUntilStopped(io, () => sim.close());
}

runAsMain(import.meta.url, runCli);

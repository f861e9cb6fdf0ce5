// Runs a simulated Shtrih-M register until Ctrl-C.
//   npm run sim:shtrih -- --tcp-port 7778 --pty --control-port 7779 [--state '{"paperOut":true}']
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { parseSimulatorArgs } from '../lib/tcp-serve';
import { RegisterStatePatch } from './register-state';
import { DEFAULT_SHTRIH_TCP_PORT, startShtrihSimulator, type ShtrihSimulatorOptions } from './simulator';

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const args = parseSimulatorArgs(argv, 'state', DEFAULT_SHTRIH_TCP_PORT);
  if (args.help) {
    io.log('usage: npm run sim:shtrih -- [--tcp-port N] [--tcp-host H] [--pty] [--control-port N] [--state JSON]');
    return;
  }
  const options: ShtrihSimulatorOptions = {
    pty: args.pty,
    ...(args.tcp ? { tcp: args.tcp } : {}),
    ...(args.control ? { control: args.control } : {}),
    ...(args.json ? { state: RegisterStatePatch.parse(JSON.parse(args.json)) } : {}),
  };

  const sim = await startShtrihSimulator(options);
  if (sim.tcpPort !== undefined) io.log(`Shtrih-M register on tcp://${options.tcp?.host ?? '127.0.0.1'}:${sim.tcpPort}`);
  if (sim.ptyPath !== undefined) io.log(`Shtrih-M register on serial ${sim.ptyPath} (open this path from the agent)`);
  if (sim.controlPort !== undefined) {
    io.log(`control on http://127.0.0.1:${sim.controlPort}/state  (GET, PUT JSON partial, POST /state/reset, GET|DELETE /log, GET /stats)`);
    io.log(`  e.g. curl -X PUT -d '{"paperOut":true}' http://127.0.0.1:${sim.controlPort}/state`);
  }
  io.log(`state: ${JSON.stringify(sim.getState())}`);
  await runUntilStopped(io, () => sim.close());
}

runAsMain(import.meta.url, runCli);

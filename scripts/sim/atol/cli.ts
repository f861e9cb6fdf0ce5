// Runs a simulated ATOL web requests server until Ctrl-C.
//   npm run sim:atol -- [--port 16732] [--host 127.0.0.1] [--control-port 16733] [--state JSON] [--user U --password P] [--device-id ID]…
import { parseArgs } from 'node:util';
import { runAsMain, runUntilStopped, type CliIo } from '../lib/cli-main';
import { AtolStatePatch } from './register-state';
import { DEFAULT_ATOL_PORT, startAtolSimulator, type AtolSimulatorOptions } from './simulator';

const USAGE = 'usage: npm run sim:atol -- [--port N] [--host H] [--control-port N] [--state JSON] [--user U --password P] [--device-id ID ...]';

function portNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0..65535, got "${text}"`);
  return n;
}

/** Parses argv, starts the simulator, prints where it listens; resolves once it is stopped. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'control-port': { type: 'string' },
      state: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'device-id': { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return io.log(USAGE);
  if ((values.user === undefined) !== (values.password === undefined)) throw new Error('--user and --password go together');
  const controlPort = portNumber('control-port', values['control-port']);
  const options: AtolSimulatorOptions = {
    port: portNumber('port', values.port) ?? DEFAULT_ATOL_PORT,
    host: values.host ?? '127.0.0.1',
    control: { port: controlPort ?? 0 },
    ...(values.state ? { state: AtolStatePatch.parse(JSON.parse(values.state)) } : {}),
    ...(values.user !== undefined && values.password !== undefined ? { auth: { user: values.user, password: values.password } } : {}),
    ...(values['device-id']?.length ? { deviceIds: values['device-id'] } : {}),
  };
  const sim = await startAtolSimulator(options);
  io.log(`ATOL web requests server (simulator) on ${sim.baseUrl}/api/v2/requests`);
  io.log(`state control on http://127.0.0.1:${sim.controlPort}/state  (GET, PUT JSON partial, POST /state/reset; GET /log, GET /stats)`);
  io.log(`  e.g. curl -X PUT -d '{"paperPresent":false}' http://127.0.0.1:${sim.controlPort}/state`);
  io.log(`state: ${JSON.stringify(sim.getState())}`);
  await runUntilStopped(io, () => sim.close());
}

runAsMain(import.meta.url, runCli);

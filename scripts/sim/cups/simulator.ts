// A CUPS stand-in for the demo and the tests: an `lpstat` executable (a POSIX sh script: it starts
// in a millisecond, where a node client took 0.5 s on a loaded machine) that prints, byte for byte,
// the outputs recorded from a real CUPS 2.4.2 (agent/src/os/print-queue/fixtures/cups/), chosen by a
// state the HTTP control interface sets (paused, jobs stuck, scheduler stopped...). The recorded
// answers are written once as files under binDir/answers/<state>/; a state change rewrites
// binDir/state, which the script reads on every run.
//
//   GET  /state          → 200 { state, states }
//   PUT  /state          → 200 after { "state": "disabled" }; 400 on an unknown state
//
// Beside it a `systemctl` stand-in answers the two runs of restart_print_service (agent config
// actions.printServiceTool): `restart cups.service` starts a stopped scheduler (scheduler-stopped →
// idle; a paused or rejecting queue stays so, as it does across a real cupsd restart), and
// `is-active cups.service` says active, or inactive (exit 3) while the scheduler is stopped.
import { readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { loadQueueFixture } from '../../../agent/src/os/print-queue/replay';
import { putRoute, startJsonRoutes, type JsonRoute } from '../lib/json-routes';

export const CupsState = z.enum(['idle', 'disabled', 'disabled-jobs', 'rejecting', 'printing-stuck', 'scheduler-stopped']);
export type CupsState = z.infer<typeof CupsState>;

/** The queue every recorded state but printing-stuck describes (that one is "tillscope-stuck"). */
export const SIMULATED_QUEUE = 'tillscope-test';

export interface CupsSimulator {
  /** the control interface, e.g. http://127.0.0.1:41234 */
  url: string;
  /** an executable `lpstat` that answers from this simulator (give it as printQueue.tool) */
  lpstatPath: string;
  /** an executable `systemctl` restarting this simulated CUPS (give it as actions.printServiceTool) */
  systemctlPath: string;
  /** the argument lines its systemctl was run with, oldest first */
  systemctlRuns(): string[];
  state(): CupsState;
  setState(state: CupsState): Promise<void>;
  close(): Promise<void>;
}

export interface CupsSimulatorOptions {
  /** a folder of its own for the `lpstat` script, its answers and its state file */
  binDir: string;
  state?: CupsState;
  port?: number;
}

/**
 * The file name of a run's answer: each argument followed by "_", every byte outside
 * [A-Za-z0-9._-] made "_" (the script computes the same with printf and tr).
 */
export function answerKey(args: readonly string[]): string {
  return Buffer.from(args.map((a) => `${a}_`).join(''), 'utf8').toString('latin1').replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The stand-in. A run the recording has prints its stdout and stderr and exits with its code;
 * any other (another queue name) gets lpstat's recorded answer for a destination it does not know.
 */
const SCRIPT = `#!/bin/sh
here=$(dirname "$0")
state=$(cat "$here/state") || exit 1
key=$(printf '%s_' "$@" | tr -c 'A-Za-z0-9._-' '_')
answer="$here/answers/$state/$key"
if [ -f "$answer.code" ]; then
  cat "$answer.out"
  cat "$answer.err" >&2
  exit "$(cat "$answer.code")"
fi
eval "last=\\\${$#}"
printf 'lpstat: Invalid destination name in list "%s".\\n' "$last" >&2
exit 1
`;

/** The systemctl stand-in: only restart_print_service's two fixed runs; it edits the state file the lpstat script reads. */
const SYSTEMCTL = `#!/bin/sh
here=$(dirname "$0")
printf '%s\\n' "$*" >> "$here/systemctl.log"
state=$(cat "$here/state") || exit 1
case "$*" in
  "--no-ask-password restart cups.service")
    if [ "$state" = scheduler-stopped ]; then printf idle > "$here/state.sys" && mv "$here/state.sys" "$here/state"; fi
    exit 0 ;;
  "is-active cups.service")
    if [ "$state" = scheduler-stopped ]; then echo inactive; exit 3; fi
    echo active
    exit 0 ;;
esac
echo "systemctl (Tillscope CUPS simulator): only restart and is-active of cups.service" >&2
exit 1
`;

async function writeAnswers(binDir: string): Promise<void> {
  for (const state of CupsState.options) {
    const dir = path.join(binDir, 'answers', state);
    await mkdir(dir, { recursive: true });
    for (const run of loadQueueFixture('cups', state).runs) {
      const base = path.join(dir, answerKey(run.args));
      await writeFile(`${base}.out`, run.stdout);
      await writeFile(`${base}.err`, run.stderr);
      await writeFile(`${base}.code`, String(run.exitCode));
    }
  }
}

export async function startCupsSimulator(options: CupsSimulatorOptions): Promise<CupsSimulator> {
  const lpstatPath = path.join(options.binDir, 'lpstat');
  const systemctlPath = path.join(options.binDir, 'systemctl');
  await writeAnswers(options.binDir);
  for (const [file, script] of [[lpstatPath, SCRIPT], [systemctlPath, SYSTEMCTL]] as const) {
    await writeFile(file, script);
    await chmod(file, 0o755);
  }
  const file = path.join(options.binDir, 'state');
  const setState = async (next: CupsState) => {
    await writeFile(`${file}.tmp`, CupsState.parse(next));
    await rename(`${file}.tmp`, file); // a run never reads a half-written state
  };
  // The file is the state: the systemctl stand-in changes it too.
  const state = () => CupsState.catch('idle').parse(readFileSync(file, 'utf8').trim());
  await setState(options.state ?? 'idle');
  const routes: JsonRoute[] = [
    { method: 'GET', path: '/state', handle: () => ({ status: 200, body: { state: state(), states: CupsState.options } }) },
    putRoute('/state', z.strictObject({ state: CupsState }), 'state', async (value) => {
      await setState(value.state);
      return { state: state() };
    }),
  ];
  const server = await startJsonRoutes(routes, { host: '127.0.0.1', port: options.port ?? 0 });
  const systemctlRuns = () => {
    try {
      return readFileSync(path.join(options.binDir, 'systemctl.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return []; // never run
    }
  };
  return { url: `http://127.0.0.1:${server.port}`, lpstatPath, systemctlPath, systemctlRuns, state, setState, close: () => server.close() };
}

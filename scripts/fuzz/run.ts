// `npm run fuzz [-- --runs N] [--only name,name] [--seed S]`: runs every fuzz target (./targets.ts)
// for N inputs each (default 1,000,000) and prints one table: target, runs, failures, time, runs/s,
// heap growth after a full GC, peak RSS, seed. Exits 1 on any failure, after printing the shrunk
// counterexample and the command that replays it. Speed and memory are reported, never asserted.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { textTable } from '../bench/table';
import { pickByName, UsageError, wholeNumber } from '../lib/cli-options';
import { runTarget, type CollectGarbage, type FuzzTarget, type TargetOutcome } from './target';
import { FUZZ_TARGETS } from './targets';

const DEFAULT_RUNS = 1_000_000;

/** `global.gc` without restarting node with --expose-gc. */
function exposeGc(): CollectGarbage {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function row(o: TargetOutcome): string[] {
  const growth = o.heapGrowthBytes === null ? 'n/a' : `${o.heapGrowthBytes >= 0 ? '+' : ''}${mb(o.heapGrowthBytes)}`;
  return [o.name, o.runs.toLocaleString('en-US'), o.failed ? '1' : '0', `${o.seconds.toFixed(1)} s`, Math.round(o.runs / o.seconds).toLocaleString('en-US'), growth, mb(o.peakRssBytes), String(o.seed)];
}

/** Runs, seed and targets from the command line; a UsageError says what is wrong. */
function parseOptions(args: string[]): { runs: number; seed: number; targets: readonly FuzzTarget[] } {
  const { values } = parseArgs({ args, options: { runs: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' } } });
  const runs = wholeNumber('runs', values.runs?.replace(/[_,]/g, ''), 1) ?? DEFAULT_RUNS;
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  const targets = pickByName(values.only, FUZZ_TARGETS, (target) => target.name, 'target') ?? FUZZ_TARGETS;
  return { runs, seed, targets };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const { runs, seed, targets } = options;
  const gc = exposeGc();
  process.stdout.write(`Tillscope fuzz: ${targets.length} target(s), ${runs.toLocaleString('en-US')} runs each, seed ${seed}, node ${process.version}\n`);

  const outcomes: TargetOutcome[] = [];
  for (const target of targets) {
    process.stderr.write(`[${target.name}] ${target.about}\n`);
    const outcome = await runTarget(target, { runs, seed, gc });
    outcomes.push(outcome);
    process.stderr.write(`[${target.name}] ${outcome.failed ? 'FAILED' : 'ok'} in ${outcome.seconds.toFixed(1)} s\n`);
  }

  const header = ['target', 'runs', 'failures', 'time', 'runs/s', 'heap growth', 'peak RSS', 'seed'];
  process.stdout.write(`\n${textTable(header, outcomes.map(row))}\n`);
  const failed = outcomes.filter((o) => o.failed);
  for (const o of failed) {
    process.stdout.write(`\n${o.name} FAILED. Replay: npm run fuzz -- --only ${o.name} --seed ${o.seed} --runs ${runs}\n${o.report}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz runner crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);

// `npm run bench [-- --quick] [--only id,id]`: runs the benchmark suites one after another, prints one
// table (figure, value, budget, verdict, baseline ratio, anchor) and writes it as JSON under
// bench/results/. Budgets are reported, never asserted: the exit code is non-zero only when a
// suite could not measure at all. Long suites (the soak) run only when named in --only:
// `npm run bench -- --only soak [--soak-minutes N] [--soak-agents N] [--restart-every-sec N]`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pickByName, UsageError, wholeNumber } from '../lib/cli-options';
import { describeMachine } from './machine';
import type { BenchSuite, Measurement, SoakSettings } from './measurement';
import { renderTable, toJsonRows } from './table';
import { BENCH_SUITES } from './suites/index';

interface SuiteOutcome {
  suite: BenchSuite;
  measurements: Measurement[];
  error?: string;
  seconds: number;
}

function soakSettings(values: { 'soak-minutes'?: string; 'soak-agents'?: string; 'restart-every-sec'?: string }): SoakSettings {
  return {
    minutes: wholeNumber('soak-minutes', values['soak-minutes'], 1),
    agents: wholeNumber('soak-agents', values['soak-agents'], 1),
    restartEverySec: wholeNumber('restart-every-sec', values['restart-every-sec'], 0),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      'soak-minutes': { type: 'string' },
      'soak-agents': { type: 'string' },
      'restart-every-sec': { type: 'string' },
    },
  });
  let soak: SoakSettings;
  let named: BenchSuite[] | undefined;
  try {
    soak = soakSettings(values);
    named = pickByName(values.only, BENCH_SUITES, (suite) => suite.id, 'suite');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const quick = values.quick ?? false;
  const suites = named ?? BENCH_SUITES.filter((suite) => !suite.onRequestOnly);
  const machine = describeMachine();
  const startedAt = new Date();
  const resultsDir = values.out ?? path.resolve(import.meta.dirname, '../../bench/results');
  await mkdir(resultsDir, { recursive: true });
  process.stdout.write(`Tillscope bench (${quick ? 'quick' : 'full'}) on ${machine.summary}\n`);
  for (const suite of BENCH_SUITES.filter((suite) => suite.onRequestOnly && !suites.includes(suite))) {
    process.stdout.write(`skipped ${suite.id} (${suite.title}): runs only on request, \`npm run bench -- --only ${suite.id}\`\n`);
  }

  const outcomes: SuiteOutcome[] = [];
  for (const suite of suites) {
    const scratchDir = await mkdtemp(path.join(tmpdir(), `tillscope-bench-${suite.id}-`));
    const started = performance.now();
    const log = (message: string) => process.stderr.write(`[${suite.id}] ${message}\n`);
    log(`start: ${suite.title}`);
    try {
      const measurements = await suite.run({ quick, scratchDir, log, resultsDir, soak });
      outcomes.push({ suite, measurements, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`FAILED: ${text}`);
      outcomes.push({ suite, measurements: [], error: error instanceof Error ? error.message : String(error), seconds: (performance.now() - started) / 1000 });
    } finally {
      await rm(scratchDir, { recursive: true, force: true }).catch(() => undefined);
    }
    log(`done in ${outcomes.at(-1)?.seconds.toFixed(1)} s`);
  }

  const measurements = outcomes.flatMap((outcome) => outcome.measurements);
  const errors = outcomes.filter((outcome) => outcome.error).map((outcome) => ({ suite: outcome.suite.id, error: outcome.error ?? '' }));
  process.stdout.write(`\n${renderTable(measurements)}\n`);
  for (const { suite, error } of errors) process.stdout.write(`suite ${suite} could not measure: ${error}\n`);

  const mode = quick ? 'quick' : 'full';
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({
    mode,
    startedAt: startedAt.toISOString(),
    seconds: outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0),
    machine,
    suites: outcomes.map((outcome) => ({ id: outcome.suite.id, title: outcome.suite.title, seconds: outcome.seconds, error: outcome.error ?? null })),
    rows: toJsonRows(measurements),
  }, null, 2);
  const file = path.join(resultsDir, `${stamp}-${mode}.json`);
  await writeFile(file, `${json}\n`);
  await writeFile(path.join(resultsDir, `latest-${mode}.json`), `${json}\n`);
  process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

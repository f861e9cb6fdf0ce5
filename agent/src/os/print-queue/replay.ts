// Recorded (CUPS) and transcribed (Windows) tool outputs, and a RunCommand that replays them: for
// the tests and the CUPS simulator. Not used by the agent at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CommandResult, RunCommand } from '../run-command';

const FixtureRun = z.object({
  file: z.string(),
  args: z.array(z.string()),
  exitCode: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
});
export type FixtureRun = z.infer<typeof FixtureRun>;

/**
 * One state of a queue: `recorded` from a real tool (command, date, host, `lpstat -v` context), or
 * `transcribed` from the documented formats where no such OS is at hand (Windows), with sources.
 */
export const QueueFixture = z.object({
  origin: z.enum(['recorded', 'transcribed']),
  recordedAt: z.string().optional(),
  host: z.string().optional(),
  sources: z.array(z.string()).optional(),
  state: z.string(),
  queue: z.string(),
  runs: z.array(FixtureRun),
});
export type QueueFixture = z.infer<typeof QueueFixture>;

export const FIXTURES_DIR = path.join(import.meta.dirname, 'fixtures');

export function loadQueueFixture(system: 'cups' | 'windows', name: string, dir = FIXTURES_DIR): QueueFixture {
  return QueueFixture.parse(JSON.parse(readFileSync(path.join(dir, system, `${name}.json`), 'utf8')));
}

/** The recorded result of `file args` in `fixture`, or undefined when the fixture has no such run. */
export function findRun(fixture: QueueFixture, args: readonly string[]): FixtureRun | undefined {
  return fixture.runs.find((run) => run.args.length === args.length && run.args.every((a, i) => a === args[i]));
}

export function resultOf(run: FixtureRun): CommandResult {
  return run.exitCode === 0 ? { kind: 'ok', stdout: run.stdout, stderr: run.stderr } : { kind: 'exit', exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
}

/**
 * A RunCommand answering from `fixture` (matched on the arguments; the program name is the
 * caller's). A run the fixture lacks fails the test loudly rather than inventing an answer.
 */
export function replayCommands(fixture: QueueFixture, seen: string[][] = []): RunCommand {
  return (request) => {
    seen.push([request.file, ...request.args]);
    const run = findRun(fixture, request.args);
    if (!run) return Promise.reject(new Error(`fixture "${fixture.state}" has no run of ${request.args.join(' ')}`));
    return Promise.resolve(resultOf(run));
  };
}

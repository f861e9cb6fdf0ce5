// A HostOs that replays a fixture (what a real register's OS answered), for host probe tests, the
// fleet simulator and the demo; and a recorder that wraps the real HostOs and writes down every
// answer as such a fixture. Not used by the agent at run time.
//
// Fixtures are `recorded` (taken on a real machine through createRecordingHostOs: say the machine
// and date) or `transcribed` (Windows 10/11, written from the documented output formats: list the
// sources). A probe asking for a tool run the fixture lacks makes the replay reject, loudly, rather
// than invent an answer; a file, folder or link the fixture lacks does not exist.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FileHash, FileRead, HostOs, SystemFacts } from './host-os';
import type { CommandRequest, CommandResult, RunCommand } from './run-command';

/**
 * One tool run: its exit code and output, or how it failed without output: `missing` (not
 * installed), `timeout` (killed at its timeout at once), `hang` (waits for the caller's timeout or
 * abort, then `timeout` / `canceled`: for tests of deadlines), `too_large`, `failed`.
 */
export const RunFixture = z.strictObject({
  file: z.string(),
  args: z.array(z.string()),
  exitCode: z.number().int().optional(),
  stdout: z.string().default(''),
  stderr: z.string().default(''),
  result: z.enum(['missing', 'timeout', 'hang', 'too_large', 'failed']).optional(),
});
export type RunFixture = z.input<typeof RunFixture>;

const FileFixture = z.union([
  z.strictObject({ text: z.string(), modifiedAt: z.iso.datetime().optional() }),
  z.strictObject({ error: z.enum(['denied', 'failed']) }),
]);

/** A systeminformation answer, or the error it rejected with. */
const SystemAnswer = <T extends z.ZodTypeAny>(shape: T) => z.union([shape, z.strictObject({ error: z.string() })]);

const SystemFixture = z.strictObject({
  osInfo: SystemAnswer(z.object({ platform: z.string(), distro: z.string(), release: z.string(), build: z.string(), kernel: z.string(), arch: z.string(), hostname: z.string() })).optional(),
  system: SystemAnswer(z.object({ manufacturer: z.string(), model: z.string() })).optional(),
  time: SystemAnswer(z.object({ uptime: z.number(), timezone: z.string() })).optional(),
  mem: SystemAnswer(z.object({ total: z.number(), available: z.number() })).optional(),
  fsSize: SystemAnswer(z.array(z.object({ fs: z.string(), type: z.string(), size: z.number(), available: z.number(), mount: z.string() }))).optional(),
});

export const HostFixture = z.strictObject({
  origin: z.enum(['recorded', 'transcribed']),
  /** what state of the register this is ("cups running, two queues", "w32tm, German locale") */
  description: z.string().min(1),
  /** recorded: when, on which machine (OS, hostname or model) */
  recordedAt: z.string().optional(),
  machine: z.string().optional(),
  /** transcribed: where the output format comes from (documentation URLs) */
  sources: z.array(z.string()).optional(),
  platform: z.enum(['linux', 'win32', 'darwin']),
  runs: z.array(RunFixture).default([]),
  /** path → content (or the error reading it gives) */
  files: z.record(z.string(), FileFixture).default({}),
  /** folder path → the names in it */
  dirs: z.record(z.string(), z.array(z.string())).default({}),
  /** link path → absolute target */
  links: z.record(z.string(), z.string()).default({}),
  system: SystemFixture.default({}),
  env: z.record(z.string(), z.string()).default({}),
}).superRefine((fixture, ctx) => {
  if (fixture.origin === 'recorded' && (!fixture.recordedAt || !fixture.machine)) ctx.addIssue({ code: 'custom', message: 'a recorded fixture says when (recordedAt) and on which machine' });
  if (fixture.origin === 'transcribed' && !fixture.sources?.length) ctx.addIssue({ code: 'custom', message: 'a transcribed fixture lists its sources' });
});
export type HostFixture = z.output<typeof HostFixture>;
export type HostFixtureInput = z.input<typeof HostFixture>;

/** Reads and checks `<dir>/<name>.json`. */
export function loadHostFixture(dir: string, name: string): HostFixture {
  return HostFixture.parse(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')));
}

const sameRun = (run: { file: string; args: readonly string[] }, request: { file: string; args: readonly string[] }) =>
  run.file === request.file && run.args.length === request.args.length && run.args.every((a, i) => a === request.args[i]);

/**
 * The fixture with some runs replaced (matched on file and arguments) or added: a missing tool, a
 * hanging one, output a newer version writes.
 */
export function withRuns(fixture: HostFixture, ...runs: RunFixture[]): HostFixture {
  const parsed = runs.map((run) => RunFixture.parse(run));
  return { ...fixture, runs: [...fixture.runs.filter((old) => !parsed.some((run) => sameRun(run, old))), ...parsed] };
}

/** The fixture with some systeminformation answers replaced (`{ error }` makes the call reject). */
export function withSystem(fixture: HostFixture, system: HostFixture['system']): HostFixture {
  return { ...fixture, system: { ...fixture.system, ...system } };
}

export interface ReplayOptions {
  /** every run the probe asked for, as [file, ...args], in order */
  seen?: string[][];
}

/** A HostOs answering from `fixture`. */
export function replayHostOs(fixture: HostFixture, options: ReplayOptions = {}): HostOs {
  const fileOf = (file: string) => fixture.files[file];
  return {
    platform: fixture.platform,
    run: replayRuns(fixture, options.seen ?? []),
    readFile(file, maxBytes): Promise<FileRead> {
      const entry = fileOf(file);
      if (!entry) return Promise.resolve(fixture.dirs[file] ? { kind: 'failed', message: 'is a folder, not a file' } : { kind: 'missing' });
      if ('error' in entry) return Promise.resolve(entry.error === 'denied' ? { kind: 'denied' } : { kind: 'failed', message: 'read failed (fixture)' });
      if (Buffer.byteLength(entry.text) > maxBytes) return Promise.resolve({ kind: 'too_large', maxBytes });
      return Promise.resolve({ kind: 'ok', text: entry.text });
    },
    hashFile(file, maxBytes): Promise<FileHash> {
      const entry = fileOf(file);
      if (!entry) return Promise.resolve({ kind: 'missing' });
      if ('error' in entry) return Promise.resolve(entry.error === 'denied' ? { kind: 'denied' } : { kind: 'failed', message: 'read failed (fixture)' });
      const sizeBytes = Buffer.byteLength(entry.text);
      if (sizeBytes > maxBytes) return Promise.resolve({ kind: 'too_large', maxBytes });
      const sha256 = createHash('sha256').update(entry.text).digest('hex');
      return Promise.resolve({ kind: 'ok', sha256, sizeBytes, modifiedAt: new Date(entry.modifiedAt ?? 0) });
    },
    readdir: (dir) => Promise.resolve(fixture.dirs[dir] ? [...fixture.dirs[dir]] : null),
    readlink: (link) => Promise.resolve(fixture.links[link] ?? null),
    exists: (file) => Promise.resolve(file in fixture.files || file in fixture.dirs || file in fixture.links),
    system: replaySystem(fixture),
    env: (name) => fixture.env[name],
  };
}

function replayRuns(fixture: HostFixture, seen: string[][]): RunCommand {
  return (request) => {
    seen.push([request.file, ...request.args]);
    const run = fixture.runs.find((r) => sameRun(r, request));
    if (!run) return Promise.reject(new Error(`fixture "${fixture.description}" has no run of ${[request.file, ...request.args].join(' ')}`));
    return resultOf(run, request);
  };
}

function resultOf(run: z.output<typeof RunFixture>, request: CommandRequest): Promise<CommandResult> {
  switch (run.result) {
    case 'missing':
      return Promise.resolve({ kind: 'missing', message: `${request.file} not found (is it installed and on PATH?)` });
    case 'timeout':
      return Promise.resolve({ kind: 'timeout', timeoutMs: request.timeoutMs });
    case 'too_large':
      return Promise.resolve({ kind: 'too_large', maxOutputBytes: request.maxOutputBytes });
    case 'failed':
      return Promise.resolve({ kind: 'failed', message: run.stderr || 'failed (fixture)' });
    case 'hang':
      return hang(request);
    case undefined: {
      const exitCode = run.exitCode ?? 0;
      return Promise.resolve(exitCode === 0 ? { kind: 'ok', stdout: run.stdout, stderr: run.stderr } : { kind: 'exit', exitCode, stdout: run.stdout, stderr: run.stderr });
    }
  }
}

/** A tool that never answers: ends like run-command.ts ends it, at the timeout or on abort. */
function hang(request: CommandRequest): Promise<CommandResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.signal?.removeEventListener('abort', onAbort);
      resolve({ kind: 'timeout', timeoutMs: request.timeoutMs });
    }, request.timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      resolve({ kind: 'canceled' });
    };
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function replaySystem(fixture: HostFixture): SystemFacts {
  const answer = <K extends keyof SystemFacts>(name: K): ReturnType<SystemFacts[K]> => {
    const entry = fixture.system[name];
    if (entry === undefined) return Promise.reject(new Error(`fixture "${fixture.description}" has no systeminformation ${name}()`)) as ReturnType<SystemFacts[K]>;
    if (typeof entry === 'object' && 'error' in entry) return Promise.reject(new Error(entry.error)) as ReturnType<SystemFacts[K]>;
    return Promise.resolve(structuredClone(entry)) as ReturnType<SystemFacts[K]>;
  };
  return {
    osInfo: () => answer('osInfo'),
    system: () => answer('system'),
    time: () => answer('time'),
    mem: () => answer('mem'),
    fsSize: () => answer('fsSize'),
  };
}

// Records what a real HostOs answers, as a HostFixture (host-os-replay.ts) for tests: run a probe
// once against createRecordingHostOs(createHostOs()) on a real machine, then save `fixture()`.
// Used by scripts/record-host-fixture.ts; never by the agent at run time.
import os from 'node:os';
import type { HostOs, SystemFacts } from './host-os';
import type { HostFixtureInput, RunFixture } from './host-os-replay';
import type { CommandResult } from './run-command';

export interface RecordingHostOs {
  os: HostOs;
  /** everything asked so far, as a fixture of origin `recorded` */
  fixture(description: string): HostFixtureInput;
}

/** Text files read for a hash are kept up to this size; a larger one is recorded as unreadable. */
const MAX_RECORDED_FILE_BYTES = 256 * 1024;

export function createRecordingHostOs(real: HostOs, now: () => Date = () => new Date()): RecordingHostOs {
  const runs: RunFixture[] = [];
  const files: NonNullable<HostFixtureInput['files']> = {};
  const dirs: Record<string, string[]> = {};
  const links: Record<string, string> = {};
  const system: NonNullable<HostFixtureInput['system']> = {};
  const env: Record<string, string> = {};

  const record = <K extends keyof SystemFacts>(name: K) =>
    (async () => {
      try {
        const answer = await (real.system[name] as () => Promise<unknown>)();
        (system as Record<string, unknown>)[name] = answer;
        return answer;
      } catch (error) {
        (system as Record<string, unknown>)[name] = { error: error instanceof Error ? error.message : String(error) };
        throw error;
      }
    }) as SystemFacts[K];

  const recording: HostOs = {
    platform: real.platform,
    async run(request) {
      const result = await real.run(request);
      runs.push({ file: request.file, args: [...request.args], ...runOutcome(result) });
      return result;
    },
    async readFile(file, maxBytes) {
      const read = await real.readFile(file, maxBytes);
      if (read.kind === 'ok') files[file] = { text: read.text };
      else if (read.kind === 'denied' || read.kind === 'failed') files[file] = { error: read.kind };
      return read;
    },
    async hashFile(file, maxBytes) {
      const hash = await real.hashFile(file, maxBytes);
      if (hash.kind === 'ok') {
        const text = await real.readFile(file, MAX_RECORDED_FILE_BYTES);
        files[file] = text.kind === 'ok' ? { text: text.text, modifiedAt: hash.modifiedAt.toISOString() } : { error: 'failed' };
      } else if (hash.kind === 'denied' || hash.kind === 'failed') files[file] = { error: hash.kind };
      return hash;
    },
    async readdir(dir) {
      const names = await real.readdir(dir);
      if (names) dirs[dir] = names;
      return names;
    },
    async readlink(link) {
      const target = await real.readlink(link);
      if (target) links[link] = target;
      return target;
    },
    async exists(file) {
      const found = await real.exists(file);
      // Replayed, a path exists when the fixture has it as a file, folder or link.
      if (found && !(file in files) && !(file in dirs) && !(file in links)) files[file] = { text: '' };
      return found;
    },
    system: { osInfo: record('osInfo'), system: record('system'), time: record('time'), mem: record('mem'), fsSize: record('fsSize') },
    env(name) {
      const value = real.env(name);
      if (value !== undefined) env[name] = value;
      return value;
    },
  };

  return {
    os: recording,
    fixture: (description) => ({
      origin: 'recorded',
      description,
      recordedAt: now().toISOString(),
      machine: `${os.type()} ${os.release()} ${os.arch()} (${os.hostname()})`,
      platform: real.platform === 'win32' ? 'win32' : real.platform === 'darwin' ? 'darwin' : 'linux',
      runs,
      files,
      dirs,
      links,
      system,
      env,
    }),
  };
}

function runOutcome(result: CommandResult): Omit<RunFixture, 'file' | 'args'> {
  switch (result.kind) {
    case 'ok':
      return { exitCode: 0, stdout: result.stdout, stderr: result.stderr };
    case 'exit':
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    case 'canceled':
      return { result: 'timeout' };
    case 'failed':
      return { result: 'failed', stderr: result.message };
    default:
      return { result: result.kind };
  }
}

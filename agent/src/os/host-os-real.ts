// The real HostOs (host-os.ts): tools through run-command.ts, files through node:fs, machine facts
// through systeminformation (loaded on first use, so an agent with host probes off never loads it).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import type { FileHash, FileRead, HostOs, SystemFacts } from './host-os';
import { createRunCommand, type RunCommand } from './run-command';

/**
 * The environment variables a probe may read: where Windows keeps programs and the system, and
 * what decides a tool's language. Anything else reads as unset, so no probe can put a secret from
 * the agent's environment (a proxy password, a token) into a report.
 */
export const READABLE_ENV = [
  'ProgramFiles', 'ProgramFiles(x86)', 'ProgramW6432', 'ProgramData', 'SystemRoot', 'windir', 'SystemDrive',
  'APPDATA', 'LOCALAPPDATA', 'PUBLIC', 'HOME', 'USERPROFILE', 'LANG', 'LC_ALL', 'TZ',
] as const;

/** How long one systeminformation call may take before it counts as hung (it shells out on some OSes). */
export const SYSTEM_CALL_TIMEOUT_MS = 15_000;

type FsPromises = Pick<typeof nodeFs, 'stat' | 'readFile' | 'readdir' | 'readlink' | 'realpath'>;

/** The subset of systeminformation the real SystemFacts calls. */
export interface SystemInformationModule {
  osInfo(): Promise<{ platform: string; distro: string; release: string; build: string; kernel: string; arch: string; hostname: string }>;
  system(): Promise<{ manufacturer: string; model: string }>;
  time(): { uptime: number; timezone: string };
  mem(): Promise<{ total: number; available: number }>;
  fsSize(): Promise<{ fs: string; type: string; size: number; available: number; mount: string }[]>;
}

export interface HostOsDeps {
  platform?: NodeJS.Platform;
  run?: RunCommand;
  fs?: FsPromises;
  /** opens a file for hashing (default node:fs createReadStream) */
  openRead?: (file: string) => AsyncIterable<Buffer>;
  /** default: `import('systeminformation')` on first use */
  loadSystemInformation?: () => Promise<SystemInformationModule>;
  env?: NodeJS.ProcessEnv;
  systemCallTimeoutMs?: number;
}

/** The register's OS as host probes see it. Nothing runs until a probe calls a method. */
export function createHostOs(deps: HostOsDeps = {}): HostOs {
  const platform = deps.platform ?? process.platform;
  const fs = deps.fs ?? nodeFs;
  const env = deps.env ?? process.env;
  const openRead = deps.openRead ?? ((file: string) => createReadStream(file) as AsyncIterable<Buffer>);
  const readable = new Map<string, string>(READABLE_ENV.map((name) => [platform === 'win32' ? name.toLowerCase() : name, name]));

  return {
    platform,
    run: deps.run ?? createRunCommand(),
    async readFile(file, maxBytes): Promise<FileRead> {
      try {
        const stat = await fs.stat(file);
        if (stat.size > maxBytes) return { kind: 'too_large', maxBytes };
        const text = await fs.readFile(file, 'utf8');
        // The file may have grown between stat and read.
        return Buffer.byteLength(text) > maxBytes ? { kind: 'too_large', maxBytes } : { kind: 'ok', text };
      } catch (error) {
        return fileFailure(error);
      }
    },
    async hashFile(file, maxBytes): Promise<FileHash> {
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) return { kind: 'failed', message: `${file} is not a regular file` };
        if (stat.size > maxBytes) return { kind: 'too_large', maxBytes };
        const hash = createHash('sha256');
        let sizeBytes = 0;
        for await (const chunk of openRead(file)) {
          sizeBytes += chunk.length;
          if (sizeBytes > maxBytes) return { kind: 'too_large', maxBytes };
          hash.update(chunk);
        }
        return { kind: 'ok', sha256: hash.digest('hex'), sizeBytes, modifiedAt: stat.mtime };
      } catch (error) {
        return fileFailure(error);
      }
    },
    async readdir(dir) {
      try {
        return (await fs.readdir(dir)).map(String);
      } catch {
        return null;
      }
    },
    async readlink(link) {
      try {
        // A relative target is relative to the folder the link really is in: /sys/class/tty/ttyS0
        // is itself a link, and its "device" → "../../../00:00:0.0" means a folder under /sys/devices.
        const target = await fs.readlink(link);
        return path.resolve(await fs.realpath(path.dirname(link)), target);
      } catch {
        return null; // EINVAL: not a link; ENOENT: not there
      }
    },
    async exists(file) {
      try {
        await fs.stat(file);
        return true;
      } catch {
        return false;
      }
    },
    system: createSystemFacts(deps.loadSystemInformation ?? loadSystemInformation, deps.systemCallTimeoutMs ?? SYSTEM_CALL_TIMEOUT_MS),
    env(name) {
      const known = readable.get(platform === 'win32' ? name.toLowerCase() : name);
      if (!known) return undefined;
      if (platform !== 'win32') return env[known];
      // Windows environment names are case-insensitive; node's process.env is too, a plain object is not.
      const key = Object.keys(env).find((k) => k.toLowerCase() === known.toLowerCase());
      return key === undefined ? undefined : env[key];
    },
  };
}

async function loadSystemInformation(): Promise<SystemInformationModule> {
  const module = (await import('systeminformation')) as SystemInformationModule & { default?: SystemInformationModule };
  return module.default ?? module;
}

function fileFailure(error: unknown): FileRead & FileHash {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'denied' };
  if (code === 'EISDIR') return { kind: 'failed', message: 'is a folder, not a file' };
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/** systeminformation behind a timeout per call: a hung tool beneath it rejects rather than stalls a probe. */
function createSystemFacts(load: () => Promise<SystemInformationModule>, timeoutMs: number): SystemFacts {
  let loaded: Promise<SystemInformationModule> | undefined;
  const call = <T>(name: string, get: (si: SystemInformationModule) => Promise<T> | T): Promise<T> => {
    loaded ??= load();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`systeminformation ${name}() did not answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    return Promise.race([loaded.then(get), timeout]).finally(() => clearTimeout(timer));
  };
  // Only the fields SystemFacts names: what a probe may read, and all a recorded fixture keeps.
  return {
    osInfo: () =>
      call('osInfo', async (si) => {
        const { platform, distro, release, build, kernel, arch, hostname } = await si.osInfo();
        return { platform, distro, release, build, kernel, arch, hostname };
      }),
    system: () =>
      call('system', async (si) => {
        const { manufacturer, model } = await si.system();
        return { manufacturer, model };
      }),
    time: () =>
      call('time', (si) => {
        const { uptime, timezone } = si.time();
        return { uptime, timezone };
      }),
    mem: () =>
      call('mem', async (si) => {
        const { total, available } = await si.mem();
        return { total, available };
      }),
    fsSize: () => call('fsSize', async (si) => (await si.fsSize()).map(({ fs, type, size, available, mount }) => ({ fs, type, size, available, mount }))),
  };
}

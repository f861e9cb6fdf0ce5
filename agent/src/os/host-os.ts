// The OS as host probes see it: every call they make to the register's OS goes through this one
// seam, so tests replay recorded real output (Linux, recorded here) and transcribed output (Windows
// 10/11, from the documented formats) instead of touching the machine. The real one is
// createHostOs() (host-os-real.ts); fixtures replay through the helpers beside it.
import type { RunCommand } from './run-command';

/** How reading a file ended; never a throw. */
export type FileRead =
  | { kind: 'ok'; text: string }
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'failed'; message: string };

/** How hashing a file ended; never a throw. */
export type FileHash =
  | { kind: 'ok'; sha256: string; sizeBytes: number; modifiedAt: Date }
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'failed'; message: string };

/**
 * The facts systeminformation gives (only the calls host probes use, with the fields they read).
 * Each may reject (a tool it shells out to is missing or hangs): the probe turns that into an
 * "unchecked" fact, never a crash.
 */
export interface SystemFacts {
  osInfo(): Promise<{ platform: string; distro: string; release: string; build: string; kernel: string; arch: string; hostname: string }>;
  system(): Promise<{ manufacturer: string; model: string }>;
  time(): Promise<{ uptime: number; timezone: string }>;
  mem(): Promise<{ total: number; available: number }>;
  fsSize(): Promise<{ fs: string; type: string; size: number; available: number; mount: string }[]>;
}

/**
 * Contract: no method rejects except SystemFacts' (documented there); `run` is the agent's one
 * way to run a tool (never a shell, killed past its timeout, output bounded: run-command.ts).
 */
export interface HostOs {
  /** node's process.platform of the register: 'linux' or 'win32' (others run with what applies) */
  readonly platform: NodeJS.Platform;
  readonly run: RunCommand;
  /** reads a text file (UTF-8), refusing more than `maxBytes` */
  readFile(path: string, maxBytes: number): Promise<FileRead>;
  /** SHA-256 of a file, refusing more than `maxBytes` */
  hashFile(path: string, maxBytes: number): Promise<FileHash>;
  /** the names in a directory; null when it is not there or cannot be read */
  readdir(path: string): Promise<string[] | null>;
  /** where a symlink points, resolved to an absolute path; null when it is not a link or not there */
  readlink(path: string): Promise<string | null>;
  /** whether a path exists (a file or a folder) */
  exists(path: string): Promise<boolean>;
  readonly system: SystemFacts;
  /** environment variables the probes may read (ProgramFiles, SystemRoot); never secrets */
  env(name: string): string | undefined;
}

import { open, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { errorText, moduleLogger, silentLogger, type Logger } from '../logger';

/**
 * The few filesystem calls the reserve makes. The real one is node:fs; tests wrap it to tie the
 * free space they report to a real SQLite file's page limit (see test-support/tiny-disk.ts).
 */
export interface ReserveFs {
  /** Bytes an unprivileged process may still write on the filesystem holding `dir` (statfs: bavail × bsize). */
  freeBytes(dir: string): Promise<number>;
  /** Size of `file`, or null when it does not exist. */
  size(file: string): Promise<number | null>;
  /** Writes `bytes` real bytes to `file` and syncs it, so its blocks are really allocated; rejects (ENOSPC) without leaving a partial file. */
  allocate(file: string, bytes: number): Promise<void>;
  /** Deletes `file`; no error when it is already gone. */
  remove(file: string): Promise<void>;
}

/**
 * A file of real, allocated bytes in the agent's data dir, given back to the filesystem when the
 * disk is full so that the writes that keep a promise (cashier reports, answers, acks) still land.
 *
 * Contract:
 * - `release` deletes the file and resolves with the bytes it gave back (0 when there was nothing
 *   to give: already released, or no reserve configured). It never rejects.
 * - `restore` resolves true when the reserve is in place: it was there, or it was missing and the
 *   disk had room for it and as much again (so the agent does not fill the disk back to the brim
 *   by re-creating it), and it was written. With no reserve configured it resolves true: there is
 *   nothing to wait for, and a write is the only test of space. It never rejects.
 * - Both are cheap when nothing changes: one stat, plus one statfs while the reserve is missing.
 */
export interface DiskReserve {
  readonly bytes: number;
  release(): Promise<number>;
  restore(): Promise<boolean>;
}

export interface DiskReserveOptions {
  /** `<dataDir>/reserve.bin` */
  file: string;
  /** 0 disables the reserve. */
  bytes: number;
  fs?: ReserveFs;
  logger?: Logger;
}

export const DEFAULT_RESERVE_BYTES = 4 * 1024 * 1024;

const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes that a compressing filesystem (btrfs, ZFS) cannot shrink to nothing, as it would zeros:
 * a xorshift stream, deterministic so no OS randomness is needed for filler.
 */
function fillerChunk(): Buffer {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let x = 0x9e3779b9;
  for (let i = 0; i < CHUNK_BYTES; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chunk.writeUInt32LE(x >>> 0, i);
  }
  return chunk;
}

export const nodeReserveFs: ReserveFs = {
  async freeBytes(dir) {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  },
  async size(file) {
    try {
      return (await stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async allocate(file, bytes) {
    // Written beside and renamed: a reserve cut short by a full disk never passes for a whole one.
    const partial = `${file}.partial`;
    const chunk = fillerChunk();
    try {
      const handle = await open(partial, 'w', 0o600);
      try {
        for (let written = 0; written < bytes; written += chunk.length) {
          await handle.write(chunk, 0, Math.min(chunk.length, bytes - written));
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw error;
    }
  },
  remove: (file) => rm(file, { force: true }),
};

export function createDiskReserve(options: DiskReserveOptions): DiskReserve {
  const fs = options.fs ?? nodeReserveFs;
  const log = moduleLogger(options.logger ?? silentLogger, 'outbox');
  const { file, bytes } = options;
  const mib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.floor(n / 1024)} KiB`);
  let waitLogged = false;

  return {
    bytes,
    async release() {
      if (bytes === 0) return 0;
      try {
        const size = await fs.size(file);
        if (size === null) return 0;
        await fs.remove(file);
        log.warn(`the disk is full: released the ${mib(size)} disk reserve ${file} so that cashier reports and acks can still be written`);
        return size;
      } catch (error) {
        log.error(`the disk is full and the disk reserve ${file} could not be released: ${errorText(error)}`);
        return 0;
      }
    },
    async restore() {
      if (bytes === 0) return true;
      try {
        const size = await fs.size(file);
        if (size === bytes) return true;
        if (size !== null) await fs.remove(file); // another size configured, or left by a crash
        const free = await fs.freeBytes(path.dirname(file));
        if (free < 2 * bytes) {
          if (!waitLogged) log.warn(`the disk reserve ${file} is not in place: ${mib(free)} free, waiting for ${mib(2 * bytes)}`);
          waitLogged = true;
          return false;
        }
        await fs.allocate(file, bytes);
        log.info(`disk reserve in place: ${file} (${mib(bytes)})`);
        waitLogged = false;
        return true;
      } catch (error) {
        log.warn(`could not create the disk reserve ${file}: ${errorText(error)}`);
        return false;
      }
    },
  };
}

/** No reserve: nothing to release, nothing to wait for. For callers that configure none. */
export const noDiskReserve: DiskReserve = { bytes: 0, release: async () => 0, restore: async () => true };

/** True for the errors a full disk gives: SQLite's SQLITE_FULL (code or number 13) and the OS's ENOSPC/EDQUOT. */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown } | null;
  if (e && (e.code === 'SQLITE_FULL' || e.code === 'ENOSPC' || e.code === 'EDQUOT')) return true;
  if (e && typeof e.code === 'string' && e.code.startsWith('SQLITE') && e.errno === 13) return true;
  return /SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i.test(errorText(error));
}

import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../logger';
import { createTinyDisk } from '../test-support/tiny-disk';
import { createDiskReserve, isDiskFull, nodeReserveFs, type ReserveFs } from './disk-reserve';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reserve-'));
  file = path.join(dir, 'reserve.bin');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('disk reserve on the real filesystem', () => {
  it('allocates real blocks, releases them, and re-creates the reserve', async () => {
    const logger = recordingLogger();
    const reserve = createDiskReserve({ file, bytes: 1024 * 1024, logger });
    expect(await reserve.restore()).toBe(true);
    const created = await stat(file);
    expect(created.size).toBe(1024 * 1024);
    // Really allocated, not a sparse file: the blocks are what the disk-full moment needs.
    expect(created.blocks * 512).toBeGreaterThanOrEqual(1024 * 1024);
    expect(await reserve.restore()).toBe(true); // in place: left alone

    expect(await reserve.release()).toBe(1024 * 1024);
    expect(existsSync(file)).toBe(false);
    expect(await reserve.release()).toBe(0);
    expect(logger.lines.filter((l) => l.includes('released the'))).toHaveLength(1);

    expect(await reserve.restore()).toBe(true);
    expect((await stat(file)).size).toBe(1024 * 1024);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('replaces a reserve of another size (config changed, or cut short by a crash)', async () => {
    await nodeReserveFs.allocate(file, 1000);
    expect(await createDiskReserve({ file, bytes: 4096 }).restore()).toBe(true);
    expect((await stat(file)).size).toBe(4096);
  });

  it('with 0 bytes configured, keeps no file and waits for nothing', async () => {
    const reserve = createDiskReserve({ file, bytes: 0 });
    expect(await reserve.restore()).toBe(true);
    expect(await reserve.release()).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe('disk reserve decisions on free space (statfs injected)', () => {
  it('is re-created only when the disk has room for it twice, and never rejects', async () => {
    let free = 100;
    const fs: ReserveFs = { ...nodeReserveFs, freeBytes: async () => free };
    const logger = recordingLogger();
    const reserve = createDiskReserve({ file, bytes: 64 * 1024, fs, logger });
    expect(await reserve.restore()).toBe(false);
    expect(await reserve.restore()).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(logger.lines.filter((l) => l.includes('not in place'))).toHaveLength(1); // said once, not every retry
    free = 128 * 1024 - 1;
    expect(await reserve.restore()).toBe(false);
    free = 128 * 1024;
    expect(await reserve.restore()).toBe(true);
    expect(existsSync(file)).toBe(true);

    const failing = createDiskReserve({ file: path.join(dir, 'other.bin'), bytes: 4096, fs: { ...fs, allocate: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) } });
    expect(await failing.restore()).toBe(false);
  });

  it('recognises disk-full errors as SQLite and the OS give them', async () => {
    const disk = createTinyDisk();
    const db = await disk.openDb(path.join(dir, 'full.db'));
    await db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t (x TEXT)');
    await disk.fill();
    const error = await db.run('INSERT INTO t VALUES (?)', 'x'.repeat(2000)).then(() => null, (e: unknown) => e);
    await db.close();
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isDiskFull(error)).toBe(true);
    expect(isDiskFull(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('SQLITE_IOERR: disk I/O error'), { code: 'SQLITE_IOERR', errno: 10 }))).toBe(false);
    expect(isDiskFull(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });
});

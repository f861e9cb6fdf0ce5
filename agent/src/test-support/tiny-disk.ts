// Test support: a disk that fills up, made of real parts, for the outbox and the agent.
import { nodeReserveFs, type ReserveFs } from '../outbox/disk-reserve';
import { openSqliteDb, type OutboxDb } from '../outbox/outbox-db';

/**
 * The outbox's SQLite file is real, and its page limit (`PRAGMA max_page_count`) stands for the
 * disk's free space: a write that needs a page beyond it fails with SQLite's own SQLITE_FULL. The
 * disk reserve is a real file (node:fs); creating it takes its size out of the limit, deleting it
 * gives the size back, and `freeBytes` reports what is left, as statfs would on a real disk.
 *
 * Pages are 512 bytes, so health and cashier report rows (larger than a page) always need new
 * pages and cannot slip into room left over in a page.
 *
 * With no free page left at all, every change (INSERT, UPDATE, DELETE) fails with SQLITE_FULL
 * too, as on a real full disk in WAL mode, where even a delete must append to the -wal file. This
 * one rule is emulated (SQLite's page limit lets a delete through); the error has sqlite3's shape.
 *
 * Use: `openOutbox({ file, openDb: disk.openDb, reserve: createDiskReserve({ file: reserveFile,
 * bytes, fs: disk.reserveFs }) })`, then `disk.fill()` (disk full), `disk.free(bytes)` (space back).
 */
export interface TinyDisk {
  openDb(file: string): Promise<OutboxDb>;
  reserveFs: ReserveFs;
  /** No free page left: the next write that needs a page fails with SQLITE_FULL. */
  fill(): Promise<void>;
  /** Gives `bytes` of free space back (rounded down to pages). */
  free(bytes: number): Promise<void>;
  freeBytes(): Promise<number>;
}

export const TINY_DISK_PAGE = 512;
const UNLIMITED = 1 << 30;

export function createTinyDisk(): TinyDisk {
  /** Pages the database and the reserve may take together. */
  let capacity = UNLIMITED;
  let reservePages = 0;
  const open = new Set<OutboxDb>();

  async function dbPages(): Promise<number> {
    let pages = 0;
    for (const db of open) pages = Math.max(pages, (await db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0);
    return pages;
  }
  async function apply(): Promise<void> {
    for (const db of open) await db.exec(`PRAGMA max_page_count = ${capacity - reservePages}`);
  }
  async function freePages(): Promise<number> {
    return capacity - reservePages - (await dbPages());
  }

  return {
    async openDb(file) {
      const real = await openSqliteDb(file);
      await real.exec(`PRAGMA page_size = ${TINY_DISK_PAGE}`); // takes effect on a new file only
      const db: OutboxDb = {
        ...real,
        run: async (sql, ...params) => {
          if (capacity !== UNLIMITED && /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql) && (await freePages()) <= 0) {
            throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { errno: 13, code: 'SQLITE_FULL' });
          }
          return real.run(sql, ...params);
        },
        close: async () => {
          open.delete(db);
          await real.close();
        },
      };
      open.add(db);
      await apply();
      return db;
    },
    reserveFs: {
      freeBytes: async () => (await freePages()) * TINY_DISK_PAGE,
      size: (file) => nodeReserveFs.size(file),
      async allocate(file, bytes) {
        const pages = Math.ceil(bytes / TINY_DISK_PAGE);
        if ((await freePages()) < pages) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC' });
        await nodeReserveFs.allocate(file, bytes);
        reservePages = pages;
        await apply();
      },
      async remove(file) {
        await nodeReserveFs.remove(file);
        reservePages = 0;
        await apply();
      },
    },
    async fill() {
      capacity = (await dbPages()) + reservePages;
      await apply();
    },
    async free(bytes) {
      capacity += Math.floor(bytes / TINY_DISK_PAGE);
      await apply();
    },
    freeBytes: async () => (await freePages()) * TINY_DISK_PAGE,
  };
}

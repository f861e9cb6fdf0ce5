// Runs in a piscina worker thread (see password-pool.ts). Plain JavaScript on node:crypto only, so it
// loads the same way under tsx, vitest and plain node, with no TypeScript loader in the worker.
// scryptSync on purpose: the async scrypt would queue on libuv's thread pool, which the whole
// process shares (sqlite3 included), the very thing this worker exists to keep free.
import { scryptSync } from 'node:crypto';
import { setPriority } from 'node:os';

// On Linux a nice value belongs to a thread, so this lowers the priority of this hashing thread
// alone: when CPU is short (a login flood on a 2-core server), the console's main thread (agent
// ingest, engineers' reads) runs first and logins wait, or are refused with `busy`. Elsewhere
// setPriority(0, …) would lower the whole process, so it is left alone there.
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // not permitted in this container: hashing keeps the normal priority
  }
}

/** @param {{ password: string, salt: Uint8Array, keyLength: number, N: number, r: number, p: number, maxmem: number }} job */
export default function deriveKey({ password, salt, keyLength, N, r, p, maxmem }) {
  return scryptSync(password, salt, keyLength, { N, r, p, maxmem });
}

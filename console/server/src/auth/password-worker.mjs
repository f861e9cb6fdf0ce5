// Runs in a piscina worker thread (see password-pool.ts). Plain JavaScript on node:crypto only, so it
// loads the same way under tsx, vitest and plain node, with no TypeScript loader in the worker.
// scryptSync on purpose: the async scrypt would queue on libuv's thread pool, which the whole
// process shares (sqlite3 included), the very thing this worker exists to keep free.
import { scryptSync } from 'node:crypto';

/** @param {{ password: string, salt: Uint8Array, keyLength: number, N: number, r: number, p: number, maxmem: number }} job */
export default function deriveKey({ password, salt, keyLength, N, r, p, maxmem }) {
  return scryptSync(password, salt, keyLength, { N, r, p, maxmem });
}

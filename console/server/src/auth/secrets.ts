import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

/** A random secret for tokens, sessions and credentials: 32 bytes, base64url. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * sha256 of a high-entropy secret. Right for random tokens (nothing to brute-force);
 * passwords use scrypt instead (see passwords.ts).
 */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of the same algorithm. */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

export interface KeyFileSystem {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer, options: { flag: 'wx'; mode: number }): Promise<void>;
}

/**
 * A server-side secret key kept in a file (0600), created with `bytes` random bytes on first use,
 * so what it signs (device cookies) survives a restart. Delete the file to rotate the key.
 */
export async function loadOrCreateKeyFile(path: string, bytes = 32, fs: KeyFileSystem = { readFile, writeFile }, random = randomBytes): Promise<Buffer> {
  try {
    const key = await fs.readFile(path);
    if (key.length >= bytes) return key;
    throw new Error(`key file ${path} is shorter than ${bytes} bytes; delete it to create a new key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = random(bytes);
  try {
    await fs.writeFile(path, key, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFile(path);
    throw error;
  }
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeriveKey } from './password-pool';

// 2^15 is OWASP's scrypt floor for interactive logins; maxmem must cover 128 * N * r bytes.
const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * Password hashes in the form `scrypt$N$r$p$<salt b64>$<key b64>`: parameters travel with the hash
 * so they can be raised later. The key derivation itself is given (PasswordPool.derive: a bounded
 * worker pool), so hashing never runs on the thread pool sqlite3 needs.
 */
export class PasswordHasher {
  constructor(
    private readonly deriveKey: DeriveKey,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {}

  async hash(password: string): Promise<string> {
    const salt = this.random(16);
    const key = await this.derive(password, salt, SCRYPT_PARAMS);
    const { N, r, p } = SCRYPT_PARAMS;
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
    const salt = Buffer.from(parts[4]!, 'base64');
    const expected = Buffer.from(parts[5]!, 'base64');
    const actual = await this.derive(password, salt, { N, r, p });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /**
   * A well-formed hash of nothing (random salt and key) with today's parameters: verifying any
   * password against it costs exactly what a real check costs and always fails. Used for unknown
   * usernames, so a miss takes as long as a wrong password.
   */
  decoyHash(): string {
    const { N, r, p } = SCRYPT_PARAMS;
    return ['scrypt', N, r, p, this.random(16).toString('base64'), this.random(KEY_LENGTH).toString('base64')].join('$');
  }

  private derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
    return this.deriveKey({ password: password.normalize('NFC'), salt, keyLength: KEY_LENGTH, ...params, maxmem: 256 * params.N * params.r });
  }
}

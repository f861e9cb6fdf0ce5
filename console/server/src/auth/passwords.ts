import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeriveKey } from './password-pool';

// 2^15 is OWASP's scrypt floor for interactive logins; maxmem must cover 128 * N * r bytes.
export const DEFAULT_SCRYPT_COST = 2 ** 15;
/**
 * The lowest cost a console accepts. Only tests go below the default (a test console creates two
 * users and logs one in; at 2^15 that was 0.6 s of every server test): verify reads N from the
 * stored hash, so hashes made at either cost keep working.
 */
export const MIN_SCRYPT_COST = 2 ** 10;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;

/**
 * Password hashes in the form `scrypt$N$r$p$<salt b64>$<key b64>`: parameters travel with the hash
 * so they can be raised later. The key derivation itself is given (PasswordPool.derive: a bounded
 * worker pool), so hashing never runs on the thread pool sqlite3 needs.
 */
export class PasswordHasher {
  private readonly params: { N: number; r: number; p: number };

  /** `cost` is scrypt's N for new hashes (a power of two, at least MIN_SCRYPT_COST). */
  constructor(
    private readonly deriveKey: DeriveKey,
    cost: number = DEFAULT_SCRYPT_COST,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {
    assertScryptCost(cost);
    this.params = { N: cost, r: BLOCK_SIZE, p: PARALLELISM };
  }

  async hash(password: string): Promise<string> {
    const salt = this.random(16);
    const key = await this.derive(password, salt, this.params);
    const { N, r, p } = this.params;
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
    const { N, r, p } = this.params;
    return ['scrypt', N, r, p, this.random(16).toString('base64'), this.random(KEY_LENGTH).toString('base64')].join('$');
  }

  private derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
    return this.deriveKey({ password: password.normalize('NFC'), salt, keyLength: KEY_LENGTH, ...params, maxmem: 256 * params.N * params.r });
  }
}

/** Throws unless `cost` is a power of two from MIN_SCRYPT_COST to 2^20 (1 GiB at r = 8). */
export function assertScryptCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < MIN_SCRYPT_COST || cost > 2 ** 20 || (cost & (cost - 1)) !== 0) {
    throw new Error(`scrypt cost must be a power of two from ${MIN_SCRYPT_COST} to ${2 ** 20}, got ${cost}`);
  }
}

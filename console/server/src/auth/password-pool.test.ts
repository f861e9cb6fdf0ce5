import { scryptSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from './passwords';
import { PasswordHashingBusyError, PasswordPool } from './password-pool';

let pool: PasswordPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const job = (password: string) => ({ password, salt: Buffer.alloc(16, 7), keyLength: 32, N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

describe('PasswordPool (real worker threads)', () => {
  it('derives the same key as node:crypto in its worker', async () => {
    pool = PasswordPool.create();
    const key = await pool.derive(job('пароль-1'));
    expect(key.equals(scryptSync('пароль-1', Buffer.alloc(16, 7), 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }))).toBe(true);
  });

  it('admits threads + maxQueue derivations and refuses the rest at once with busy', async () => {
    pool = PasswordPool.create({ threads: 1, maxQueue: 2, retryAfterSec: 3 });
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => pool!.derive(job(`p-${i}`))));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'rejected']);
    const refusal = (results[3] as PromiseRejectedResult).reason as PasswordHashingBusyError;
    expect(refusal).toBeInstanceOf(PasswordHashingBusyError);
    expect({ code: refusal.code, retryAfterSec: refusal.retryAfterSec }).toEqual({ code: 'busy', retryAfterSec: 3 });
    expect(pool.stats()).toEqual({ inFlight: 0, capacity: 3, derived: 3, refused: 4 });
    // Room again once they finished.
    await expect(pool.derive(job('later'))).resolves.toHaveLength(32);
  });

  it('reserves room before any other work: a full pool refuses synchronously; release frees the room', async () => {
    pool = PasswordPool.create({ threads: 1, maxQueue: 1 });
    const first = pool.reserve();
    const second = pool.reserve();
    expect(() => pool!.reserve()).toThrow(PasswordHashingBusyError);
    first.release();
    first.release(); // idempotent: frees one place only
    const third = pool.reserve();
    expect(() => pool!.reserve()).toThrow(PasswordHashingBusyError);
    await expect(first.derive(job('too late'))).rejects.toThrow(/derives once/);
    await expect(second.derive(job('ok'))).resolves.toHaveLength(32);
    third.release();
    expect(pool.stats()).toMatchObject({ inFlight: 0, derived: 1, refused: 2 });
  });

  it('hashes and verifies through the pool; a decoy hash costs a derivation and never matches', async () => {
    pool = PasswordPool.create();
    const hasher = new PasswordHasher(pool.derive);
    const stored = await hasher.hash('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await hasher.verify('correct horse', stored)).toBe(true);
    expect(await hasher.verify('wrong horse', stored)).toBe(false);
    expect(await hasher.verify('correct horse', hasher.decoyHash())).toBe(false);
    expect(await hasher.verify('x', 'not-a-hash')).toBe(false);
    expect(pool.stats().derived).toBe(4);
  });

  it('hashes new passwords at the configured cost and still verifies hashes made at another', async () => {
    pool = PasswordPool.create({ scryptCost: 2 ** 10 });
    const cheap = new PasswordHasher(pool.derive, pool.scryptCost);
    const strong = new PasswordHasher(pool.derive);
    const cheapHash = await cheap.hash('пароль');
    expect(cheapHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(cheap.decoyHash()).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await strong.verify('пароль', cheapHash)).toBe(true);
    expect(await cheap.verify('пароль', await strong.hash('пароль'))).toBe(true);
    for (const cost of [2 ** 9, 3000, 2 ** 21, 1.5]) {
      expect(() => PasswordPool.create({ scryptCost: cost })).toThrow(/power of two from 1024/);
      expect(() => new PasswordHasher(pool!.derive, cost)).toThrow(/power of two from 1024/);
    }
  });

  it('rejects nonsense sizes', () => {
    expect(() => PasswordPool.create({ threads: 0 })).toThrow(/threads/);
    expect(() => PasswordPool.create({ maxQueue: -1 })).toThrow(/queue/);
  });
});

import { Piscina } from 'piscina';
import { assertScryptCost, DEFAULT_SCRYPT_COST } from './passwords';

/** One scrypt derivation, as the worker (password-worker.mjs) receives it. */
export interface ScryptJob {
  password: string;
  salt: Uint8Array;
  keyLength: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

export type DeriveKey = (job: ScryptJob) => Promise<Buffer>;

/**
 * The hashing pool is full: the attempt was not run. Stable code `busy`; the HTTP layer answers
 * 503 with Retry-After.
 */
export class PasswordHashingBusyError extends Error {
  readonly code = 'busy' as const;
  constructor(readonly retryAfterSec: number) {
    super(`password hashing is busy; try again in ${retryAfterSec} s`);
    this.name = 'PasswordHashingBusyError';
  }
}

/** Room for one derivation in the pool; freed when its derivation ends or on release(), whichever is first. */
export interface DerivationSlot {
  /** Runs the one derivation this slot is for. */
  derive: DeriveKey;
  /** Frees the slot without deriving (idempotent). */
  release(): void;
}

export interface PasswordPoolOptions {
  /** Worker threads that run scrypt (default 1: hashing never takes more than one core). */
  threads?: number;
  /** Derivations that may wait for a thread; the next one is refused with `busy` (default 32). */
  maxQueue?: number;
  /** Seconds a refused caller is told to wait (default 2). */
  retryAfterSec?: number;
  /**
   * scrypt's N for new password hashes (default 2^15, OWASP's floor; see passwords.ts). Tests lower
   * it; the command line offers no way to.
   */
  scryptCost?: number;
}

export interface PasswordPoolStats {
  /** Derivations admitted and not yet finished (running or waiting for a thread). */
  inFlight: number;
  /** threads + maxQueue: the most that are ever admitted at once. */
  capacity: number;
  /** Derivations finished since start. */
  derived: number;
  /** Derivations refused with `busy` since start. */
  refused: number;
}

/**
 * Password hashing off libuv's thread pool. scrypt through `crypto.scrypt` runs on the libuv pool
 * that sqlite3 and fs share, so a login flood stalled every query; here it runs in its own worker
 * threads, and at most `threads + maxQueue` derivations are admitted at once: the rest are refused
 * at once (PasswordHashingBusyError), so memory and waiting stay bounded whatever the traffic.
 */
export class PasswordPool {
  private inFlight = 0;
  private derived = 0;
  private refused = 0;

  private constructor(
    private readonly piscina: Piscina,
    /** threads + maxQueue */
    private readonly capacity: number,
    private readonly retryAfterSec: number,
    /** scrypt's N for new hashes */
    readonly scryptCost: number,
  ) {}

  static create({ threads = 1, maxQueue = 32, retryAfterSec = 2, scryptCost = DEFAULT_SCRYPT_COST }: PasswordPoolOptions = {}): PasswordPool {
    assertScryptCost(scryptCost);
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`password hashing threads must be a positive integer, got ${threads}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new Error(`password hashing queue must be a non-negative integer, got ${maxQueue}`);
    const piscina = new Piscina({
      filename: new URL('./password-worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      // Our own admission below is the bound; piscina's queue is only a backstop.
      maxQueue: maxQueue + threads,
      idleTimeout: 60_000,
    });
    return new PasswordPool(piscina, threads + maxQueue, retryAfterSec, scryptCost);
  }

  /**
   * Takes room for one derivation now, or throws PasswordHashingBusyError at once when full. Take it
   * before any other work of the request (a login's user lookup): a refused attempt then costs
   * nothing, not even a query, which a flood of them would otherwise pile onto the database.
   */
  reserve(): DerivationSlot {
    if (this.inFlight >= this.capacity) {
      this.refused += 1;
      throw new PasswordHashingBusyError(this.retryAfterSec);
    }
    this.inFlight += 1;
    let held = true;
    const release = () => {
      if (held) this.inFlight -= 1;
      held = false;
    };
    let used = false;
    return {
      release,
      derive: async (job) => {
        if (used || !held) throw new Error('a derivation slot derives once, before its release');
        used = true;
        try {
          const key = (await this.piscina.run(job)) as Uint8Array;
          this.derived += 1;
          return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
        } finally {
          release();
        }
      },
    };
  }

  /** Derives a key in a worker; rejects with PasswordHashingBusyError (having done nothing) when full. */
  readonly derive: DeriveKey = async (job) => this.reserve().derive(job);

  stats(): PasswordPoolStats {
    return { inFlight: this.inFlight, capacity: this.capacity, derived: this.derived, refused: this.refused };
  }

  /** Waits for running derivations and stops the threads. */
  async close(): Promise<void> {
    await this.piscina.close();
  }
}

import { CreateUserRequest, Me } from '@tillscope/shared';
import type { ConsoleDatabase } from '../db/console-database';
import { UserRow } from '../db/rows';
import { HttpError } from '../http/http-error';
import { requireActiveGroup } from '../routing/groups';
import type { PasswordPool } from './password-pool';
import { PasswordHasher } from './passwords';
import { randomSecret, sha256Hex } from './secrets';

export interface SessionUser extends Me {
  userId: number;
}

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function toSessionUser(row: UserRow): SessionUser {
  return { userId: row.id, username: row.username, displayName: row.display_name, role: row.role, groups: row.groups_json };
}

/** Engineers and admins, their password hashes and their login sessions. */
export class UserStore {
  // Verified against when the username is unknown, so a miss costs as long as a wrong password
  // and goes through the same bounded hashing pool (refused with `busy` just the same).
  private readonly decoyHash: string;

  private readonly passwords: PasswordHasher;

  constructor(
    private readonly db: ConsoleDatabase,
    private readonly now: () => Date,
    private readonly hashing: PasswordPool,
  ) {
    this.passwords = new PasswordHasher(hashing.derive, hashing.scryptCost);
    this.decoyHash = this.passwords.decoyHash();
  }

  async createUser(input: CreateUserRequest): Promise<Me> {
    const user = CreateUserRequest.parse(input);
    const passwordHash = await this.passwords.hash(user.password);
    await this.db.write(async (sql) => {
      const existing = await sql.get('SELECT id FROM users WHERE username = ?', user.username);
      if (existing) throw new HttpError(409, 'conflict', `user ${user.username} exists`);
      for (const group of user.groups) await requireActiveGroup(sql, group); // UnknownGroup, ArchivedGroup
      await sql.run(
        'INSERT INTO users (username, display_name, role, groups_json, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        user.username, user.displayName, user.role, JSON.stringify(user.groups), passwordHash, this.now().toISOString(),
      );
    });
    return { username: user.username, displayName: user.displayName, role: user.role, groups: user.groups };
  }

  /**
   * The user when the password matches, otherwise undefined. Takes the same time for unknown names.
   * Throws PasswordHashingBusyError when the hashing pool is full (nothing was checked).
   */
  async checkPassword(username: string, password: string): Promise<SessionUser | undefined> {
    const slot = this.hashing.reserve(); // busy before the lookup: a shed attempt costs no query
    try {
      const passwords = new PasswordHasher(slot.derive, this.hashing.scryptCost);
      const raw = await this.db.sql.get('SELECT * FROM users WHERE username = ?', username);
      if (!raw) {
        await passwords.verify(password, this.decoyHash);
        return undefined;
      }
      const row = UserRow.parse(raw);
      return (await passwords.verify(password, row.password_hash)) ? toSessionUser(row) : undefined;
    } finally {
      slot.release();
    }
  }

  /** Starts a session; returns the raw token for the cookie (only its hash is stored). */
  async startSession(userId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomSecret();
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + SESSION_TTL_MS);
    await this.db.write(async (sql) => {
      await sql.run('DELETE FROM sessions WHERE expires_at <= ?', createdAt.toISOString());
      await sql.run(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        sha256Hex(token), userId, createdAt.toISOString(), expiresAt.toISOString(),
      );
    });
    return { token, expiresAt };
  }

  async userForSession(token: string | undefined): Promise<SessionUser | undefined> {
    if (!token || token.length > 200) return undefined;
    // Looked up by the hash itself: an index probe on a sha256 leaks nothing useful about the token.
    const raw = await this.db.sql.get(
      'SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ? AND sessions.expires_at > ?',
      sha256Hex(token), this.now().toISOString(),
    );
    return raw ? toSessionUser(UserRow.parse(raw)) : undefined;
  }

  async endSession(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.db.write((sql) => sql.run('DELETE FROM sessions WHERE token_hash = ?', sha256Hex(token)));
  }
}

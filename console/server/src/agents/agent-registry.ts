import { randomBytes } from 'node:crypto';
import type { CreateEnrollmentTokenRequest, EnrollmentTokenCreated, EnrollRequest, EnrollResponse, HelloPayload } from '@tillscope/shared';
import type { z } from 'zod';
import { digestsEqual, randomSecret, sha256Hex } from '../auth/secrets';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { AgentRow } from '../db/rows';
import { HttpError } from '../http/http-error';

/** A parsed `CreateEnrollmentTokenRequest` (defaults applied). */
export type NewEnrollmentToken = z.output<typeof CreateEnrollmentTokenRequest>;

/**
 * Enrollment and credentials of register agents. An agent is identified by (store, register);
 * its credential is `<agentId>.<secret>` and only the sha256 of the whole string is stored.
 */
export class AgentRegistry {
  constructor(
    private readonly db: ConsoleDatabase,
    private readonly now: () => Date,
  ) {}

  async createEnrollmentToken(input: NewEnrollmentToken, createdByUserId: number | null): Promise<EnrollmentTokenCreated> {
    const token = `tse_${randomSecret(24)}`;
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + input.ttlHours * 3_600_000).toISOString();
    await this.db.write((sql) =>
      sql.run(
        'INSERT INTO enrollment_tokens (token_hash, note, max_uses, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        sha256Hex(token), input.note, input.maxUses, expiresAt, createdByUserId, createdAt.toISOString(),
      ),
    );
    return { token, expiresAt, maxUses: input.maxUses };
  }

  /**
   * Spends one use of the token and issues a fresh credential. Enrolling an existing
   * (store, register) again keeps its agent id and replaces the old credential, which stops working.
   */
  async enroll(request: z.output<typeof EnrollRequest>): Promise<EnrollResponse & { replacedExisting: boolean }> {
    return this.db.write(async (sql) => {
      const nowIso = this.now().toISOString();
      const token = await sql.get<{ id: number; uses: number; max_uses: number; expires_at: string }>(
        'SELECT id, uses, max_uses, expires_at FROM enrollment_tokens WHERE token_hash = ?',
        sha256Hex(request.token),
      );
      if (!token || token.uses >= token.max_uses || token.expires_at <= nowIso) {
        throw new HttpError(401, 'token_invalid', 'enrollment token is unknown, used up or expired');
      }
      await sql.run('UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?', token.id);

      const existing = await sql.get<{ id: string }>(
        'SELECT id FROM agents WHERE store_id = ? AND register_id = ?',
        request.storeId, request.registerId,
      );
      const agentId = existing?.id ?? `agt_${randomBytes(9).toString('hex')}`;
      // base64url has no '.', so the first '.' always separates the id from the secret.
      const credential = `${agentId}.${randomSecret(32)}`;
      if (existing) {
        await sql.run('UPDATE agents SET credential_hash = ?, hostname = ? WHERE id = ?', sha256Hex(credential), request.hostname, agentId);
      } else {
        await sql.run(
          'INSERT INTO agents (id, store_id, register_id, hostname, credential_hash, enrolled_at, disconnected_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          agentId, request.storeId, request.registerId, request.hostname, sha256Hex(credential), nowIso, nowIso,
        );
      }
      // The store's calendar row, with the defaults (Moscow time, 08:00–22:00, the chain's holidays) until an admin sets it.
      await sql.run('INSERT OR IGNORE INTO stores (id) VALUES (?)', request.storeId);
      return { agentId, credential, replacedExisting: existing !== undefined };
    });
  }

  /** The agent a bearer credential belongs to, or undefined. Constant-time on the secret. */
  async authenticate(credential: string): Promise<AgentRow | undefined> {
    const dot = credential.indexOf('.');
    if (dot <= 0 || credential.length > 200) return undefined;
    const agent = await this.find(credential.slice(0, dot));
    return agent && digestsEqual(sha256Hex(credential), agent.credential_hash) ? agent : undefined;
  }

  async find(agentId: string): Promise<AgentRow | undefined> {
    const raw = await this.db.sql.get('SELECT * FROM agents WHERE id = ?', agentId);
    return raw ? AgentRow.parse(raw) : undefined;
  }

  /**
   * After a restart no agent is connected to this process. The offline clock starts now, not at
   * the agent's last message: the server being down is not the register's fault.
   */
  async markAllDisconnectedAtStartup(): Promise<void> {
    const nowIso = this.now().toISOString();
    await this.db.write((sql) => sql.run('UPDATE agents SET connected = 0, disconnected_at = ? WHERE connected = 1', nowIso));
  }

  /** The agent's self-description; last_seen_at is kept by the ingest batcher, as for every message. */
  async applyHello(sql: SqlConnection, agentId: string, hello: z.output<typeof HelloPayload>): Promise<void> {
    await sql.run(
      'UPDATE agents SET hostname = ?, agent_version = ?, os_platform = ?, os_release = ? WHERE id = ?',
      hello.os.hostname, hello.agentVersion, hello.os.platform, hello.os.release, agentId,
    );
    for (const item of hello.inventory) {
      await sql.run(
        `INSERT INTO devices (agent_id, device_id, kind, driver, transport, target) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, device_id) DO UPDATE SET kind = excluded.kind, driver = excluded.driver,
           transport = excluded.transport, target = excluded.target`,
        agentId, item.deviceId, item.kind, item.driver, item.transport, item.target,
      );
    }
  }
}

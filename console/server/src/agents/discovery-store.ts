// Each register's latest discovery (agent/src/discovery/): written when the agent's answer to a
// "discover" command is applied, read by GET /api/registers/:agentId/discovery. The result was
// parsed by the shared schema on ingest and is parsed again when read back from the file.
import { DiscoveryResult, RegisterDiscovery } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';

const LatestRow = z.object({ command_id: z.string(), requested_by: z.string().nullable(), received_at: z.string(), result_json: z.string() });
const PendingRow = z.object({ id: z.string(), requested_by: z.string(), requested_at: z.string() });
const FailedRow = z.object({ id: z.string(), result_code: z.string(), completed_at: z.string() });

/** Replaces the register's latest discovery; inside the transaction that applies the command result. */
export async function saveDiscovery(sql: SqlConnection, agentId: string, commandId: string, receivedAt: string, result: DiscoveryResult): Promise<void> {
  const requestedBy = (await sql.get<{ requested_by: string }>('SELECT requested_by FROM commands WHERE id = ?', commandId))?.requested_by ?? null;
  await sql.run(
    `INSERT INTO register_discoveries (agent_id, command_id, requested_by, received_at, result_json) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (agent_id) DO UPDATE SET command_id = excluded.command_id, requested_by = excluded.requested_by,
       received_at = excluded.received_at, result_json = excluded.result_json`,
    agentId, commandId, requestedBy, receivedAt, JSON.stringify(result),
  );
}

/** A request older than this without an answer is no longer shown as pending (the register went away) [I]. */
export const DISCOVERY_PENDING_MS = 5 * 60_000;

/** The latest discovery and the newest unanswered recent request; both null for a register never asked. */
export async function readDiscovery(sql: SqlConnection, agentId: string, now: Date): Promise<RegisterDiscovery> {
  const latestRow = await sql.get('SELECT command_id, requested_by, received_at, result_json FROM register_discoveries WHERE agent_id = ?', agentId);
  const pendingRow = await sql.get(
    "SELECT id, requested_by, requested_at FROM commands WHERE agent_id = ? AND verb = 'discover' AND completed_at IS NULL AND requested_at > ? ORDER BY requested_at DESC LIMIT 1",
    agentId, new Date(now.getTime() - DISCOVERY_PENDING_MS).toISOString(),
  );
  const latest = latestRow === undefined ? null : LatestRow.parse(latestRow);
  const pending = pendingRow === undefined ? null : PendingRow.parse(pendingRow);
  const failedRow = await sql.get(
    "SELECT id, result_code, completed_at FROM commands WHERE agent_id = ? AND verb = 'discover' AND completed_at IS NOT NULL AND result_code <> 'ok' AND completed_at > ? ORDER BY completed_at DESC LIMIT 1",
    agentId, latest?.received_at ?? '',
  );
  const failed = failedRow === undefined ? null : FailedRow.parse(failedRow);
  return RegisterDiscovery.parse({
    agentId,
    latest: latest && {
      commandId: latest.command_id,
      requestedBy: latest.requested_by,
      receivedAt: latest.received_at,
      result: DiscoveryResult.parse(JSON.parse(latest.result_json)),
    },
    pending: pending && { commandId: pending.id, requestedBy: pending.requested_by, requestedAt: pending.requested_at },
    failed: failed && { commandId: failed.id, code: failed.result_code, completedAt: failed.completed_at },
  });
}

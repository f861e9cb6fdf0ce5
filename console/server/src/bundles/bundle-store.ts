// Diagnostics bundles in SQLite (migration 009): the upload as received, its summary, and what a
// ticket shows of its bundles (host-api.ts TicketBundles).
import { RedactionKind, type BundleSummary, type DiagnosticsBundle, type StoredBundle, type TicketBundles } from '@tillscope/shared';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';

/** A collect_bundle command not answered within this is no longer shown as pending (the register went away). */
export const BUNDLE_PENDING_MS = 10 * 60_000;

export interface BundleUpload {
  agentId: string;
  commandId: string;
  ticketId: number | null;
  requestedBy: string | null;
  bundle: DiagnosticsBundle;
  /** the gzipped body as received */
  gzipped: Buffer;
  receivedAt: string;
}

/** Stores an upload; returns its id. The command's UNIQUE constraint refuses a second upload for it. */
export async function saveBundle(sql: SqlConnection, upload: BundleUpload): Promise<string> {
  const id = `bnd-${randomUUID()}`;
  await sql.run(
    `INSERT INTO bundles (id, agent_id, command_id, ticket_id, requested_by, created_at, received_at, size_bytes, sha256, redactions_json, truncated_json, content)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, upload.agentId, upload.commandId, upload.ticketId, upload.requestedBy, upload.bundle.createdAt, upload.receivedAt,
    upload.gzipped.length, createHash('sha256').update(upload.gzipped).digest('hex'),
    JSON.stringify(upload.bundle.redactions), JSON.stringify(upload.bundle.truncated), upload.gzipped,
  );
  return id;
}

const Row = z.object({
  id: z.string(),
  agent_id: z.string(),
  ticket_id: z.number().nullable(),
  requested_by: z.string().nullable(),
  created_at: z.string(),
  received_at: z.string(),
  size_bytes: z.number(),
  sha256: z.string(),
  redactions_json: z.string(),
  truncated_json: z.string(),
});
const SUMMARY_COLUMNS = 'id, agent_id, ticket_id, requested_by, created_at, received_at, size_bytes, sha256, redactions_json, truncated_json';

function storedBundle(raw: unknown): StoredBundle {
  const row = Row.parse(raw);
  return {
    bundleId: row.id,
    agentId: row.agent_id,
    ticketId: row.ticket_id,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    redactions: z.record(RedactionKind, z.number()).parse(JSON.parse(row.redactions_json)),
    truncated: z.array(z.string()).parse(JSON.parse(row.truncated_json)),
  };
}

/** The bundle uploaded for a command, if any (the command's answer names it). */
export async function bundleOfCommand(sql: SqlConnection, agentId: string, commandId: string): Promise<StoredBundle | undefined> {
  const raw = await sql.get(`SELECT ${SUMMARY_COLUMNS} FROM bundles WHERE command_id = ? AND agent_id = ?`, commandId, agentId);
  return raw ? storedBundle(raw) : undefined;
}

/** A bundle's summary and where it came from, with its gzipped content. */
export async function bundleContent(sql: SqlConnection, bundleId: string): Promise<{ bundle: StoredBundle; storeId: string; registerId: string; gzipped: Buffer } | undefined> {
  const raw = await sql.get<Record<string, unknown>>(
    `SELECT ${SUMMARY_COLUMNS.split(', ').map((c) => `b.${c}`).join(', ')}, b.content, a.store_id, a.register_id FROM bundles b JOIN agents a ON a.id = b.agent_id WHERE b.id = ?`,
    bundleId,
  );
  if (!raw) return undefined;
  return { bundle: storedBundle(raw), storeId: String(raw.store_id), registerId: String(raw.register_id), gzipped: Buffer.from(raw.content as Uint8Array) };
}

/** What a ticket shows: its bundles newest first, a request still waiting, the newest failure. */
export async function ticketBundles(sql: SqlConnection, ticketId: number, now: Date): Promise<TicketBundles> {
  const rows = await sql.all<unknown[]>(`SELECT ${SUMMARY_COLUMNS} FROM bundles WHERE ticket_id = ? ORDER BY received_at DESC, id`, ticketId);
  const bundles = rows.map(storedBundle);
  const pending = await sql.get<{ id: string; requested_by: string; requested_at: string }>(
    `SELECT c.id, c.requested_by, c.requested_at FROM commands c
     WHERE c.ticket_id = ? AND c.verb = 'collect_bundle' AND c.completed_at IS NULL AND c.requested_at > ?
       AND NOT EXISTS (SELECT 1 FROM bundles b WHERE b.command_id = c.id)
     ORDER BY c.requested_at DESC LIMIT 1`,
    ticketId, new Date(now.getTime() - BUNDLE_PENDING_MS).toISOString(),
  );
  const failed = await sql.get<{ id: string; result_code: string; result_message: string | null; completed_at: string }>(
    `SELECT id, result_code, result_message, completed_at FROM commands
     WHERE ticket_id = ? AND verb = 'collect_bundle' AND completed_at IS NOT NULL AND result_code <> 'ok'
     ORDER BY completed_at DESC LIMIT 1`,
    ticketId,
  );
  const newest = bundles[0]?.receivedAt;
  return {
    bundles,
    pending: pending ? { commandId: pending.id, requestedBy: pending.requested_by, requestedAt: pending.requested_at } : null,
    failed: failed && (!newest || failed.completed_at > newest)
      ? { commandId: failed.id, code: failed.result_code, message: failed.result_message ?? '', completedAt: failed.completed_at }
      : null,
  };
}

/** The timeline text of a command's answer: what varies (the bundle, its size and redactions, or why it failed). */
export function bundleResultText(summary: BundleSummary | undefined, stored: StoredBundle | undefined, failure?: { code: string; message: string }): string {
  if (failure) return `failed: ${failure.code}: ${failure.message}`;
  if (!summary) return 'the agent answered without a bundle';
  if (!stored) return `the agent says it uploaded ${summary.bundleId}, but no such upload arrived for this request`;
  const removed = Object.entries(stored.redactions).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`);
  const cut = stored.truncated.length ? `; cut: ${stored.truncated.join('; ')}` : '';
  return `${stored.bundleId} (${stored.sizeBytes} bytes gzipped; redacted: ${removed.length ? removed.join(', ') : 'nothing'}${cut})`.slice(0, 1000);
}

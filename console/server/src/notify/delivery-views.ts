import { DeliveryStatus, NotifyDelivery, type DeliveryList, type DeliveryListQuery } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';
import { DeliveryConflict } from './notify-errors';

const DeliveryRow = z.object({
  id: z.number().int(),
  channel_id: z.number().int(),
  channel_name: z.string(),
  channel_kind: z.enum(['telegram', 'email', 'webhook']),
  ticket_id: z.number().int(),
  trigger: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  created_at: z.string(),
  next_at: z.string(),
  sent_at: z.string().nullable(),
  last_error: z.string().nullable(),
  quiet: z.number().int(),
});

const CountRow = z.object({ channel_id: z.number().int(), status: DeliveryStatus, count: z.number().int() });

/** The newest deliveries (filtered) and every channel's count by status: what admins watch. */
export async function listDeliveries(sql: SqlConnection, query: DeliveryListQuery): Promise<DeliveryList> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    where.push('d.status = ?');
    params.push(query.status);
  }
  if (query.channelId) {
    where.push('d.channel_id = ?');
    params.push(query.channelId);
  }
  const rows = parseRows(DeliveryRow, await sql.all(
    `SELECT d.id, d.channel_id, c.name AS channel_name, c.kind AS channel_kind, d.ticket_id, d.trigger, d.status, d.attempts,
            d.created_at, d.next_at, d.sent_at, d.last_error, d.quiet
       FROM notify_deliveries d JOIN notify_channels c ON c.id = d.channel_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`, ...params, query.limit,
  ));
  const counts = parseRows(CountRow, await sql.all('SELECT channel_id, status, COUNT(*) AS count FROM notify_deliveries GROUP BY channel_id, status ORDER BY channel_id, status'));
  return {
    deliveries: rows.map((row) => NotifyDelivery.parse({
      id: row.id, channelId: row.channel_id, channelName: row.channel_name, channelKind: row.channel_kind, ticketId: row.ticket_id,
      trigger: row.trigger, status: row.status, attempts: row.attempts, createdAt: row.created_at, nextAt: row.next_at,
      sentAt: row.sent_at, lastError: row.last_error, quiet: row.quiet === 1,
    })),
    counts: counts.map((row) => ({ channelId: row.channel_id, status: row.status, count: row.count })),
  };
}

/** Puts a failed or skipped delivery back in the queue, due now, with a fresh set of tries (an admin fixed the channel). */
export async function retryDelivery(sql: SqlConnection, id: number, at: string): Promise<void> {
  const row = await sql.get<{ status: string }>('SELECT status FROM notify_deliveries WHERE id = ?', id);
  if (!row) throw new NotFound('delivery', id);
  if (row.status !== 'failed' && row.status !== 'skipped') throw new DeliveryConflict(id, `delivery ${id} is ${row.status}; only a failed or skipped one is retried`);
  await sql.run("UPDATE notify_deliveries SET status = 'pending', attempts = 0, next_at = ?, quiet = 0 WHERE id = ?", at, id);
}

/**
 * Forgets finished deliveries (sent, failed, skipped) created before `before`; pending ones stay
 * whatever their age. The delivery status admins see is history, not a log kept forever.
 */
export async function pruneDeliveries(sql: SqlConnection, before: string): Promise<number> {
  const { changes } = await sql.run("DELETE FROM notify_deliveries WHERE status IN ('sent', 'failed', 'skipped') AND created_at < ?", before);
  return changes ?? 0;
}

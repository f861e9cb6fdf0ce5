import { DiagnosisCode, NotifyTrigger } from '@tillscope/shared';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { parseRows } from '../db/rows';
import { retryDelayMs, type RetryPolicy } from './backoff';
import type { ChannelSenders } from './channels/sender';
import { composeMessage } from './message';
import { DEFAULT_STORE_ZONE } from '../sla/sla-store';

// The delivery sweep: sends the pending deliveries that are due, each channel in its own lane (a
// slow or dead channel delays only its own messages), outside any write transaction; each outcome
// is written in a short transaction of its own. A failure is retried with exponential backoff and
// jitter until the policy's last try. At least once: a crash between a send and its write sends
// it again (webhook receivers de-duplicate by X-Tillscope-Delivery).

const DueRow = z.object({
  id: z.number().int(),
  channel_id: z.number().int(),
  trigger: NotifyTrigger,
  event_at: z.string(),
  event_text: z.string().nullable(),
  attempts: z.number().int(),
  quiet: z.number().int(),
  kind: z.enum(['telegram', 'email', 'webhook']),
  channel_enabled: z.number().int(),
  per_minute: z.number().int(),
  config_json: z.string(),
  secret: z.string(),
  ticket_id: z.number().int(),
  code: DiagnosisCode,
  priority: z.number().int(),
  status: z.string(),
  group_name: z.string(),
  scope: z.enum(['register', 'store']),
  parent_id: z.number().int().nullable(),
  device_id: z.string().nullable(),
  store_id: z.string().nullable(),
  store_name: z.string().nullable(),
  time_zone: z.string().nullable(),
  register_id: z.string().nullable(),
  symptoms: z.number().int(),
});
type DueRow = z.infer<typeof DueRow>;

const DUE = `SELECT d.id, d.channel_id, d.trigger, d.event_at, e.text AS event_text, d.attempts, d.quiet,
    c.kind, c.enabled AS channel_enabled, c.per_minute, c.config_json, c.secret,
    t.id AS ticket_id, t.code, t.priority, t.status, t.group_name, t.scope, t.parent_id, t.device_id,
    COALESCE(t.store_id, a.store_id) AS store_id, st.name AS store_name, st.time_zone, a.register_id,
    (SELECT COUNT(*) FROM tickets s WHERE s.parent_id = t.id) AS symptoms
  FROM notify_deliveries d
  JOIN notify_channels c ON c.id = d.channel_id
  JOIN tickets t ON t.id = d.ticket_id
  LEFT JOIN agents a ON a.id = t.agent_id
  LEFT JOIN stores st ON st.id = COALESCE(t.store_id, a.store_id)
  LEFT JOIN ticket_events e ON e.id = d.event_id
  WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?`;

export interface DeliveryDeps {
  db: ConsoleDatabase;
  now: () => Date;
  senders: ChannelSenders;
  retry: RetryPolicy;
  random: () => number;
  /** the console's address for the link in messages; null: no link */
  consoleUrl: string | null;
  /** deliveries read per pass at most */
  batch?: number;
  /**
   * Channels whose lane is still sending (from an earlier pass): passed over, so a channel that hangs
   * until its timeout holds up only its own messages, never another channel's. The sweep adds and
   * removes its own lanes.
   */
  busy?: Set<number>;
}

export interface DeliveryOutcome {
  sent: number;
  /** failed this time, to be retried */
  retrying: number;
  /** failed for the last time */
  failed: number;
  skipped: number;
  /** over the channel's per-minute cap: moved to when the minute frees up */
  deferred: number;
}

const emptyOutcome = (): DeliveryOutcome => ({ sent: 0, retrying: 0, failed: 0, skipped: 0, deferred: 0 });

/** Why a due delivery is no longer worth sending, or null to send it. */
function skipReason(row: DueRow): string | null {
  if (row.channel_enabled !== 1) return 'channel turned off';
  if (row.parent_id !== null) return `symptom of store incident #${row.parent_id}: the incident is the message`;
  if (row.quiet === 1 && (row.status === 'resolved' || row.status === 'closed')) return `ticket ${row.status} during quiet hours`;
  return null;
}

export async function deliverDue(deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const { db, now } = deps;
  const busy = deps.busy ?? new Set<number>();
  const due = parseRows(DueRow, await db.sql.all(DUE, now().toISOString(), deps.batch ?? 200)).filter((row) => !busy.has(row.channel_id));
  const lanes = new Map<number, DueRow[]>();
  for (const row of due) lanes.set(row.channel_id, [...(lanes.get(row.channel_id) ?? []), row]);
  const outcome = emptyOutcome();
  await Promise.all([...lanes].map(async ([channelId, rows]) => {
    busy.add(channelId);
    try {
      await deliverLane(deps, rows, outcome);
    } finally {
      busy.delete(channelId);
    }
  }));
  return outcome;
}

/** One channel's due deliveries, one after another, within its per-minute cap. */
async function deliverLane(deps: DeliveryDeps, rows: DueRow[], outcome: DeliveryOutcome): Promise<void> {
  const { db, now } = deps;
  for (const row of rows) {
    const reason = skipReason(row);
    if (reason) {
      await db.write((sql) => sql.run("UPDATE notify_deliveries SET status = 'skipped', last_error = ? WHERE id = ?", reason, row.id));
      outcome.skipped += 1;
      continue;
    }
    const freeAt = await capFreeAt(deps, row);
    if (freeAt) {
      await db.write((sql) => sql.run('UPDATE notify_deliveries SET next_at = ? WHERE id = ?', freeAt, row.id));
      outcome.deferred += 1;
      continue;
    }
    const error = await send(deps, row);
    const at = now();
    if (error === null) {
      await db.write((sql) => sql.run("UPDATE notify_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?", at.toISOString(), row.id));
      outcome.sent += 1;
      continue;
    }
    const attempts = row.attempts + 1;
    const last = attempts >= deps.retry.maxAttempts;
    const nextAt = new Date(at.getTime() + (last ? 0 : retryDelayMs(attempts, deps.retry, deps.random))).toISOString();
    // quiet = 0: it was tried, so it no longer waits for quiet hours (a retry is a retry, shown as one).
    await db.write((sql) => sql.run('UPDATE notify_deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?, quiet = 0 WHERE id = ?', last ? 'failed' : 'pending', attempts, nextAt, error, row.id));
    if (last) outcome.failed += 1;
    else outcome.retrying += 1;
  }
}

/** When the channel may send again if it already sent `per_minute` messages in the last minute; null when it may now. */
async function capFreeAt(deps: DeliveryDeps, row: DueRow): Promise<string | null> {
  const since = new Date(deps.now().getTime() - 60_000).toISOString();
  const recent = await deps.db.sql.all<{ sent_at: string }[]>(
    'SELECT sent_at FROM notify_deliveries WHERE channel_id = ? AND sent_at > ? ORDER BY sent_at LIMIT ?', row.channel_id, since, row.per_minute,
  );
  if (recent.length < row.per_minute) return null;
  return new Date(Date.parse(recent[0]!.sent_at) + 60_000).toISOString();
}

/** Sends one delivery; the failure's words, or null when the channel accepted it. */
async function send(deps: DeliveryDeps, row: DueRow): Promise<string | null> {
  const message = composeMessage({
    deliveryId: row.id, trigger: row.trigger, eventAt: row.event_at, eventText: row.event_text ?? '', consoleUrl: deps.consoleUrl,
    timeZone: row.time_zone ?? DEFAULT_STORE_ZONE,
    ticket: {
      id: row.ticket_id, code: row.code, priority: row.priority, group: row.group_name, storeId: row.store_id ?? '', storeName: row.store_name ?? '',
      registerId: row.register_id ?? '',
      deviceId: row.device_id, scope: row.scope, symptoms: row.symptoms,
    },
  });
  try {
    await deps.senders[row.kind]({ id: row.channel_id, config: JSON.parse(row.config_json) as unknown, secret: row.secret }, message);
    return null;
  } catch (error) {
    return ((error as Error).message || String(error)).slice(0, 500);
  }
}

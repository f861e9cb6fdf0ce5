import type { NotifyTrigger } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows } from '../db/rows';
import { quietOf, RuleRow } from './notify-config';
import { quietUntil } from './quiet-hours';

// The notify scan: reads the timeline from its cursor and queues one delivery per matching channel.
// It runs in its own short write transaction after ticket processing committed, so a channel never
// slows or fails a ticket; the delivery sweep sends what it queued.

/** The timeline kinds that raise a notification, and the trigger each is. */
const TRIGGER_OF_KIND: Readonly<Record<string, NotifyTrigger>> = { opened: 'p1_opened', sla_warning: 'sla_warning', escalated: 'escalated' };
const KINDS_SQL = `(${Object.keys(TRIGGER_OF_KIND).map((kind) => `'${kind}'`).join(', ')})`;

const EventRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  at: z.string(),
  ticket_id: z.number().int(),
  priority: z.number().int(),
  parent_id: z.number().int().nullable(),
  group_name: z.string(),
});
type EventRow = z.infer<typeof EventRow>;

export interface ScanOptions {
  /**
   * An event is read only once it is this old: a register ticket opened in the first seconds of a
   * store storm becomes a symptom of the store incident when the next registers fail alike, and
   * a symptom raises nothing (the incident is the one message). Like Alertmanager's group_wait.
   */
  settleMs: number;
  /**
   * An event older than this when read raises nothing: a ticket history imported or seeded with
   * past times must not page anyone today, and an hour-old P1 is in the queue already. The
   * console's own events are read within seconds (the sweep runs in the same process).
   */
  maxAgeMs?: number;
  /** events read per scan at most (the next scan goes on from there) */
  batch?: number;
}

export const DEFAULT_SETTLE_MS = 30_000;
export const DEFAULT_MAX_AGE_MS = 60 * 60_000;

/**
 * Whether the event raises a notification at all: never for a store incident's symptom (the
 * incident speaks for its registers); `opened` only for a P1.
 */
function triggerOf(event: EventRow): NotifyTrigger | null {
  const trigger = TRIGGER_OF_KIND[event.kind];
  if (!trigger || event.parent_id !== null) return null;
  return trigger === 'p1_opened' && event.priority !== 1 ? null : trigger;
}

interface Planned {
  ruleId: number;
  nextAt: Date;
  quiet: boolean;
}

/** Per channel, the matching rule that lets the message go first (one message per channel and event). */
function planFor(event: EventRow, trigger: NotifyTrigger, rules: readonly RuleRow[], now: Date): Map<number, Planned> {
  const plans = new Map<number, Planned>();
  for (const rule of rules) {
    if (!rule.triggers_json.includes(trigger) || (rule.group_name !== null && rule.group_name !== event.group_name)) continue;
    const quiet = quietOf(rule);
    const until = quiet && !(quiet.p1Overrides && event.priority === 1) ? quietUntil(quiet, now) : null;
    const plan = { ruleId: rule.id, nextAt: until ?? now, quiet: until !== null };
    const before = plans.get(rule.channel_id);
    if (!before || plan.nextAt < before.nextAt) plans.set(rule.channel_id, plan);
  }
  return plans;
}

/** Queues the deliveries the timeline owes since the cursor; runs inside the caller's write transaction. Returns how many it queued. */
export async function scanTimeline(sql: SqlConnection, now: Date, { settleMs, maxAgeMs = DEFAULT_MAX_AGE_MS, batch = 1000 }: ScanOptions): Promise<number> {
  const cursor = (await sql.get<{ last_event_id: number }>('SELECT last_event_id FROM notify_cursor WHERE id = 1'))?.last_event_id ?? 0;
  const events = parseRows(EventRow, await sql.all(
    `SELECT e.id, e.kind, e.at, e.ticket_id, t.priority, t.parent_id, t.group_name
       FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.id > ? AND e.kind IN ${KINDS_SQL} ORDER BY e.id LIMIT ?`, cursor, batch,
  ));
  const rules = parseRows(RuleRow, await sql.all(
    `SELECT r.id, r.channel_id, r.group_name, r.triggers_json, r.quiet_json, r.enabled FROM notify_rules r
       JOIN notify_channels c ON c.id = r.channel_id WHERE r.enabled = 1 AND c.enabled = 1 ORDER BY r.id`,
  ));
  const settledBy = now.getTime() - settleMs;
  const staleBefore = now.getTime() - maxAgeMs;
  let last = cursor;
  let queued = 0;
  for (const event of events) {
    if (Date.parse(event.at) > settledBy) break; // ids follow commit order, so every later event is younger too
    last = event.id;
    const trigger = Date.parse(event.at) < staleBefore ? null : triggerOf(event);
    if (!trigger) continue;
    for (const [channelId, plan] of planFor(event, trigger, rules, now)) {
      const { changes } = await sql.run(
        `INSERT INTO notify_deliveries (channel_id, rule_id, ticket_id, event_id, trigger, event_at, status, quiet, created_at, next_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (channel_id, event_id) DO NOTHING`,
        channelId, plan.ruleId, event.ticket_id, event.id, trigger, event.at, Number(plan.quiet), now.toISOString(), plan.nextAt.toISOString(),
      );
      queued += changes ?? 0;
    }
  }
  if (last !== cursor) await sql.run('UPDATE notify_cursor SET last_event_id = ? WHERE id = 1', last);
  return queued;
}

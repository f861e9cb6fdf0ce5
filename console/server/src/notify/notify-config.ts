import { NotifyChannel, NotifyRule, NotifyTrigger, QuietHours, type ChannelSettings, type SecretHint } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';
import { InvalidNotifySettings } from './notify-errors';
import { knownZone } from './quiet-hours';

// Channels and rules as admins edit them (notify_channels, notify_rules; migration 017).

export const ChannelRow = z.object({
  id: z.number().int(),
  kind: z.enum(['telegram', 'email', 'webhook']),
  name: z.string(),
  enabled: z.number().int(),
  per_minute: z.number().int(),
  config_json: z.string(),
  secret: z.string(),
});
export type ChannelRow = z.infer<typeof ChannelRow>;

export const RuleRow = z.object({
  id: z.number().int(),
  channel_id: z.number().int(),
  group_name: z.string().nullable(),
  triggers_json: jsonColumn(z.array(NotifyTrigger)),
  quiet_json: z.string().nullable(),
  enabled: z.number().int(),
});
export type RuleRow = z.infer<typeof RuleRow>;

/** Whether a secret is set and, when it is long enough to keep most of it hidden, its last 4 characters. */
export function secretHint(secret: string): SecretHint {
  return { set: secret.length > 0, last4: secret.length > 8 ? secret.slice(-4) : null };
}

export function channelView(row: ChannelRow): NotifyChannel {
  return NotifyChannel.parse({
    id: row.id, kind: row.kind, name: row.name, enabled: row.enabled === 1, perMinute: row.per_minute,
    config: JSON.parse(row.config_json) as unknown, secret: secretHint(row.secret),
  });
}

export const quietOf = (row: RuleRow): QuietHours | null => (row.quiet_json ? QuietHours.parse(JSON.parse(row.quiet_json)) : null);

export function ruleView(row: RuleRow): NotifyRule {
  return { id: row.id, channelId: row.channel_id, group: row.group_name as NotifyRule['group'], triggers: row.triggers_json, quiet: quietOf(row), enabled: row.enabled === 1 };
}

const CHANNEL_COLUMNS = 'id, kind, name, enabled, per_minute, config_json, secret';

export async function listChannels(sql: SqlConnection): Promise<NotifyChannel[]> {
  return parseRows(ChannelRow, await sql.all(`SELECT ${CHANNEL_COLUMNS} FROM notify_channels ORDER BY id`)).map(channelView);
}

export async function channelRow(sql: SqlConnection, id: number): Promise<ChannelRow> {
  const row = await sql.get(`SELECT ${CHANNEL_COLUMNS} FROM notify_channels WHERE id = ?`, id);
  if (!row) throw new NotFound('notification channel', id);
  return ChannelRow.parse(row);
}

/** Creates (id undefined) or replaces a channel; a PUT without `secret` keeps the stored one, and may not change the kind. */
export async function saveChannel(sql: SqlConnection, id: number | undefined, request: ChannelSettings, by: string, at: string): Promise<NotifyChannel> {
  const config = JSON.stringify(request.config);
  if (id === undefined) {
    const { lastID } = await sql.run(
      'INSERT INTO notify_channels (kind, name, enabled, per_minute, config_json, secret, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      request.kind, request.name, Number(request.enabled), request.perMinute, config, request.secret ?? '', by, at,
    );
    return channelView(await channelRow(sql, Number(lastID)));
  }
  const before = await channelRow(sql, id);
  if (before.kind !== request.kind) throw new InvalidNotifySettings(`channel ${id} is a ${before.kind} channel; create a new one for ${request.kind}`);
  await sql.run(
    'UPDATE notify_channels SET name = ?, enabled = ?, per_minute = ?, config_json = ?, secret = ?, updated_by = ?, updated_at = ? WHERE id = ?',
    request.name, Number(request.enabled), request.perMinute, config, request.secret ?? before.secret, by, at, id,
  );
  return channelView(await channelRow(sql, id));
}

/** Deletes a channel with its rules and deliveries (the ON DELETE CASCADE of migration 017). */
export async function deleteChannel(sql: SqlConnection, id: number): Promise<void> {
  const { changes } = await sql.run('DELETE FROM notify_channels WHERE id = ?', id);
  if (!changes) throw new NotFound('notification channel', id);
}

const RULE_COLUMNS = 'id, channel_id, group_name, triggers_json, quiet_json, enabled';

export async function listRules(sql: SqlConnection): Promise<NotifyRule[]> {
  return parseRows(RuleRow, await sql.all(`SELECT ${RULE_COLUMNS} FROM notify_rules ORDER BY id`)).map(ruleView);
}

async function ruleById(sql: SqlConnection, id: number): Promise<NotifyRule> {
  const row = await sql.get(`SELECT ${RULE_COLUMNS} FROM notify_rules WHERE id = ?`, id);
  if (!row) throw new NotFound('notification rule', id);
  return ruleView(RuleRow.parse(row));
}

/** Creates (id undefined) or replaces a rule; its channel must exist, its quiet hours' zone must be known. */
export async function saveRule(sql: SqlConnection, id: number | undefined, rule: Omit<NotifyRule, 'id'>, by: string, at: string): Promise<NotifyRule> {
  if (rule.quiet && !knownZone(rule.quiet.timeZone)) throw new InvalidNotifySettings(`unknown time zone ${rule.quiet.timeZone}`);
  if (!(await sql.get('SELECT 1 AS found FROM notify_channels WHERE id = ?', rule.channelId))) throw new InvalidNotifySettings(`no channel ${rule.channelId}`);
  if (rule.group !== null && !(await sql.get('SELECT 1 AS found FROM support_groups WHERE id = ?', rule.group))) throw new InvalidNotifySettings(`no group ${rule.group}`);
  const values = [rule.channelId, rule.group, JSON.stringify([...new Set(rule.triggers)]), rule.quiet ? JSON.stringify(rule.quiet) : null, Number(rule.enabled), by, at];
  if (id === undefined) {
    const { lastID } = await sql.run(
      'INSERT INTO notify_rules (channel_id, group_name, triggers_json, quiet_json, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', ...values,
    );
    return ruleById(sql, Number(lastID));
  }
  await ruleById(sql, id);
  await sql.run('UPDATE notify_rules SET channel_id = ?, group_name = ?, triggers_json = ?, quiet_json = ?, enabled = ?, updated_by = ?, updated_at = ? WHERE id = ?', ...values, id);
  return ruleById(sql, id);
}

export async function deleteRule(sql: SqlConnection, id: number): Promise<void> {
  const { changes } = await sql.run('DELETE FROM notify_rules WHERE id = ?', id);
  if (!changes) throw new NotFound('notification rule', id);
}

import { CATALOGUE, DiagnosisCode, type GroupId, type RoutingRule, type RoutingTable } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';
import { requireActiveGroup } from './groups';

// The routing table (migration 010's routing_rules): where new tickets of each diagnosis code go.
// A code without a row routes to its default (the catalogue's group, or a cashier's symptom's).

/** The group every new ticket falls back to when both its rule's group and its default are archived. */
export const LAST_RESORT_GROUP: GroupId = 'helpdesk';

/** One rule per diagnosis code, in the catalogue's order. */
export async function routingTable(sql: SqlConnection): Promise<RoutingTable> {
  const custom = new Map((await sql.all<{ code: string; group_id: string }[]>('SELECT code, group_id FROM routing_rules')).map((row) => [row.code, row.group_id]));
  return { rules: DiagnosisCode.options.map((code) => ruleOf(code, custom.get(code))) };
}

/** Sets where new tickets of `code` go (an existing group that takes tickets), or with null puts the default back. */
export async function setRoute(sql: SqlConnection, code: DiagnosisCode, group: GroupId | null, actor: string, nowIso: string): Promise<RoutingRule> {
  if (group === null) {
    await sql.run('DELETE FROM routing_rules WHERE code = ?', code);
    return ruleOf(code, undefined);
  }
  await requireActiveGroup(sql, group);
  await sql.run(
    `INSERT INTO routing_rules (code, group_id, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET group_id = excluded.group_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    code, group, actor, nowIso,
  );
  return ruleOf(code, group);
}

/**
 * The group a NEW ticket of `code` goes to, `defaultGroup` being the catalogue's (or, for a cashier's
 * report, its symptom's). The admin's rule wins when its group takes tickets; an archived rule group
 * falls back to the default; an archived default to LAST_RESORT_GROUP; and when that is archived too,
 * the default all the same: a ticket always gets a group. The route stage calls this.
 */
export async function routeByTable(sql: SqlConnection, code: DiagnosisCode, defaultGroup: GroupId): Promise<GroupId> {
  const rows = await sql.all<{ id: string; archived: number; is_rule: number }[]>(
    `SELECT g.id, g.archived, 1 AS is_rule FROM routing_rules r JOIN support_groups g ON g.id = r.group_id WHERE r.code = ?
     UNION ALL SELECT id, archived, 0 FROM support_groups WHERE id IN (?, ?)`,
    code, defaultGroup, LAST_RESORT_GROUP,
  );
  const takes = (id: string, rule: boolean) => rows.some((row) => row.id === id && row.archived === 0 && (row.is_rule === 1) === rule);
  const rule = rows.find((row) => row.is_rule === 1);
  if (rule && takes(rule.id, true)) return rule.id;
  // A default missing from the table (an older file) still routes: the built-in groups always existed.
  if (!rows.some((row) => row.id === defaultGroup && row.is_rule === 0) || takes(defaultGroup, false)) return defaultGroup;
  return takes(LAST_RESORT_GROUP, false) ? LAST_RESORT_GROUP : defaultGroup;
}

function ruleOf(code: DiagnosisCode, custom: string | undefined): RoutingRule {
  const defaultGroup = CATALOGUE[code].group;
  return { code, group: custom ?? defaultGroup, defaultGroup, custom: custom !== undefined };
}

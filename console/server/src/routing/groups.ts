import { GroupId, SupportGroup, SupportLine, UpsertGroupRequest, type Me } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows, UserRow } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';
import { ArchivedGroup, UnknownGroup } from './routing-errors';

// Support groups (migration 010's support_groups) and who belongs to them (users.groups_json).
// Every function runs on the connection it is given: a read, or inside the caller's write transaction.

const GroupRow = z.object({ id: GroupId, title_ru: z.string(), title_en: z.string(), line: SupportLine, archived: z.union([z.literal(0), z.literal(1)]) });
type GroupRow = z.infer<typeof GroupRow>;

/** First line first, then second, third, vendors; within a line by id. */
const LINE_ORDER = `CASE line ${SupportLine.options.map((line, i) => `WHEN '${line}' THEN ${i}`).join(' ')} END`;

/** Every group with its members, archived ones included (the caller hides them from pickers). */
export async function listGroups(sql: SqlConnection): Promise<SupportGroup[]> {
  const rows = parseRows(GroupRow, await sql.all(`SELECT id, title_ru, title_en, line, archived FROM support_groups ORDER BY ${LINE_ORDER}, id`));
  const members = await membersByGroup(sql);
  return rows.map((row) => toGroup(row, members.get(row.id) ?? []));
}

/** Creates the group or edits it; answers it as GET /api/groups lists it. */
export async function upsertGroup(sql: SqlConnection, id: GroupId, request: z.output<typeof UpsertGroupRequest>, nowIso: string): Promise<SupportGroup> {
  await sql.run(
    `INSERT INTO support_groups (id, title_ru, title_en, line, archived, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title_ru = excluded.title_ru, title_en = excluded.title_en, line = excluded.line, archived = excluded.archived`,
    id, request.title.ru, request.title.en, request.line, Number(request.archived), nowIso,
  );
  const row = GroupRow.parse(await sql.get('SELECT id, title_ru, title_en, line, archived FROM support_groups WHERE id = ?', id));
  return toGroup(row, (await membersByGroup(sql)).get(id) ?? []);
}

/**
 * Replaces an engineer's groups. Every id must name a group (UnknownGroup); an archived one is
 * accepted only if the user already belongs to it, so re-saving a user keeps its history.
 */
export async function setUserGroups(sql: SqlConnection, username: string, groups: readonly GroupId[]): Promise<Me> {
  const raw = await sql.get('SELECT * FROM users WHERE username = ?', username);
  if (!raw) throw new NotFound('user', username);
  const user = UserRow.parse(raw);
  const unique = [...new Set(groups)];
  for (const id of unique) {
    const group = await groupState(sql, id);
    if (group === 'unknown') throw new UnknownGroup(id);
    if (group === 'archived' && !user.groups_json.includes(id)) throw new ArchivedGroup(id);
  }
  await sql.run('UPDATE users SET groups_json = ? WHERE id = ?', JSON.stringify(unique), user.id);
  return { username: user.username, displayName: user.display_name, role: user.role, groups: unique };
}

/** Whether a group exists and takes tickets. */
export async function groupState(sql: SqlConnection, id: string): Promise<'active' | 'archived' | 'unknown'> {
  const row = await sql.get<{ archived: number }>('SELECT archived FROM support_groups WHERE id = ?', id);
  if (!row) return 'unknown';
  return row.archived ? 'archived' : 'active';
}

/** The group, when it exists and is not archived; UnknownGroup or ArchivedGroup otherwise. */
export async function requireActiveGroup(sql: SqlConnection, id: string): Promise<void> {
  const state = await groupState(sql, id);
  if (state === 'unknown') throw new UnknownGroup(id);
  if (state === 'archived') throw new ArchivedGroup(id);
}

/** The first group of a line that takes tickets, `preferred` first (the built-in one): where an escalation goes. */
export async function activeGroupOfLine(sql: SqlConnection, line: SupportLine, preferred: GroupId): Promise<GroupId | undefined> {
  const row = await sql.get<{ id: string }>(
    'SELECT id FROM support_groups WHERE line = ? AND archived = 0 ORDER BY id = ? DESC, id LIMIT 1', line, preferred,
  );
  return row?.id;
}

async function membersByGroup(sql: SqlConnection): Promise<Map<string, string[]>> {
  const rows = await sql.all<{ username: string; group_id: string }[]>(
    'SELECT u.username, j.value AS group_id FROM users u, json_each(u.groups_json) j ORDER BY u.username',
  );
  const members = new Map<string, string[]>();
  for (const row of rows) members.set(row.group_id, [...(members.get(row.group_id) ?? []), row.username]);
  return members;
}

function toGroup(row: GroupRow, members: string[]): SupportGroup {
  return { id: row.id, title: { ru: row.title_ru, en: row.title_en }, line: row.line, archived: row.archived === 1, members };
}

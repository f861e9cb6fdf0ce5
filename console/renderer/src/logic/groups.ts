import { builtInGroupTitle, DEFAULT_GROUP_LINES, ROUTING_GROUP_TITLES, RoutingGroup, type LocalizedText, type SupportGroup, type SupportLine } from '@tillscope/shared';

/** One entry of a group picker. */
export interface GroupOption {
  id: string;
  title: LocalizedText;
  line: SupportLine;
}

/** The built-in groups, for when GET /api/groups failed (an older server, a network error). */
export const BUILT_IN_GROUPS: readonly GroupOption[] = RoutingGroup.options.map((id) => ({ id, title: ROUTING_GROUP_TITLES[id], line: DEFAULT_GROUP_LINES[id] }));

/**
 * The groups a picker offers: the server's groups that are not archived (the built-in ones when
 * the list is not at hand), the engineer's own first, then by line (first … vendor) as listed.
 */
export function groupOptions(groups: readonly SupportGroup[] | null, mine: readonly string[]): GroupOption[] {
  const all: GroupOption[] = groups ? groups.filter((g) => !g.archived).map(({ id, title, line }) => ({ id, title, line })) : [...BUILT_IN_GROUPS];
  const lineOrder: readonly SupportLine[] = ['first', 'second', 'third', 'vendor'];
  const rank = (g: GroupOption) => (mine.includes(g.id) ? 0 : 1) * 10 + lineOrder.indexOf(g.line);
  return all.map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i).map(({ g }) => g);
}

/** A group's title: from the server's list (admins' groups too), else the built-in title or the id. */
export function groupTitle(id: string, groups: readonly SupportGroup[] | null): LocalizedText {
  return groups?.find((g) => g.id === id)?.title ?? builtInGroupTitle(id);
}

/** The usernames in any group, for the "assign to" field's suggestions (there is no user list for engineers). */
export function knownEngineers(groups: readonly SupportGroup[] | null): string[] {
  return [...new Set((groups ?? []).flatMap((g) => g.members))].sort();
}

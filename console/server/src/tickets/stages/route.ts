import { CATALOGUE, SYMPTOMS, type GroupId } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import { routeByTable } from '../../routing/routing-table';
import type { TicketFinding } from './finding';

/** The group a finding routes to: a cashier's report by its symptom, anything else by its code's catalogue entry. */
export function routeOf(finding: Pick<TicketFinding, 'code' | 'symptom'>): GroupId {
  return finding.symptom ? SYMPTOMS[finding.symptom].group : CATALOGUE[finding.code].group;
}

/**
 * The stage that picks a NEW ticket's group. Contract: runs inside the caller's write transaction,
 * reads only (a routing table may live in the database), and always answers a group.
 */
export interface RouteStage {
  groupOf(sql: SqlConnection, finding: TicketFinding): Promise<GroupId>;
}

/** Today's rule: the catalogue's group, or the symptom's. */
export const catalogueRoute: RouteStage = {
  groupOf: (_sql, finding) => Promise.resolve(routeOf(finding)),
};

/**
 * The admins' routing table (routing/routing-table.ts) over that rule: a code's rule wins when its
 * group takes tickets; an archived group falls back to the catalogue's (or symptom's) group, and an
 * archived default to the helpdesk. The pipeline's default.
 */
export const routingTableRoute: RouteStage = {
  groupOf: (sql, finding) => routeByTable(sql, finding.code, routeOf(finding)),
};

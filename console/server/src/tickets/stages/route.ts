import { CATALOGUE, SYMPTOMS, type GroupId } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
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

import type { SqlConnection } from '../../db/console-database';
import type { TicketRow } from '../../db/rows';
import type { ChangeSet } from '../change-set';
import type { TicketFinding } from './finding';

/**
 * The second stage: a finding that will open a NEW ticket (the hold let it through, no recent
 * ticket reopens) asks which ticket it is a symptom of.
 *
 * Contract: runs inside the caller's write transaction; returns the id of an open ticket the new
 * one is a symptom of (it gets `parent_id` = that id), or null for a ticket of its own. It may
 * open or update that parent ticket itself (a store incident), recording it in `changes`.
 */
export interface CorrelateStage {
  parentOf(sql: SqlConnection, finding: TicketFinding, changes: ChangeSet): Promise<number | null>;
  /** A ticket this finding reopened (instead of opening a new one): it may be a symptom of its store's incident too. */
  afterReopen?(sql: SqlConnection, ticketId: number, finding: TicketFinding, changes: ChangeSet): Promise<void>;
  /** Whether this open ticket, its finding gone, must stay open for its parent (a symptom of an open store incident): it then only records 'recovered'. */
  waitsForIncident?(sql: SqlConnection, ticket: TicketRow): Promise<boolean>;
  /** After a ticket recovered (`resolved`: it resolved itself): its incident may recover, or its symptoms resolve with it. */
  afterRecovery?(sql: SqlConnection, ticket: TicketRow, resolved: boolean, changes: ChangeSet): Promise<void>;
  /** After an engineer resolved a ticket: a store incident's symptoms resolve with it. */
  afterResolve?(sql: SqlConnection, ticketId: number, changes: ChangeSet): Promise<void>;
}

/** Today's rule: every ticket stands alone. */
export const standAlone: CorrelateStage = {
  parentOf: () => Promise.resolve(null),
};

import type { SqlConnection } from '../../db/console-database';
import type { ChangeSet } from '../change-set';
import type { TicketFinding } from './finding';

/** 'open': the finding goes on to a ticket now; 'held': it waits (nothing opens, nothing is published). */
export type HoldVerdict = 'open' | 'held';

/**
 * The first stage: a present finding WITHOUT an open ticket asks whether it may open (or reopen) one
 * yet. A finding that already has an open ticket never comes here: repeats merge into that ticket.
 *
 * Contract: `admit` runs inside the caller's write transaction; it may keep state of its own there
 * (pending findings) but must not open, change or publish tickets. 'held' means the pipeline stops
 * for this finding: the device's report is still stored as history by the caller.
 */
export interface HoldStage {
  admit(sql: SqlConnection, finding: TicketFinding, changes: ChangeSet): Promise<HoldVerdict>;
}

/** Today's rule: every finding opens its ticket at once. */
export const openAtOnce: HoldStage = {
  admit: () => Promise.resolve('open'),
};

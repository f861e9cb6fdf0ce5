import type { DiagnosisCode } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import type { ChangeSet } from '../change-set';
import type { TicketFinding } from './finding';

/**
 * 'open': the finding goes on to a ticket now; 'flapping': it goes on, and its ticket is marked
 * flapping; 'held': it waits (nothing opens, nothing is published).
 */
export type HoldVerdict = 'open' | 'flapping' | 'held';

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
  /**
   * A device report without an open ticket's worth of these codes: `isGone(code)` says whether the
   * report proves a code it does not list has cleared. What the hold keeps of such codes forgets
   * that they are present (a blip that cleared before its hold opens nothing).
   */
  cleared(sql: SqlConnection, agentId: string, deviceId: string, isGone: (code: DiagnosisCode) => boolean): Promise<void>;
}

/** No hold: every finding opens its ticket at once (noise control off). */
export const openAtOnce: HoldStage = {
  admit: () => Promise.resolve('open'),
  cleared: () => Promise.resolve(),
};

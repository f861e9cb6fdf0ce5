import { CATALOGUE } from '@tillscope/shared';
import type { SqlConnection } from '../../db/console-database';
import type { TicketRow } from '../../db/rows';
import type { FiscalTracker } from '../../fiscal/fiscal-tracker';
import type { NoiseSettingsSource } from '../../noise/noise-settings';
import type { ChangeSet } from '../change-set';
import { standAlone, type CorrelateStage } from './correlate';
import { DeadlinesStage } from './deadlines';
import type { TicketFinding } from './finding';
import { openAtOnce, type HoldStage } from './hold';
import { changeSetNotify, type NotifyStage } from './notify';
import { OpenUpdateStage } from './open-update';
import { routingTableRoute, type RouteStage } from './route';

export interface TicketPipelineDeps {
  now: () => Date;
  fiscal: FiscalTracker;
  /** Noise settings (reopen window, flapping calm); without them today's rules: reopen within 10 minutes, no calm period. */
  noise?: NoiseSettingsSource;
  /** Each stage defaults to today's rule; a feature replaces its own. */
  hold?: HoldStage;
  correlate?: CorrelateStage;
  route?: RouteStage;
  deadlines?: DeadlinesStage;
  notify?: NotifyStage;
}

export interface TicketStages {
  hold: HoldStage;
  correlate: CorrelateStage;
  openUpdate: OpenUpdateStage;
  route: RouteStage;
  deadlines: DeadlinesStage;
  notify: NotifyStage;
}

/**
 * The ticket rules as named stages, in order: hold → correlate → open or update → route →
 * deadlines → notify. Every method runs inside the caller's write transaction.
 */
export interface TicketPipeline {
  readonly stages: TicketStages;
  /**
   * A finding that is present. With an open ticket (`open`) it only updates it. Without one it
   * asks the hold, then reopens the ticket it recently resolved itself out of, or opens a new one
   * (correlated, routed, with due dates). Returns the ticket's id, or null when held.
   */
  present(sql: SqlConnection, finding: TicketFinding, open: TicketRow | undefined, changes: ChangeSet): Promise<number | null>;
  /** Opens a ticket for the finding at once, past the hold and the correlation (a store incident the correlate stage decided on). */
  openNow(sql: SqlConnection, finding: TicketFinding, changes: ChangeSet): Promise<number>;
  /**
   * A finding the hold let through (its hold sweep: it stood long enough): reopens the ticket it
   * recently resolved out of, or opens a new one; `flapping` marks it. Returns the ticket's id.
   */
  admitted(sql: SqlConnection, finding: TicketFinding, flapping: boolean, changes: ChangeSet): Promise<number>;
  /** The finding of this open ticket has gone: the ticket recovers. */
  absent(sql: SqlConnection, open: TicketRow, changes: ChangeSet): Promise<void>;
}

/** Builds one pipeline; nothing is shared between two. */
export function createTicketPipeline(deps: TicketPipelineDeps): TicketPipeline {
  const stages: TicketStages = {
    hold: deps.hold ?? openAtOnce,
    correlate: deps.correlate ?? standAlone,
    openUpdate: new OpenUpdateStage(deps.now, deps.noise),
    route: deps.route ?? routingTableRoute,
    deadlines: deps.deadlines ?? new DeadlinesStage(deps.fiscal),
    notify: deps.notify ?? changeSetNotify,
  };
  const { hold, correlate, openUpdate, route, deadlines, notify } = stages;

  async function openNew(sql: SqlConnection, finding: TicketFinding, parentId: number | null, flapping: boolean): Promise<number> {
    const group = await route.groupOf(sql, finding);
    const severity = finding.severity ?? CATALOGUE[finding.code].severity;
    const openedAt = deps.now();
    const due = await deadlines.dueDates(sql, { agentId: finding.agentId, code: finding.code, severity, openedAt });
    return openUpdate.open(sql, finding, { ...due, group, severity, openedAt, parentId, flapping });
  }

  async function admitted(sql: SqlConnection, finding: TicketFinding, flapping: boolean, changes: ChangeSet): Promise<number> {
    const reopened = await openUpdate.reopenRecent(sql, finding, flapping);
    if (reopened !== null) await correlate.afterReopen?.(sql, reopened, finding, changes);
    const ticketId = reopened ?? (await openNew(sql, finding, await correlate.parentOf(sql, finding, changes), flapping));
    notify.ticketChanged(changes, ticketId, finding.agentId, true);
    return ticketId;
  }

  return {
    stages,
    async present(sql, finding, open, changes) {
      if (open) {
        if (await openUpdate.update(sql, finding, open, changes)) notify.ticketChanged(changes, open.id, finding.agentId, false);
        return open.id;
      }
      const verdict = await hold.admit(sql, finding, changes);
      return verdict === 'held' ? null : admitted(sql, finding, verdict === 'flapping', changes);
    },
    async openNow(sql, finding, changes) {
      const ticketId = await openNew(sql, finding, null, false);
      notify.ticketChanged(changes, ticketId, finding.agentId, true);
      return ticketId;
    },
    admitted,
    async absent(sql, open, changes) {
      const statusChanged = await openUpdate.recover(sql, open, (await correlate.waitsForIncident?.(sql, open)) ?? false);
      notify.ticketChanged(changes, open.id, open.agent_id, statusChanged);
      await correlate.afterRecovery?.(sql, open, statusChanged, changes);
    },
  };
}

import type { TicketRef } from '@tillscope/shared';
import type { ChangeListener, ChangeSet } from '../change-set';

/**
 * The last stage: records what a transaction changed in its ChangeSet, which the caller publishes
 * on the ChangeBus after COMMIT (the live feed, and the cashiers following a ticket, hear of it).
 */
export interface NotifyStage {
  /** `statusChanged`: opened, reopened, resolved, closed… (the cashier who reported it gets a ticket_update). */
  ticketChanged(changes: ChangeSet, ticketId: number, agentId: string, statusChanged: boolean): void;
}

export const changeSetNotify: NotifyStage = {
  ticketChanged: (changes, ticketId, agentId, statusChanged) => changes.ticketChanged(ticketId, agentId, statusChanged),
};

export interface CashierUpdateDeps {
  /** The register of a ticket and the cashier reports on it. */
  cashierReportsOf(ticketId: number): Promise<{ agentId: string; reportIds: string[] }>;
  isConnected(agentId: string): boolean;
  ticketRef(ticketId: number): Promise<TicketRef>;
  sendTicketUpdate(agentId: string, reportId: string, ticket: TicketRef): void;
}

/** A ChangeBus listener: a cashier following a ticket hears about every status change of it (when their register is connected). */
export function cashierTicketUpdates(deps: CashierUpdateDeps): ChangeListener {
  return async (changes) => {
    for (const ticketId of changes.ticketStatuses) {
      const { agentId, reportIds } = await deps.cashierReportsOf(ticketId);
      if (reportIds.length === 0 || !deps.isConnected(agentId)) continue;
      const ticket = await deps.ticketRef(ticketId);
      for (const reportId of reportIds) deps.sendTicketUpdate(agentId, reportId, ticket);
    }
  };
}

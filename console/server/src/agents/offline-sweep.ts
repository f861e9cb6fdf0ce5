import type { ConsoleDatabase } from '../db/console-database';
import { OPEN_STATUSES } from '../db/rows';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketEngine } from '../tickets/ticket-engine';

export interface OfflineSweepDeps {
  db: ConsoleDatabase;
  engine: TicketEngine;
  bus: ChangeBus;
  now: () => Date;
  offlineAfterSec: number;
  isConnected: (agentId: string) => boolean;
}

/**
 * Opens an `agent.offline` ticket for each register silent longer than `offlineAfterSec`.
 * Returns how many it opened (a register under maintenance gets none; store correlation may make
 * it a symptom of its store's incident). The ticket resolves itself when the agent reconnects.
 */
export async function sweepOfflineAgents({ db, engine, bus, now, offlineAfterSec, isConnected }: OfflineSweepDeps): Promise<number> {
  const cutoff = new Date(now().getTime() - offlineAfterSec * 1000).toISOString();
  const changes = new ChangeSet();
  const opened = await db.write(async (sql) => {
    const silent = await sql.all<{ id: string; disconnected_at: string }[]>(
      `SELECT id, disconnected_at FROM agents a WHERE connected = 0 AND disconnected_at IS NOT NULL AND disconnected_at <= ?
         AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.agent_id = a.id AND t.code = 'agent.offline' AND t.status IN ${OPEN_STATUSES})`,
      cutoff,
    );
    // Not those whose connect is still being recorded.
    const offline = silent.filter((agent) => !isConnected(agent.id));
    let tickets = 0;
    for (const agent of offline) if ((await engine.openOfflineTicket(sql, agent.id, agent.disconnected_at, changes)) !== null) tickets += 1;
    return tickets;
  });
  bus.publish(changes);
  return opened;
}

// What the soak reads at the end, once everything is stopped: the console's SQLite file (read-only)
// and the real agent's outbox (through the agent's own Outbox, as the agent would reopen it).
import path from 'node:path';
import { open } from 'sqlite';
import sqlite3 from 'sqlite3';
import { openOutbox } from '../../../agent/src/outbox/outbox';
import { DATABASE_FILE_NAME } from '../../../console/server/src/db/console-database';

export interface ConsoleFindings {
  /** Health and cashier reports of these agents the console processed (one row per message id). */
  storedFleetMessages: number;
  /** Cashier notes per cashier report id (the report's effect on its ticket). */
  cashierNotes: Map<string, number>;
  /** Of the message ids asked about, those the console processed. */
  processedIds: Set<string>;
  /** (register, device, code) with more than one open ticket. */
  duplicateOpenFindings: number;
  /** Agents with an open ticket for `code`. */
  openTicketAgents: Set<string>;
}

export async function readConsoleFindings(dataDir: string, ask: { fleetAgentIds: string[]; cashierReportIds: string[]; messageIds: string[]; code: string }): Promise<ConsoleFindings> {
  const db = await open({ filename: path.join(dataDir, DATABASE_FILE_NAME), driver: sqlite3.Database, mode: sqlite3.OPEN_READONLY });
  try {
    const fleet = JSON.stringify(ask.fleetAgentIds);
    const stored = await db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM processed_messages WHERE type IN ('health', 'cashier_report') AND agent_id IN (SELECT value FROM json_each(?))`, fleet,
    );
    const notes = await db.all<{ id: string; n: number }[]>(
      'SELECT report_msg_id AS id, COUNT(*) AS n FROM cashier_notes WHERE report_msg_id IN (SELECT value FROM json_each(?)) GROUP BY report_msg_id',
      JSON.stringify(ask.cashierReportIds),
    );
    const processed = await db.all<{ id: string }[]>(
      'SELECT msg_id AS id FROM processed_messages WHERE msg_id IN (SELECT value FROM json_each(?))', JSON.stringify(ask.messageIds),
    );
    const duplicates = await db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM tickets WHERE status IN ('open', 'in_progress') GROUP BY agent_id, IFNULL(device_id, ''), code HAVING COUNT(*) > 1)`,
    );
    const open = await db.all<{ agent: string }[]>(
      `SELECT DISTINCT agent_id AS agent FROM tickets WHERE code = ? AND status IN ('open', 'in_progress')`, ask.code,
    );
    return {
      storedFleetMessages: stored?.n ?? 0,
      cashierNotes: new Map(notes.map((row) => [row.id, row.n])),
      processedIds: new Set(processed.map((row) => row.id)),
      duplicateOpenFindings: duplicates?.n ?? 0,
      openTicketAgents: new Set(open.map((row) => row.agent)),
    };
  } finally {
    await db.close();
  }
}

export interface AgentOutboxLeft {
  /** Message ids still queued, each with the time the message was created (its envelope's ts). */
  pending: { id: string; type: string; ts: string }[];
  /** Health snapshots the outbox dropped to stay bounded (by design; not a loss of a promise). */
  droppedHealth: number;
}

/** The stopped agent's outbox, opened with the agent's own code: what it would still send. */
export async function readAgentOutbox(agentDataDir: string): Promise<AgentOutboxLeft> {
  const outbox = await openOutbox({ file: path.join(agentDataDir, 'agent.db') });
  try {
    const pending = await outbox.pending(100_000);
    const stats = await outbox.stats();
    return {
      pending: pending.map((message) => ({ id: message.id, type: message.type, ts: (JSON.parse(message.body) as { ts: string }).ts })),
      droppedHealth: stats.dropped,
    };
  } finally {
    await outbox.close();
  }
}

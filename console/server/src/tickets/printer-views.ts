// What the console shows of a register's receipt printers beyond health: their facts from the
// latest stored report (status requests answered, wear counters, OS queue) and the paper-supply
// hint (how often paper ran near end or out).
import { PrinterFacts, type PaperSupply, type PrinterFactsView } from '@tillscope/shared';
import type { SqlConnection } from '../db/console-database';

/** The hint covers this many days. */
export const PAPER_SUPPLY_DAYS = 30;
/** Paper events closer than this belong to one time the paper ran low (near end, then out, then a flicker). */
const SAME_EPISODE_MS = 60 * 60 * 1000;
const PAPER_CODES = "('printer.paper_near_end', 'printer.paper_end')";

/**
 * Each receipt printer's facts from its latest kept report by receipt time (device_reports keeps a
 * report when the state changes and hourly otherwise, so they are at most about an hour old;
 * `reportedAt` says when). By receipt time, not row id: the demo seeds history rows after live ones.
 */
export async function printerFactsOf(sql: SqlConnection, agentId: string, deviceIds: readonly string[]): Promise<Map<string, PrinterFactsView>> {
  const views = new Map<string, PrinterFactsView>();
  for (const deviceId of deviceIds) {
    const row = await sql.get<{ received_at: string; printer: string | null }>(
      `SELECT received_at, json_extract(report_json, '$.printer') AS printer FROM device_reports
       WHERE agent_id = ? AND device_id = ? ORDER BY received_at DESC, id DESC LIMIT 1`, agentId, deviceId,
    );
    const facts = row?.printer ? PrinterFacts.safeParse(JSON.parse(row.printer)) : undefined;
    if (row && facts?.success) views.set(deviceId, { facts: facts.data, reportedAt: row.received_at });
  }
  return views;
}

/** How many times the register's paper ran near end or out over the last PAPER_SUPPLY_DAYS days. */
export async function paperSupplyOf(sql: SqlConnection, agentId: string, now: Date): Promise<PaperSupply> {
  const since = new Date(now.getTime() - PAPER_SUPPLY_DAYS * 86_400_000).toISOString();
  const rows = await sql.all<{ at: string }[]>(
    `SELECT e.at FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id
     WHERE t.agent_id = ? AND t.code IN ${PAPER_CODES} AND e.kind IN ('opened', 'reopened') AND e.at >= ? ORDER BY e.at`,
    agentId, since,
  );
  return { times: countEpisodes(rows.map((row) => Date.parse(row.at))), days: PAPER_SUPPLY_DAYS };
}

/** Sorted times → how many groups of times each within SAME_EPISODE_MS of the previous one. */
export function countEpisodes(sortedMs: readonly number[]): number {
  let episodes = 0;
  let last = -Infinity;
  for (const at of sortedMs) {
    if (at - last > SAME_EPISODE_MS) episodes += 1;
    last = at;
  }
  return episodes;
}

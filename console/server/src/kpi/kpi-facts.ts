import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { runMultiRow } from '../db/multi-row';
import { FACT_COLUMNS, ticketFact, type FactEvent, type FactMove, type FactTicket, type TicketFact } from './ticket-fact';

/** Tickets recomputed per write transaction: each commit is an fsync (synchronous = FULL), and 2,000 hold the write queue for ~0.1 s. */
const CHUNK = 2_000;
const DEFAULT_ZONE = 'Europe/Moscow';

/**
 * The KPI facts table (migration 018) as a cache of ticketFact over the timeline.
 *
 * Contract: the database marks in kpi_dirty every ticket whose fact may have changed (triggers on
 * new events and moves, on the row columns a fact reads, on a store's time zone), so recomputing
 * the marked tickets brings the table to what `rebuild` computes from scratch. Each chunk computes,
 * writes and unmarks its tickets in one write transaction: a mark made after that chunk's
 * transaction stays for the next refresh, and a refresh cut short leaves its tickets marked.
 * Refreshes and rebuilds run one at a time.
 */
export class KpiFacts {
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly db: ConsoleDatabase) {}

  /** Recomputes the marked tickets; returns how many. */
  refresh(): Promise<number> {
    return this.serialized(() => this.drain());
  }

  /** Marks every ticket and computes them all again (kpi_facts emptied first). */
  rebuild(): Promise<number> {
    return this.serialized(async () => {
      await this.db.write(async (sql) => {
        await sql.run('DELETE FROM kpi_facts');
        await sql.run('INSERT OR IGNORE INTO kpi_dirty (ticket_id) SELECT id FROM tickets');
      });
      return this.drain();
    });
  }

  /** No chunk starts after this; resolves when the one running (if any) has committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Tickets marked and not yet recomputed. */
  async pending(): Promise<number> {
    return (await this.db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM kpi_dirty'))?.n ?? 0;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }

  private async drain(): Promise<number> {
    let done = 0;
    while (!this.stopped) {
      const chunk = await this.db.write(async (sql) => {
        const ids = (await sql.all<{ ticket_id: number }[]>('SELECT ticket_id FROM kpi_dirty ORDER BY ticket_id LIMIT ?', CHUNK)).map((row) => row.ticket_id);
        if (ids.length === 0) return 0;
        const marks = ids.map(() => '?').join(',');
        const facts = await factsOf(sql, ids);
        await sql.run(`DELETE FROM kpi_facts WHERE ticket_id IN (${marks})`, ...ids);
        await runMultiRow(sql, `INSERT INTO kpi_facts (${FACT_COLUMNS.join(', ')})`, FACT_COLUMNS.length, facts.map((fact) => FACT_COLUMNS.map((column) => fact[column])));
        await sql.run(`DELETE FROM kpi_dirty WHERE ticket_id IN (${marks})`, ...ids);
        return ids.length;
      });
      if (chunk === 0) return done;
      done += chunk;
    }
    return done;
  }
}

/**
 * The facts of these tickets (ids that no longer exist are skipped), read inside `sql`'s
 * transaction: the store's zone too, so a zone change's marks are never cleared by a fact computed
 * with the zone before it.
 */
async function factsOf(sql: SqlConnection, ticketIds: readonly number[]): Promise<TicketFact[]> {
  const marks = ticketIds.map(() => '?').join(',');
  const tickets = await sql.all<(FactTicket & { time_zone: string | null })[]>(
    `SELECT t.id, COALESCE(t.store_id, a.store_id) AS store_id, t.device_model, t.group_name, t.assignee, t.code, t.priority, t.parent_id,
       t.opened_at, t.react_by, t.resolve_by, t.sla_resolve_by, t.found_at, s.time_zone
     FROM tickets t JOIN agents a ON a.id = t.agent_id LEFT JOIN stores s ON s.id = COALESCE(t.store_id, a.store_id) WHERE t.id IN (${marks})`,
    ...ticketIds,
  );
  const events = groupBy(await sql.all<(FactEvent & { ticket_id: number })[]>(
    `SELECT ticket_id, at, kind, actor, text FROM ticket_events WHERE ticket_id IN (${marks}) ORDER BY ticket_id, id`, ...ticketIds,
  ));
  const moves = groupBy(await sql.all<(FactMove & { ticket_id: number })[]>(
    `SELECT ticket_id, kind, to_assignee FROM ticket_moves WHERE ticket_id IN (${marks}) ORDER BY ticket_id, id`, ...ticketIds,
  ));
  return tickets.map((ticket) => ticketFact(ticket, events.get(ticket.id) ?? [], moves.get(ticket.id) ?? [], ticket.time_zone ?? DEFAULT_ZONE));
}

function groupBy<T extends { ticket_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(row.ticket_id);
    if (list) list.push(row);
    else groups.set(row.ticket_id, [row]);
  }
  return groups;
}

import { z } from 'zod';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { runMultiRow } from '../db/multi-row';
import { DEFAULT_STORE_ZONE } from '../sla/sla-store';
import { KpiColumns } from './kpi-columns';
import { FACT_COLUMNS, ticketFact, type FactEvent, type FactMove, type FactTicket, type TicketFact } from './ticket-fact';

/**
 * Tickets recomputed per write transaction. The refresh runs beside live traffic on one event
 * loop and one connection: 2,000 per chunk stalled API calls by up to 200 ms while a copy was
 * built (20,000 tickets, 2 cores); 250 keep each stall under ~30 ms, for a cold build a third
 * longer (more commits, each an fsync under synchronous = FULL).
 */
const CHUNK = 250;

/** Facts read per statement when the memory copy is loaded: 25,000 at once stalled the loop 150 ms. */
const LOAD_CHUNK = 2_500;
/** Loads of the copy that met another writer's change before one is consistent. */
const LOAD_ATTEMPTS = 3;

/**
 * The KPI facts table (migration 018) as a cache of ticketFact over the timeline, and its copy in
 * memory (kpi-columns.ts) that the reports read.
 *
 * Contract: the database marks in kpi_dirty every ticket whose fact may have changed (triggers on
 * new events and moves, on the row columns a fact reads, on a store's time zone, on a ticket's
 * deletion), so recomputing the marked tickets brings the table to what `rebuild` computes from
 * scratch. Each chunk computes, writes and unmarks its tickets in one write transaction that also
 * moves kpi_state.generation on: a mark made after that chunk's transaction stays for the next
 * refresh, and a refresh cut short leaves its tickets marked. The copy is changed only here, by the
 * chunk that was just committed, and loaded again whenever its generation is not the table's.
 * Refreshes, rebuilds and loads run one at a time.
 */
export class KpiFacts {
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private columns = new KpiColumns();

  constructor(private readonly db: ConsoleDatabase) {}

  /** Recomputes the marked tickets; returns how many. */
  refresh(): Promise<number> {
    return this.serialized(() => this.drain());
  }

  /**
   * The facts as of now, for one synchronous report: marked tickets recomputed first, the copy
   * loaded if it is not the table's. Read it before the next await: a later refresh changes it.
   */
  snapshot(): Promise<KpiColumns> {
    return this.serialized(async () => {
      await this.drain();
      if (this.columns.generation !== (await generationOf(this.db.sql))) this.columns = await this.load();
      return this.columns;
    });
  }

  /** Marks every ticket and computes them all again (kpi_facts emptied first). */
  rebuild(): Promise<number> {
    return this.serialized(async () => {
      const generation = await this.db.write(async (sql) => {
        await sql.run('DELETE FROM kpi_facts');
        await sql.run('INSERT OR IGNORE INTO kpi_dirty (ticket_id) SELECT id FROM tickets');
        return nextGeneration(sql);
      });
      if (this.columns.generation === generation - 1) this.columns.clear(generation);
      return this.drain();
    });
  }

  /** No chunk starts after this; resolves when the one running (if any) has committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** The copy in memory as it is now (never loads it): facts held and the bytes of their columns. */
  memory(): { facts: number; columnBytes: number; generation: number } {
    return { facts: this.columns.liveCount, columnBytes: this.columns.columnBytes, generation: this.columns.generation };
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
    // A read first: a report with nothing marked (the usual case) takes no write transaction.
    while (!this.stopped && (await this.db.sql.get<{ marked: number }>('SELECT EXISTS (SELECT 1 FROM kpi_dirty) AS marked'))?.marked === 1) {
      const chunk = await this.db.write(async (sql) => {
        const ids = (await sql.all<{ ticket_id: number }[]>('SELECT ticket_id FROM kpi_dirty ORDER BY ticket_id LIMIT ?', CHUNK)).map((row) => row.ticket_id);
        if (ids.length === 0) return null;
        const marks = ids.map(() => '?').join(',');
        const facts = await factsOf(sql, ids);
        await sql.run(`DELETE FROM kpi_facts WHERE ticket_id IN (${marks})`, ...ids);
        await runMultiRow(sql, `INSERT INTO kpi_facts (${FACT_COLUMNS.join(', ')})`, FACT_COLUMNS.length, facts.map((fact) => FACT_COLUMNS.map((column) => fact[column])));
        await sql.run(`DELETE FROM kpi_dirty WHERE ticket_id IN (${marks})`, ...ids);
        return { ids, facts, generation: await nextGeneration(sql) };
      });
      if (chunk === null) return done;
      this.apply(chunk);
      done += chunk.ids.length;
    }
    return done;
  }

  /** A committed chunk into the copy, if the copy was the table's just before it (else it is loaded again when read). */
  private apply({ ids, facts, generation }: { ids: readonly number[]; facts: readonly TicketFact[]; generation: number }): void {
    if (this.columns.generation !== generation - 1) return;
    const computed = new Set(facts.map((fact) => fact.ticket_id));
    for (const id of ids) if (!computed.has(id)) this.columns.remove(id);
    for (const fact of facts) this.columns.put(fact);
    this.columns.generation = generation;
  }

  /** kpi_facts read into a new copy, in chunks of ticket ids; again if another writer moved the generation meanwhile. */
  private async load(): Promise<KpiColumns> {
    for (let attempt = 1; ; attempt += 1) {
      const generation = await generationOf(this.db.sql);
      const columns = new KpiColumns();
      for (let after = 0; ;) {
        const raw = await this.db.sql.get<{ rows: unknown }>(
          `SELECT json_group_array(json_array(${FACT_COLUMNS.join(', ')})) AS rows
           FROM (SELECT * FROM kpi_facts WHERE ticket_id > ? ORDER BY ticket_id LIMIT ?)`,
          after, LOAD_CHUNK,
        );
        const facts = parseFactRows(raw?.rows);
        for (const fact of facts) columns.put(fact);
        if (facts.length < LOAD_CHUNK) break;
        after = facts[facts.length - 1]!.ticket_id;
      }
      if ((await generationOf(this.db.sql)) === generation) {
        columns.generation = generation;
        return columns;
      }
      if (attempt === LOAD_ATTEMPTS) throw new Error(`kpi_facts kept changing while being read (${LOAD_ATTEMPTS} attempts)`);
    }
  }
}

const GenerationRow = z.object({ generation: z.number().int() });

async function generationOf(sql: SqlConnection): Promise<number> {
  return GenerationRow.parse(await sql.get('SELECT generation FROM kpi_state WHERE id = 1')).generation;
}

/** Moves kpi_state.generation on, inside the transaction that writes kpi_facts; returns the new one. */
async function nextGeneration(sql: SqlConnection): Promise<number> {
  return GenerationRow.parse(await sql.get('UPDATE kpi_state SET generation = generation + 1 WHERE id = 1 RETURNING generation')).generation;
}

/**
 * kpi_facts rows as SQLite sends them: one JSON text, an array per fact in FACT_COLUMNS order (tens
 * of thousands of rows as one string instead of one N-API value per cell). The values are the
 * table's own columns, typed and CHECKed by it; the shape is checked here in a loop (a zod schema
 * per fact would cost more than the load).
 */
function parseFactRows(text: unknown): TicketFact[] {
  const rows: unknown = JSON.parse(z.string().parse(text));
  if (!Array.isArray(rows)) throw new Error('kpi_facts: unexpected rows');
  return rows.map((row: unknown) => {
    if (!Array.isArray(row) || row.length !== FACT_COLUMNS.length || typeof row[0] !== 'number') throw new Error('kpi_facts: unexpected row shape');
    const fact: Record<string, unknown> = {};
    for (let index = 0; index < FACT_COLUMNS.length; index += 1) fact[FACT_COLUMNS[index]!] = row[index];
    return fact as unknown as TicketFact;
  });
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
  return tickets.map((ticket) => ticketFact(ticket, events.get(ticket.id) ?? [], moves.get(ticket.id) ?? [], ticket.time_zone ?? DEFAULT_STORE_ZONE));
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

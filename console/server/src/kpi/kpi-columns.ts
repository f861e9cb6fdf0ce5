import type { TicketFact } from './ticket-fact';

// kpi_facts held in memory, one typed array per column (a column store), so that a KPI report is a
// loop over numbers instead of a read of every fact through SQLite: the p90s need every value of
// their group, and at 200,000 tickets reading them out of SQLite took seconds per report
// (measured: 0.9 s to build one JSON text of the facts, 0.4 s to parse it, 1.9–13 s per report
// over HTTP). About 60 bytes per ticket: 12 MB at 200,000 tickets.
//
// Contract: the arrays are a copy of kpi_facts at `generation` (kpi_state.generation, migration
// 020). Only kpi-facts.ts changes them: it loads them from the table and applies each chunk it
// writes in the same step as its transaction commits; any other change of the table (another
// process, a rebuild) moves the generation on, and the copy is loaded again.

/** The day number (days since 1970-01-01) of a YYYY-MM-DD day. */
export function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

/** The YYYY-MM-DD day of a day number. */
export function dayOfNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** A text column stored as small integers: each distinct value once. */
export class InternedTexts {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The id of a value already seen, else -1 (no fact has it). */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

/** The columns of a fact the copy holds (code and reopens are not reported). */
export type StoredFact = Omit<TicketFact, 'code' | 'reopens'>;

/** resolved_by as a number: 0 none, 1 an engineer, 2 the machine. */
export const RESOLVED_BY = { engineer: 1, machine: 2 } as const;
/** 0/1 columns that may be NULL store -1 for NULL; durations store NaN for NULL. */
const NO_FLAG = -1;
/** resolved_day NULL: a day number no date has. */
export const NO_DAY = -2_147_483_648;

const INITIAL_CAPACITY = 1_024;

type IntArray = Int32Array | Int8Array;
type Columns = {
  store: Int32Array; model: Int32Array; group: Int32Array; engineer: Int32Array;
  priority: Int8Array; symptom: Int8Array; live: Int8Array;
  openedDay: Int32Array; resolvedDay: Int32Array;
  reactSec: Float64Array; reactMet: Int8Array; resolveSec: Float64Array; resolveMet: Int8Array;
  resolvedBy: Int8Array; fcr: Int8Array; reassignments: Int32Array; escalations: Int32Array; overdue: Int8Array;
  faultSec: Float64Array;
};

function allocate(capacity: number): Columns {
  return {
    store: new Int32Array(capacity), model: new Int32Array(capacity), group: new Int32Array(capacity), engineer: new Int32Array(capacity),
    priority: new Int8Array(capacity), symptom: new Int8Array(capacity), live: new Int8Array(capacity),
    openedDay: new Int32Array(capacity), resolvedDay: new Int32Array(capacity),
    reactSec: new Float64Array(capacity), reactMet: new Int8Array(capacity), resolveSec: new Float64Array(capacity), resolveMet: new Int8Array(capacity),
    resolvedBy: new Int8Array(capacity), fcr: new Int8Array(capacity), reassignments: new Int32Array(capacity), escalations: new Int32Array(capacity),
    overdue: new Int8Array(capacity), faultSec: new Float64Array(capacity),
  };
}

const flag = (value: 0 | 1 | null): number => (value === null ? NO_FLAG : value);
const seconds = (value: number | null): number => (value === null ? Number.NaN : value);

/**
 * The facts the KPI report reads, by row. A ticket keeps its row for life: a fact computed again
 * overwrites it, a ticket gone clears `live`. Rows are read by index in [0, size).
 */
export class KpiColumns {
  readonly stores = new InternedTexts();
  readonly models = new InternedTexts();
  readonly groups = new InternedTexts();
  readonly engineers = new InternedTexts();
  /** kpi_state.generation this copy equals; -1 when never loaded. */
  generation = -1;
  private rows = new Map<number, number>();
  private columns = allocate(INITIAL_CAPACITY);
  private used = 0;

  /** Rows in use (live or not). */
  get size(): number {
    return this.used;
  }

  /** The columns, valid until the next write to this store: read them within one synchronous report. */
  get data(): Readonly<Columns> {
    return this.columns;
  }

  /** Bytes of the typed columns (allocated capacity; the ticket → row index is a Map beside them). */
  get columnBytes(): number {
    return Object.values(this.columns).reduce((bytes, column: ArrayBufferView) => bytes + column.byteLength, 0);
  }

  /** Tickets with a fact. */
  get liveCount(): number {
    let count = 0;
    for (let row = 0; row < this.used; row += 1) count += this.columns.live[row] ?? 0;
    return count;
  }

  /**
   * The live facts as held (the columns a report reads, NULLs back as null), by ticket id: for
   * checking the copy against kpi_facts, never for a report.
   */
  stored(): Map<number, StoredFact> {
    const c = this.columns;
    const facts = new Map<number, StoredFact>();
    const secOrNull = (value: number) => (Number.isNaN(value) ? null : value);
    const flagOrNull = (value: number) => (value === NO_FLAG ? null : (value as 0 | 1));
    for (const [ticketId, row] of this.rows) {
      if (c.live[row] !== 1) continue;
      const resolvedBy = c.resolvedBy[row] === RESOLVED_BY.engineer ? 'engineer' : c.resolvedBy[row] === RESOLVED_BY.machine ? 'machine' : null;
      facts.set(ticketId, {
        ticket_id: ticketId, store_id: this.stores.values[c.store[row]!]!, model: this.models.values[c.model[row]!]!,
        group_id: this.groups.values[c.group[row]!]!, engineer: this.engineers.values[c.engineer[row]!]!, priority: c.priority[row]!,
        symptom: c.symptom[row] as 0 | 1, opened_day: dayOfNumber(c.openedDay[row]!),
        resolved_day: c.resolvedDay[row] === NO_DAY ? null : dayOfNumber(c.resolvedDay[row]!),
        react_sec: secOrNull(c.reactSec[row]!), react_met: flagOrNull(c.reactMet[row]!),
        resolve_sec: secOrNull(c.resolveSec[row]!), resolve_met: flagOrNull(c.resolveMet[row]!), resolved_by: resolvedBy,
        fcr: flagOrNull(c.fcr[row]!), reassignments: c.reassignments[row]!, escalations: c.escalations[row]!,
        overdue: c.overdue[row] as 0 | 1, fault_to_ticket_sec: secOrNull(c.faultSec[row]!),
      });
    }
    return facts;
  }

  /** Forgets every fact (the next generation starts empty). */
  clear(generation: number): void {
    this.rows = new Map();
    this.columns = allocate(INITIAL_CAPACITY);
    this.used = 0;
    this.generation = generation;
  }

  /** Writes a ticket's fact: its own row, or a new one. */
  put(fact: TicketFact): void {
    const row = this.rowOf(fact.ticket_id);
    const c = this.columns;
    c.store[row] = this.stores.idOf(fact.store_id);
    c.model[row] = this.models.idOf(fact.model);
    c.group[row] = this.groups.idOf(fact.group_id);
    c.engineer[row] = this.engineers.idOf(fact.engineer);
    c.priority[row] = fact.priority;
    c.symptom[row] = fact.symptom;
    c.live[row] = 1;
    c.openedDay[row] = dayNumber(fact.opened_day);
    c.resolvedDay[row] = fact.resolved_day === null ? NO_DAY : dayNumber(fact.resolved_day);
    c.reactSec[row] = seconds(fact.react_sec);
    c.reactMet[row] = flag(fact.react_met);
    c.resolveSec[row] = seconds(fact.resolve_sec);
    c.resolveMet[row] = flag(fact.resolve_met);
    c.resolvedBy[row] = fact.resolved_by === null ? 0 : RESOLVED_BY[fact.resolved_by];
    c.fcr[row] = flag(fact.fcr);
    c.reassignments[row] = fact.reassignments;
    c.escalations[row] = fact.escalations;
    c.overdue[row] = fact.overdue;
    c.faultSec[row] = seconds(fact.fault_to_ticket_sec);
  }

  /** The ticket no longer has a fact (its row stays, not live). */
  remove(ticketId: number): void {
    const row = this.rows.get(ticketId);
    if (row !== undefined) this.columns.live[row] = 0;
  }

  private rowOf(ticketId: number): number {
    const known = this.rows.get(ticketId);
    if (known !== undefined) return known;
    if (this.used === this.columns.live.length) this.grow();
    const row = this.used;
    this.used += 1;
    this.rows.set(ticketId, row);
    return row;
  }

  private grow(): void {
    const larger = allocate(this.columns.live.length * 2);
    for (const name of Object.keys(larger) as (keyof Columns)[]) (larger[name] as IntArray | Float64Array).set(this.columns[name]);
    this.columns = larger;
  }
}

import type { KpiDuration, KpiFigures, KpiReport, KpiRow, KpiSlice } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { bucketOf, bucketsOf, rangeOf, type ParsedKpiQuery } from '../kpi/kpi-report';

// The test oracle of the KPI report (kpi/kpi-report.ts): the report as it was first written, every
// fact of the range read out of kpi_facts as one JSON text and summed here value by value, p90 from
// the sorted values. Seconds on 200,000 tickets, plainly right: the column-store report must give
// what this gives (kpi-report.property.test.ts).

/** The columns read per fact, in this order (a JSON array per fact, built by SQLite). */
const COLUMNS = ['slice', 'opened_day', 'resolved_day', 'react_sec', 'react_met', 'resolve_sec', 'resolve_met', 'resolved_by', 'fcr',
  'reassignments', 'escalations', 'overdue', 'fault_to_ticket_sec'] as const;
type FactRow = [
  slice: string, openedDay: string, resolvedDay: string | null, reactSec: number | null, reactMet: number | null, resolveSec: number | null,
  resolveMet: number | null, resolvedBy: string | null, fcr: number | null, reassignments: number, escalations: number, overdue: number,
  faultToTicketSec: number | null,
];
/**
 * The facts as SQLite sends them: one JSON text, an array per fact (a few hundred thousand values
 * as one string instead of one N-API value each). The values are kpi_facts' own columns, typed and
 * CHECKed by the table; the shape is checked here in a loop (a zod schema per fact would cost more
 * than the whole report).
 */
function parseFacts(text: unknown): FactRow[] {
  const facts: unknown = JSON.parse(z.string().parse(text));
  if (!Array.isArray(facts) || !facts.every((fact) => Array.isArray(fact) && fact.length === COLUMNS.length)) {
    throw new Error('kpi_facts: unexpected row shape');
  }
  return facts as FactRow[];
}

const SLICE_COLUMN: Record<KpiSlice, string> = { none: "''", store: 'store_id', model: 'model', group: 'group_id', engineer: 'engineer' };

/** Figures being summed: durations keep every value for their percentile. */
class Accumulator {
  opened = 0;
  resolved = 0;
  readonly react: number[] = [];
  reactMet = 0;
  readonly resolve: number[] = [];
  resolveMet = 0;
  fcr = 0;
  fcrOf = 0;
  auto = 0;
  overdue = 0;
  reassignments = 0;
  escalations = 0;
  readonly fault: number[] = [];

  addOpened([, , , reactSec, reactMet, , , , , reassignments, escalations, overdue, faultSec]: FactRow): void {
    this.opened += 1;
    if (reactSec !== null) {
      this.react.push(reactSec);
      this.reactMet += reactMet ?? 0;
    }
    this.overdue += overdue;
    this.reassignments += reassignments;
    this.escalations += escalations;
    if (faultSec !== null) this.fault.push(faultSec);
  }

  addResolved([, , , , , resolveSec, resolveMet, resolvedBy, fcr]: FactRow): void {
    this.resolved += 1;
    if (resolveSec !== null) {
      this.resolve.push(resolveSec);
      this.resolveMet += resolveMet ?? 0;
    }
    if (resolvedBy === 'machine') this.auto += 1;
    if (fcr !== null) {
      this.fcrOf += 1;
      this.fcr += fcr;
    }
  }

  figures(): KpiFigures {
    return {
      opened: this.opened,
      resolved: this.resolved,
      reaction: duration(this.react, this.reactMet),
      resolution: duration(this.resolve, this.resolveMet),
      firstContact: { count: this.fcr, of: this.fcrOf, share: share(this.fcr, this.fcrOf) },
      autoResolved: { count: this.auto, share: share(this.auto, this.resolved) },
      overdue: this.overdue,
      reassignments: this.reassignments,
      escalations: this.escalations,
      faultToTicket: duration(this.fault, null),
    };
  }
}

/** Nearest rank, by definition: the value at rank ⌈0.9·n⌉ of the sorted values. */
export function p90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1] ?? null;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function duration(values: readonly number[], met: number | null): KpiDuration {
  const count = values.length;
  return {
    count,
    meanSec: count === 0 ? null : values.reduce((sum, value) => sum + value, 0) / count,
    p90Sec: p90(values),
    metShare: met === null ? null : share(met, count),
  };
}

function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function filtersOf(query: ParsedKpiQuery): { where: string[]; params: unknown[] } {
  const where: string[] = ['symptom = 0'];
  const params: unknown[] = [];
  const add = (column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  add('store_id', query.storeId);
  add('model', query.model);
  add('group_id', query.group);
  add('engineer', query.engineer);
  add('priority', query.priority);
  return { where, params };
}

/**
 * The report of a parsed query (KpiQuery) over the facts as they are. `cells`: also the bucket ×
 * slice rows (the CSV's); `limit` caps the breakdown (CSV: no cap).
 */
export async function kpiReportOracle(sql: SqlConnection, query: ParsedKpiQuery, now: Date, { cells = query.cells, limit = query.limit } = {}): Promise<KpiReport> {
  const { from, to } = rangeOf(query, now);
  const { where, params } = filtersOf(query);
  const columns = COLUMNS.map((column) => (column === 'slice' ? SLICE_COLUMN[query.slice] : column)).join(', ');
  const raw = await sql.get<{ rows: unknown }>(
    `SELECT json_group_array(json_array(${columns})) AS rows
     FROM kpi_facts WHERE (opened_day BETWEEN ? AND ? OR resolved_day BETWEEN ? AND ?) AND ${where.join(' AND ')}`,
    from, to, from, to, ...params,
  );
  const facts = parseFacts(raw?.rows ?? '[]');
  const perBucket = new Map(bucketsOf(from, to, query.bucket).map((start) => [start, new Accumulator()]));
  const total = new Accumulator();
  const perSlice = new Map<string, Accumulator>();
  const perCell = new Map<string, { bucket: string; key: string; sums: Accumulator }>();
  const bucketStarts = new Map<string, string>();
  const targets = (day: string, key: string) => {
    const bucket = entry(bucketStarts, day, () => bucketOf(day, query.bucket));
    const sums = [total, perBucket.get(bucket), entry(perSlice, key, () => new Accumulator())];
    if (cells) sums.push(entry(perCell, `${bucket}\u0000${key}`, () => ({ bucket, key, sums: new Accumulator() })).sums);
    return sums.filter((found) => found !== undefined);
  };
  for (const fact of facts) {
    const [key, openedDay, resolvedDay] = fact;
    if (openedDay >= from && openedDay <= to) for (const sums of targets(openedDay, key)) sums.addOpened(fact);
    if (resolvedDay !== null && resolvedDay >= from && resolvedDay <= to) for (const sums of targets(resolvedDay, key)) sums.addResolved(fact);
  }
  const rowOf = (bucket: string, key: string, sums: Accumulator): KpiRow => ({ bucket, key, ...sums.figures() });
  const breakdown = [...perSlice].sort(([keyA, a], [keyB, b]) => b.opened - a.opened || b.resolved - a.resolved || keyA.localeCompare(keyB));
  return {
    from, to, bucket: query.bucket, slice: query.slice,
    total: rowOf(from, '', total),
    buckets: [...perBucket].map(([bucket, sums]) => rowOf(bucket, '', sums)),
    breakdown: breakdown.slice(0, limit).map(([key, sums]) => rowOf(from, key, sums)),
    breakdownTotal: breakdown.length,
    rows: [...perCell.values()].map(({ bucket, key, sums }) => rowOf(bucket, key, sums))
      .sort((a, b) => a.bucket.localeCompare(b.bucket) || a.key.localeCompare(b.key)),
  };
}

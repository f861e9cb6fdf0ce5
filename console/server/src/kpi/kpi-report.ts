import { DateTime } from 'luxon';
import { KpiQuery, type KpiBucket, type KpiReport, type KpiRow, type KpiSlice } from '@tillscope/shared';
import { z } from 'zod';
import { dayNumber, type KpiColumns } from './kpi-columns';
import { LevelFigures } from './kpi-levels';

// The KPI report over the facts held in memory (kpi-columns.ts); which day a ticket counts on, and
// why, is in shared/src/kpi-api.ts. One pass over the rows finds the facts opened and resolved in
// the range; each is then added to the total, its bucket, its slice value and (CSV) its bucket ×
// slice cell (kpi-levels.ts: typed arrays per level, p90 selected in place). A test oracle
// (test-support/kpi-report-oracle.ts, the first report: every fact read out of SQLite, summed in
// JavaScript arrays) must give the same (kpi-report.property.test.ts).

export type ParsedKpiQuery = z.output<typeof KpiQuery>;

const DEFAULT_DAYS = 30;

/** The first day of the bucket a store day falls in (weeks start on Monday). */
export function bucketOf(day: string, bucket: KpiBucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  return DateTime.fromISO(day, { zone: 'utc' }).startOf('week').toISODate() ?? day;
}

/** Every bucket start of the range, in order. */
export function bucketsOf(from: string, to: string, bucket: KpiBucket): string[] {
  const starts: string[] = [];
  const unit = { day: 'days', week: 'weeks', month: 'months' } as const;
  for (let at = DateTime.fromISO(bucketOf(from, bucket), { zone: 'utc' }); (at.toISODate() ?? '') <= to; at = at.plus({ [unit[bucket]]: 1 })) {
    starts.push(at.toISODate() ?? '');
  }
  return starts;
}

/** The range a query asks for: its own, or the last DEFAULT_DAYS days up to today (UTC). */
export function rangeOf(query: ParsedKpiQuery, now: Date): { from: string; to: string } {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? DateTime.fromISO(to, { zone: 'utc' }).minus({ days: DEFAULT_DAYS - 1 }).toISODate() ?? to;
  return { from, to };
}

/** Per day of the range (day number − first day): the index of its bucket in `starts`. */
function bucketIndexByDay(from: string, to: string, starts: readonly string[], bucket: KpiBucket): Int32Array {
  const first = dayNumber(from);
  const byDay = new Int32Array(dayNumber(to) - first + 1);
  const indexOf = new Map(starts.map((start, index) => [start, index]));
  for (let offset = 0; offset < byDay.length; offset += 1) {
    byDay[offset] = indexOf.get(bucketOf(new Date((first + offset) * 86_400_000).toISOString().slice(0, 10), bucket)) ?? 0;
  }
  return byDay;
}

/** The column and the interned value each filter of the query asks for (-1: no fact has it). */
function filtersOf(facts: KpiColumns, query: ParsedKpiQuery): [column: ArrayLike<number>, value: number][] {
  const c = facts.data;
  const filters: [ArrayLike<number>, number][] = [];
  if (query.storeId !== undefined) filters.push([c.store, facts.stores.find(query.storeId)]);
  if (query.model !== undefined) filters.push([c.model, facts.models.find(query.model)]);
  if (query.group !== undefined) filters.push([c.group, facts.groups.find(query.group)]);
  if (query.engineer !== undefined) filters.push([c.engineer, facts.engineers.find(query.engineer)]);
  if (query.priority !== undefined) filters.push([c.priority, query.priority]);
  return filters;
}

/** The column a slice groups by and its texts; `none`: one group, ''. */
function sliceOf(facts: KpiColumns, slice: KpiSlice): { column: ArrayLike<number> | null; texts: readonly string[] } {
  const c = facts.data;
  if (slice === 'store') return { column: c.store, texts: facts.stores.values };
  if (slice === 'model') return { column: c.model, texts: facts.models.values };
  if (slice === 'group') return { column: c.group, texts: facts.groups.values };
  if (slice === 'engineer') return { column: c.engineer, texts: facts.engineers.values };
  return { column: null, texts: [''] };
}

/** The facts counted in a report: for each, its row and the bucket of its day (one list for opening days, one for resolution days). */
interface Events {
  rows: Int32Array;
  buckets: Int32Array;
  length: number;
}

function events(capacity: number): Events {
  return { rows: new Int32Array(capacity), buckets: new Int32Array(capacity), length: 0 };
}

function push(list: Events, row: number, bucket: number): void {
  list.rows[list.length] = row;
  list.buckets[list.length] = bucket;
  list.length += 1;
}

/** The facts the query counts, opened and resolved in its range. */
function eventsOf(facts: KpiColumns, query: ParsedKpiQuery, from: string, to: string, bucketByDay: Int32Array): { opened: Events; resolved: Events } {
  const c = facts.data;
  const first = dayNumber(from);
  const last = dayNumber(to);
  const filters = filtersOf(facts, query);
  const opened = events(facts.size);
  const resolved = events(facts.size);
  rows: for (let row = 0; row < facts.size; row += 1) {
    if (c.live[row] !== 1 || c.symptom[row] === 1) continue;
    for (const [column, value] of filters) if (column[row] !== value) continue rows;
    const openedDay = c.openedDay[row]!;
    if (openedDay >= first && openedDay <= last) push(opened, row, bucketByDay[openedDay - first]!);
    const resolvedDay = c.resolvedDay[row]!;
    if (resolvedDay >= first && resolvedDay <= last) push(resolved, row, bucketByDay[resolvedDay - first]!);
  }
  return { opened, resolved };
}

/** A level's group of each event of each list: the level's figures are indexed by it. */
interface Grouping {
  groups: number;
  opened: Int32Array;
  resolved: Int32Array;
}

/** Pass 1, layout, pass 2 over every event, for every level (plain loops over typed arrays: the hot path of a report). */
function sum(c: KpiColumns['data'], lists: { opened: Events; resolved: Events }, levels: readonly Grouping[]): LevelFigures[] {
  const { opened, resolved } = lists;
  return levels.map(({ groups, opened: openedGroup, resolved: resolvedGroup }) => {
    const figures = new LevelFigures(groups);
    for (let event = 0; event < opened.length; event += 1) figures.addOpened(openedGroup[event]!, c, opened.rows[event]!);
    for (let event = 0; event < resolved.length; event += 1) figures.addResolved(resolvedGroup[event]!, c, resolved.rows[event]!);
    figures.layout();
    for (let event = 0; event < opened.length; event += 1) figures.placeOpened(openedGroup[event]!, c, opened.rows[event]!);
    for (let event = 0; event < resolved.length; event += 1) figures.placeResolved(resolvedGroup[event]!, c, resolved.rows[event]!);
    return figures;
  });
}

/** Bucket × slice value pairs up to this many are looked up in an array; beyond, in a Map. */
const DENSE_CELLS = 4_194_304;

/** Dense ids of the bucket × slice cells the events fall in, and each cell's bucket and slice value. */
function cellsOf(lists: { opened: Events; resolved: Events }, keys: { opened: Int32Array; resolved: Int32Array }, bucketCount: number, keyCount: number) {
  const buckets: number[] = [];
  const sliceKeys: number[] = [];
  const slots = bucketCount * keyCount;
  const byArray = slots <= DENSE_CELLS ? new Int32Array(slots).fill(-1) : null;
  const byMap = new Map<number, number>();
  const idsOf = (list: Events, listKeys: Int32Array) => {
    const ids = new Int32Array(list.length);
    for (let event = 0; event < list.length; event += 1) {
      const packed = list.buckets[event]! * keyCount + listKeys[event]!;
      let id = byArray ? byArray[packed]! : (byMap.get(packed) ?? -1);
      if (id === -1) {
        id = buckets.length;
        if (byArray) byArray[packed] = id;
        else byMap.set(packed, id);
        buckets.push(list.buckets[event]!);
        sliceKeys.push(listKeys[event]!);
      }
      ids[event] = id;
    }
    return ids;
  };
  const opened = idsOf(lists.opened, keys.opened);
  const resolved = idsOf(lists.resolved, keys.resolved);
  return { groups: buckets.length, opened, resolved, buckets, keys: sliceKeys };
}

/**
 * Cells in the CSV's order: by bucket, then by slice value (the rank of its text among the used
 * ones). Each cell's place, bucket × ranks + rank, is its own: up to DENSE_CELLS places, the cells
 * are put at their places and read back in order (no comparator: a sort calling one took a third of
 * a 90,000-line CSV); beyond, sorted by place.
 */
function cellOrder(cells: { buckets: readonly number[]; keys: readonly number[] }, keyRank: Int32Array, rankCount: number, bucketCount: number): Int32Array {
  const placeOf = (id: number) => cells.buckets[id]! * rankCount + keyRank[cells.keys[id]!]!;
  const count = cells.buckets.length;
  if (bucketCount * rankCount > DENSE_CELLS) {
    return Int32Array.from({ length: count }, (_, id) => id).sort((a, b) => placeOf(a) - placeOf(b));
  }
  const byPlace = new Int32Array(bucketCount * rankCount).fill(-1);
  for (let id = 0; id < count; id += 1) byPlace[placeOf(id)] = id;
  const order = new Int32Array(count);
  let next = 0;
  for (const id of byPlace) if (id !== -1) order[next++] = id;
  return order;
}

/**
 * The report of a parsed query (KpiQuery) over the facts as they are, with `rows` left empty, and
 * its bucket × slice rows as a generator (`cells`), made one by one as they are read: a CSV of
 * 100,000 rows then never holds them all. Synchronous up to the generator, so no write to `facts`
 * can land mid-report; read the rows before the next await. `limit` caps the breakdown.
 */
export function kpiReportAndCells(facts: KpiColumns, query: ParsedKpiQuery, now: Date, { cells = query.cells, limit = query.limit } = {}): { report: KpiReport; cells: () => Generator<KpiRow> } {
  const { from, to } = rangeOf(query, now);
  const starts = bucketsOf(from, to, query.bucket);
  const lists = eventsOf(facts, query, from, to, bucketIndexByDay(from, to, starts, query.bucket));
  const slice = sliceOf(facts, query.slice);
  const keysOf = (list: Events) => {
    const keys = new Int32Array(list.length);
    if (slice.column) for (let event = 0; event < list.length; event += 1) keys[event] = slice.column[list.rows[event]!]!;
    return keys;
  };
  const keys = { opened: keysOf(lists.opened), resolved: keysOf(lists.resolved) };
  const levels: Grouping[] = [
    { groups: 1, opened: new Int32Array(lists.opened.length), resolved: new Int32Array(lists.resolved.length) },
    { groups: starts.length, opened: lists.opened.buckets, resolved: lists.resolved.buckets },
    { groups: slice.texts.length, ...keys },
  ];
  const cellIds = cells ? cellsOf(lists, keys, starts.length, slice.texts.length) : null;
  if (cellIds) levels.push(cellIds);
  const [total, perBucket, perSlice, perCell] = sum(facts.data, lists, levels) as [LevelFigures, LevelFigures, LevelFigures, LevelFigures?];

  const collator = new Intl.Collator(); // what String.prototype.localeCompare compares with, made once
  const rowOf = (bucket: string, key: string, figures: LevelFigures, group: number): KpiRow => figures.row(bucket, key, group);
  const used = [...slice.texts.keys()].filter((key) => perSlice.opened[key]! + perSlice.resolved[key]! > 0);
  const breakdown = [...used].sort((a, b) => perSlice.opened[b]! - perSlice.opened[a]! || perSlice.resolved[b]! - perSlice.resolved[a]!
    || collator.compare(slice.texts[a]!, slice.texts[b]!));
  function* cellRows(): Generator<KpiRow> {
    if (!cellIds || !perCell) return;
    const keyRank = new Int32Array(slice.texts.length);
    [...used].sort((a, b) => collator.compare(slice.texts[a]!, slice.texts[b]!)).forEach((key, rank) => (keyRank[key] = rank));
    for (const id of cellOrder(cellIds, keyRank, used.length, starts.length)) yield rowOf(starts[cellIds.buckets[id]!]!, slice.texts[cellIds.keys[id]!]!, perCell, id);
  }
  const report: KpiReport = {
    from, to, bucket: query.bucket, slice: query.slice,
    total: rowOf(from, '', total, 0),
    buckets: starts.map((start, index) => rowOf(start, '', perBucket, index)),
    breakdown: breakdown.slice(0, limit).map((key) => rowOf(from, slice.texts[key]!, perSlice, key)),
    breakdownTotal: breakdown.length,
    rows: [],
  };
  return { report, cells: cellRows };
}

/** The report of a parsed query (KpiQuery), `cells`: with the bucket × slice rows (kpiReportAndCells). */
export function kpiReport(facts: KpiColumns, query: ParsedKpiQuery, now: Date, options: { cells?: boolean; limit?: number } = {}): KpiReport {
  const { report, cells } = kpiReportAndCells(facts, query, now, options);
  return { ...report, rows: [...cells()] };
}

import { GroupId, KpiBucket, KpiSlice, StoreId } from '@tillscope/shared';
import { DateTime } from 'luxon';

/** The ranges the KPI page offers: the last N days, today included. */
export const KPI_RANGES = [7, 30, 90, 180, 365] as const;
export type KpiRange = (typeof KPI_RANGES)[number];

/** What the KPI page (`#/kpi`) shows; every field is in the URL and is a server parameter of GET /api/kpi. */
export interface KpiFilter {
  days: KpiRange;
  bucket: KpiBucket;
  slice: KpiSlice;
  storeId: string | null;
  group: string | null;
}

export const DEFAULT_KPI_FILTER: Readonly<KpiFilter> = Object.freeze({ days: 30, bucket: 'day', slice: 'store', storeId: null, group: null });

/** Reads a KPI filter from URL parameters; anything unknown or malformed falls back to the default. */
export function parseKpiFilter(params: URLSearchParams): KpiFilter {
  const bucket = KpiBucket.safeParse(params.get('bucket'));
  const slice = KpiSlice.safeParse(params.get('slice'));
  const store = StoreId.safeParse(params.get('store'));
  const group = GroupId.safeParse(params.get('group'));
  const days = KPI_RANGES.find((range) => String(range) === params.get('days'));
  const filter: KpiFilter = {
    days: days ?? DEFAULT_KPI_FILTER.days,
    bucket: bucket.success ? bucket.data : DEFAULT_KPI_FILTER.bucket,
    slice: slice.success ? slice.data : DEFAULT_KPI_FILTER.slice,
    storeId: store.success ? store.data : null,
    group: group.success ? group.data : null,
  };
  return { ...filter, bucket: bucketFor(filter.days, filter.bucket) };
}

/** A year by day is 365 bars: the server takes up to 400, but the page switches to weeks beyond 180 days. */
export function bucketFor(days: KpiRange, bucket: KpiBucket): KpiBucket {
  return days > 180 && bucket === 'day' ? 'week' : bucket;
}

/** Writes only what differs from the default, in a fixed order, so equal views have equal URLs. */
export function kpiFilterToParams(filter: KpiFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.days !== DEFAULT_KPI_FILTER.days) params.set('days', String(filter.days));
  if (filter.bucket !== DEFAULT_KPI_FILTER.bucket) params.set('bucket', filter.bucket);
  if (filter.slice !== DEFAULT_KPI_FILTER.slice) params.set('slice', filter.slice);
  if (filter.storeId) params.set('store', filter.storeId);
  if (filter.group) params.set('group', filter.group);
  return params;
}

/** The query of GET /api/kpi (and /api/kpi.csv) for the filter, on the viewer's `today` (YYYY-MM-DD). */
export function kpiFilterToApiQuery(filter: KpiFilter, today: string): string {
  const params = new URLSearchParams({ from: minusDays(today, filter.days - 1), to: today, bucket: filter.bucket, slice: filter.slice });
  if (filter.storeId) params.set('storeId', filter.storeId);
  if (filter.group) params.set('group', filter.group);
  return params.toString();
}

/** The viewer's local calendar day (YYYY-MM-DD). */
export function localDay(now: Date): string {
  return DateTime.fromJSDate(now).toISODate() ?? now.toISOString().slice(0, 10);
}

function minusDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'utc' }).minus({ days }).toISODate() ?? day;
}

/** The CSV download of the filter's report (a plain link: the session cookie goes with it). */
export function kpiCsvHref(filter: KpiFilter, today: string, delimiter: 'comma' | 'semicolon'): string {
  const query = kpiFilterToApiQuery(filter, today);
  return `/api/kpi.csv?${query}${delimiter === 'comma' ? '' : '&delimiter=semicolon'}`;
}

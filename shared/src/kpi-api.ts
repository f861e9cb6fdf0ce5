import { z } from 'zod';
import { GroupId } from './catalogue/service';
import { StoreId } from './protocol/agent-messages';

// REST shapes of the support KPIs (issue 12): GET /api/kpi and /api/kpi.csv (docs/api.md "KPIs").
// The figures come from a derived table of one fact per ticket, computed from its timeline.
//
// Which day a ticket counts on (days are the store's own, in its time zone):
// - its OPENING day: opened, reaction time and reaction met, overdue, reassignments, escalations,
//   fault-to-ticket time;
// - its RESOLUTION day (the last resolution not undone by a reopening): resolved, resolution time
//   and resolution met, first-contact resolution, resolved on its own.
// Times are elapsed (wall-clock) time as the store lived it; "met" compares with the ticket's SLA
// due dates, which are business time (store hours, holidays, pauses). A store incident's symptom
// tickets are left out: the incident counts once.

const isoDay = z.iso.date();

export const KpiBucket = z.enum(['day', 'week', 'month']);
export type KpiBucket = z.infer<typeof KpiBucket>;

export const KpiSlice = z.enum(['none', 'store', 'model', 'group', 'engineer']);
export type KpiSlice = z.infer<typeof KpiSlice>;

/** Most buckets one report may have (a year by day, ten years by week, …). */
export const KPI_MAX_BUCKETS = 400;

const DAY_MS = 86_400_000;

/** GET /api/kpi and /api/kpi.csv: `from`/`to` inclusive store days (default: the last 30 days to today, UTC). */
export const KpiQuery = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    bucket: KpiBucket.default('day'),
    slice: KpiSlice.default('none'),
    storeId: StoreId.optional(),
    model: z.string().max(128).optional(),
    group: GroupId.optional(),
    engineer: z.string().max(64).optional(),
    priority: z.coerce.number().int().min(1).max(4).optional(),
    /** JSON only: also the bucket × slice `rows` (the CSV always has them) */
    cells: z.stringbool().default(false),
    /** JSON only: at most this many `breakdown` rows, most opened first (`breakdownTotal` says how many there are) */
    limit: z.coerce.number().int().min(1).max(100_000).default(200),
    /** CSV only: `comma` (RFC 4180) or `semicolon` (Excel with a Russian locale) */
    delimiter: z.enum(['comma', 'semicolon']).default('comma'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from is after to', path: ['from'] })
  .refine(
    (query) => {
      if (!query.from || !query.to) return true;
      const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
      const perBucket = { day: 1, week: 7, month: 28 }[query.bucket];
      return days / perBucket <= KPI_MAX_BUCKETS;
    },
    { message: `more than ${KPI_MAX_BUCKETS} buckets: choose a shorter range or a longer bucket`, path: ['bucket'] },
  );
export type KpiQuery = z.input<typeof KpiQuery>;

/** A duration figure over the tickets that have it: seconds; null without any. */
export const KpiDuration = z.object({
  count: z.number().int().nonnegative(),
  meanSec: z.number().nonnegative().nullable(),
  /** nearest-rank 90th percentile: the smallest value with at least 90 % of the values at or below it */
  p90Sec: z.number().nonnegative().nullable(),
  /** share of them within the SLA target (0–1); null without any (fault-to-ticket has no target: null) */
  metShare: z.number().min(0).max(1).nullable(),
});
export type KpiDuration = z.infer<typeof KpiDuration>;

export const KpiFigures = z.object({
  opened: z.number().int().nonnegative(),
  /** resolved (by an engineer or on its own), whether or not the cashier confirmed it since */
  resolved: z.number().int().nonnegative(),
  reaction: KpiDuration,
  resolution: KpiDuration,
  /** tickets resolved by an engineer with no reassignment, no escalation and no reopening ÷ tickets resolved by an engineer */
  firstContact: z.object({ count: z.number().int().nonnegative(), of: z.number().int().nonnegative(), share: z.number().min(0).max(1).nullable() }),
  /** tickets resolved by the machine (the fault cleared, or its store incident ended) ÷ resolved */
  autoResolved: z.object({ count: z.number().int().nonnegative(), share: z.number().min(0).max(1).nullable() }),
  /** opened tickets whose resolution clock ran out (resolved late, or still open with its breach on the timeline) */
  overdue: z.number().int().nonnegative(),
  reassignments: z.number().int().nonnegative(),
  escalations: z.number().int().nonnegative(),
  /** the console's first sighting of the fault → the ticket opened (the hold), for tickets that have it */
  faultToTicket: KpiDuration,
});
export type KpiFigures = z.infer<typeof KpiFigures>;

export const KpiRow = KpiFigures.extend({
  /** the bucket's first day (a week starts on Monday); the range's `from` in the breakdown */
  bucket: isoDay,
  /** the slice's value: store id, model, group id, engineer; '' for none (no model, no engineer, or slice=none) */
  key: z.string(),
});
export type KpiRow = z.infer<typeof KpiRow>;

export const KpiReport = z.object({
  from: isoDay,
  to: isoDay,
  bucket: KpiBucket,
  slice: KpiSlice,
  /** the whole range, all slices together (bucket: `from`, key ''): the figures at the top of the page */
  total: KpiRow,
  /** one row per bucket (every bucket of the range, empty ones too), all slices together: the charts */
  buckets: z.array(KpiRow),
  /** one row per slice value over the whole range, most opened first (up to `limit`): the breakdown table */
  breakdown: z.array(KpiRow),
  breakdownTotal: z.number().int().nonnegative(),
  /** one row per bucket and slice value that has tickets (with `cells=1`, and in the CSV; else empty) */
  rows: z.array(KpiRow),
});
export type KpiReport = z.infer<typeof KpiReport>;

/** POST /api/kpi/rebuild (admin): the facts recomputed from the whole timeline. */
export const KpiRebuildResult = z.object({ tickets: z.number().int().nonnegative() });
export type KpiRebuildResult = z.infer<typeof KpiRebuildResult>;

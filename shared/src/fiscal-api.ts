import { z } from 'zod';
import { StoreId } from './protocol/agent-messages';
import { FnWarnings, ShiftState } from './protocol/fiscal';

// REST shapes of the fiscal forecast (docs/api.md "Fiscal forecast"): the date a fiscal register's
// sales will be blocked, each part of it with its evidence, the facts it was computed from, and the
// fiscal drives (ФН) to replace. The console computes them (console/server/src/fiscal/); the
// renderer shows them. Every device string here came from a register: bounded, shown as text.

const deviceText = z.string().max(200);
const when = z.iso.datetime();

/**
 * What blocks sales at a part's date:
 * - `fn_validity`: the FN's key validity ends (its validUntil);
 * - `ofd_lock`: 30 days after the first document the OFD has not confirmed, the FN stops signing;
 * - `archive_full`: the FN archive reaches its capacity at the current document rate;
 * - `shift_expired`: the shift is past 24 hours (already blocked until it is closed).
 */
export const BlockingReason = z.enum(['fn_validity', 'ofd_lock', 'archive_full', 'shift_expired']);
export type BlockingReason = z.infer<typeof BlockingReason>;

/** The reasons that are the fiscal drive's own end, hence a reason to replace it (the replacement list). */
export const ReplaceReason = BlockingReason.extract(['fn_validity', 'archive_full']);
export type ReplaceReason = z.infer<typeof ReplaceReason>;

/** Each part carries the facts it was computed from; `readAt` is when the register reported them. */
export const ForecastPart = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('fn_validity'), at: when, readAt: when, validUntil: when, fnSerial: deviceText.nullable() }),
  z.object({
    reason: z.literal('ofd_lock'),
    at: when,
    readAt: when,
    firstUnsentAt: when,
    firstUnsentNumber: z.number().int().nonnegative().nullable(),
    unsentCount: z.number().int().nonnegative(),
    lockDays: z.number().positive(),
  }),
  z.object({
    reason: z.literal('archive_full'),
    at: when,
    readAt: when,
    lastDocumentNumber: z.number().int().nonnegative(),
    capacity: z.number().int().positive(),
    documentsPerDay: z.number().nonnegative(),
    /** The rate's reference: the first reading of this FN (number and time). */
    referenceNumber: z.number().int().nonnegative(),
    referenceAt: when,
  }),
  z.object({ reason: z.literal('shift_expired'), at: when, readAt: when, shiftNumber: z.number().int().nonnegative().nullable(), openedAt: when.nullable() }),
]);
export type ForecastPart = z.infer<typeof ForecastPart>;

/**
 * Why a part is missing or what else the forecast knows:
 * - `no_fn`: the register reported no fiscal drive facts;
 * - `no_validity`: the FN's validity date was not reported;
 * - `no_rate`: no document rate yet (needs two readings of the same FN some hours apart; `since` = first reading);
 * - `no_documents`: no document since the first reading: the archive part is left out;
 * - `archive_far`: the archive would last more than ten years at the current rate;
 * - `archive_nearly_full`: the FN says its archive is 90 % full (shown with or without a rate).
 */
export const ForecastNoteCode = z.enum(['no_fn', 'no_validity', 'no_rate', 'no_documents', 'archive_far', 'archive_nearly_full']);
export type ForecastNoteCode = z.infer<typeof ForecastNoteCode>;

export const ForecastNote = z.object({ code: ForecastNoteCode, since: when.optional() });
export type ForecastNote = z.infer<typeof ForecastNote>;

/** One fiscal device's forecast: the earliest part wins; `blockingAt` null when no part could be computed. */
export const FiscalForecast = z.object({
  blockingAt: when.nullable(),
  reason: BlockingReason.nullable(),
  /** Every part that could be computed, earliest first. */
  parts: z.array(ForecastPart).max(8),
  notes: z.array(ForecastNote).max(8),
  computedAt: when,
});
export type FiscalForecast = z.infer<typeof FiscalForecast>;

/** The latest fiscal facts of one device, as the console keeps them (each part from the last report that had it). */
export const FiscalDeviceState = z.object({
  fn: z.object({
    readAt: when,
    serial: deviceText.nullable(),
    validUntil: when.nullable(),
    phase: deviceText.nullable(),
    ffdVersion: deviceText.nullable(),
    lastDocumentNumber: z.number().int().nonnegative().nullable(),
    warnings: FnWarnings.nullable(),
  }).nullable(),
  ofd: z.object({
    readAt: when,
    unsentCount: z.number().int().nonnegative(),
    firstUnsentNumber: z.number().int().nonnegative().nullable(),
    firstUnsentAt: when.nullable(),
    connected: z.boolean().nullable(),
    error: deviceText.nullable(),
  }).nullable(),
  shift: z.object({
    readAt: when,
    state: ShiftState,
    number: z.number().int().nonnegative().nullable(),
    openedAt: when.nullable(),
  }).nullable(),
  clockDriftSeconds: z.number().nullable(),
  forecast: FiscalForecast,
});
export type FiscalDeviceState = z.infer<typeof FiscalDeviceState>;

/** A register's forecast: the earliest over its fiscal devices. `daysLeft` is whole days from the answer's time (negative: blocked that long ago). */
export const RegisterForecast = z.object({
  blockingAt: when,
  reason: BlockingReason,
  deviceId: z.string(),
  daysLeft: z.number().int(),
});
export type RegisterForecast = z.infer<typeof RegisterForecast>;

/** The buckets of the replacement list: within 30, 31–60 and 61–90 days (already due counts in `d30`). */
export const ReplacementBucket = z.enum(['d30', 'd60', 'd90']);
export type ReplacementBucket = z.infer<typeof ReplacementBucket>;

/** A fiscal drive to replace: its own end (validity or a full archive), whatever else blocks the register meanwhile. */
export const FnReplacement = z.object({
  agentId: z.string(),
  storeId: z.string(),
  registerId: z.string(),
  deviceId: z.string(),
  model: deviceText.nullable(),
  registerSerial: deviceText.nullable(),
  fnSerial: deviceText.nullable(),
  replaceBy: when,
  replaceReason: ReplaceReason,
  bucket: ReplacementBucket,
  validUntil: when.nullable(),
  /** The device's blocking date (may be earlier than replaceBy, e.g. an OFD lock). */
  blockingAt: when.nullable(),
  blockingReason: BlockingReason.nullable(),
});
export type FnReplacement = z.infer<typeof FnReplacement>;

export const StoreReplacements = z.object({
  storeId: z.string(),
  counts: z.object({ d30: z.number().int().nonnegative(), d60: z.number().int().nonnegative(), d90: z.number().int().nonnegative() }),
  /** by replaceBy, then register */
  drives: z.array(FnReplacement),
});
export type StoreReplacements = z.infer<typeof StoreReplacements>;

/**
 * GET /api/fiscal/replacements: one page of stores in id order, each listed when it has a drive to
 * replace within 90 days (or overdue); `after=<nextCursor>` for the next page.
 */
export const ReplacementList = z.object({
  generatedAt: when,
  horizonDays: z.literal(90),
  stores: z.array(StoreReplacements),
  /** drives to replace over every page; counted for the first page only (null when `after` was given) */
  total: z.number().int().nonnegative().nullable(),
  /** the last store of this page, for `after`; null on the last page */
  nextCursor: StoreId.nullable(),
});
export type ReplacementList = z.infer<typeof ReplacementList>;

export const ReplacementListQuery = z.object({
  storeId: StoreId.optional(),
  /** JSON only: the stores after this one (a page's `nextCursor`); CSV always has every store */
  after: StoreId.optional(),
  /** JSON only: stores per page */
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
  /** CSV only: `comma` (RFC 4180, the default) or `semicolon` (what Excel with a Russian locale splits on when a file is opened). */
  delimiter: z.enum(['comma', 'semicolon']).default('comma'),
});
export type ReplacementListQuery = z.infer<typeof ReplacementListQuery>;

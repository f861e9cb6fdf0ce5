import { z } from 'zod';

/**
 * What the console assumes when it turns fiscal facts into a blocking date and fiscal deadlines.
 * devices.md §4 tags the FN capacity and the OFD lock as [S] (secondary sources): both are settings.
 * Parsed once at start (ConsoleServerOptions.fiscal); a bad value stops the console naming the field.
 */
export const FiscalSettings = z
  .object({
    /** Signed documents an FN archive holds ([S] help.atol.online: 250,000). */
    archiveCapacity: z.number().int().min(1_000).max(10_000_000).default(250_000),
    /** Days after the first document the OFD has not confirmed at which the FN stops signing ([S] 30). */
    ofdLockDays: z.number().min(1).max(60).default(30),
    /** Readings of one FN at least this far apart before a document rate is believed. */
    minRateSpanHours: z.number().min(0.1).max(24 * 30).default(6),
    /** An archive lasting longer than this at the current rate is left out of the forecast (a note says so). */
    archiveHorizonDays: z.number().int().min(30).max(36_500).default(3_650),
    /** A fiscal ticket is due this long before the register's blocking date. */
    dueMarginHours: z.number().min(0).max(24 * 30).default(24),
    /** A fiscal ticket's priority rises to P1, P2, P3 when the blocking date is this many days away or fewer. */
    priorityDays: z
      .object({ p1: z.number().min(0).default(3), p2: z.number().min(0).default(7), p3: z.number().min(0).default(30) })
      .default({ p1: 3, p2: 7, p3: 30 })
      .refine((days) => days.p1 <= days.p2 && days.p2 <= days.p3, { message: 'must hold: p1 <= p2 <= p3' }),
    /** A fiscal state that did not change is still rewritten this often (its read times move on). */
    refreshMinutes: z.number().min(1).max(24 * 60).default(15),
  })
  .strict();
export type FiscalSettings = z.infer<typeof FiscalSettings>;

export const DEFAULT_FISCAL_SETTINGS: FiscalSettings = FiscalSettings.parse({});

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

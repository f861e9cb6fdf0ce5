import { z } from 'zod';

// REST shapes of the cashier loop (issue 12): the console's cashier setting. docs/api.md lists the routes.

/**
 * How the console treats a resolved ticket a cashier reported. The cashier is asked "is it
 * working?": yes closes it, no reopens it; with no answer it closes by itself `autoCloseHours`
 * wall-clock hours after its resolution (a `cashier_auto_closed` timeline event).
 */
export const CashierSettings = z.object({
  autoCloseHours: z.number().int().min(1).max(720).default(24),
});
export type CashierSettings = z.infer<typeof CashierSettings>;

/** GET /api/settings/cashier (anyone signed in); PUT takes CashierSettings (admin) and answers this. */
export const CashierSettingsView = z.object({
  settings: CashierSettings,
  /** who saved them last and when; null while the defaults apply */
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type CashierSettingsView = z.infer<typeof CashierSettingsView>;

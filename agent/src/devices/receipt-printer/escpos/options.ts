import { z } from 'zod';

/**
 * How the agent learns the printer's status: `poll` (default) asks on a timer over a connection
 * opened for each probe; `asb` also holds one connection open and has the printer report every
 * change itself (ESC/POS Automatic Status Back, see README before using it).
 */
export const StatusMode = z.enum(['poll', 'asb'], { error: 'must be "poll" (the default) or "asb" (ESC/POS Automatic Status Back)' });
export type StatusMode = z.infer<typeof StatusMode>;

/** The escpos driver's `options` in the agent config, e.g. `"options": { "status": "asb" }`. */
export const EscPosOptions = z.strictObject({
  status: StatusMode.default('poll'),
});
export type EscPosOptions = z.output<typeof EscPosOptions>;

import { z } from 'zod';

/**
 * The star-line driver's `options` in the agent config, e.g. `"options": { "status": "automatic" }`.
 *
 * - `status`: `request` (default) asks `ESC ACK SOH` each probe; `automatic` never asks and
 *   waits for the frame a printer with automatic status on (`ESC RS a n` or its memory switch)
 *   sends by itself. Star forbids asking while automatic status is on; the driver also switches
 *   to listening by itself once frames arrive unasked.
 * - `listenMs`: how long each probe listens for an unasked frame before it sends the request.
 * - `automaticWaitMs`: how long a probe in automatic mode waits for a frame.
 */
export const StarLineOptions = z.strictObject({
  status: z.enum(['request', 'automatic'], { error: 'must be "request" (the default: ask ESC ACK SOH) or "automatic" (the printer sends its status itself)' }).default('request'),
  listenMs: z.number().int().min(0).max(2_000).default(100),
  automaticWaitMs: z.number().int().min(100).max(10_000).default(1_500),
});
export type StarLineOptions = z.output<typeof StarLineOptions>;

/**
 * What a device's probes remember (not persisted): automatic status was seen (frames came
 * unasked), and on a serial line whether the last request is still unanswered (a late frame
 * then is stale, not automatic status).
 */
export interface StarLineMemory {
  automaticSeen: boolean;
  unanswered: boolean;
}

export function createStarLineMemory(): StarLineMemory {
  return { automaticSeen: false, unanswered: false };
}

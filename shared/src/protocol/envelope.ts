import { z } from 'zod';

/** Bumped only for incompatible changes; both sides reject other versions with `unsupported_version`. */
export const PROTOCOL_VERSION = 1 as const;

/** Frames above this are refused (ws `maxPayload` on the server, a check on the agent). */
export const MAX_FRAME_BYTES = 256 * 1024;

export const MessageId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/);

/**
 * Every message on the agent socket is `{ v, type, id, ts, payload }`. `id` is unique per sender:
 * the agent's outbox resends with the same id until acknowledged, and the server treats a repeated
 * id as already done.
 */
export function envelope<T extends string, P extends z.ZodTypeAny>(type: T, payload: P) {
  return z.object({
    v: z.literal(PROTOCOL_VERSION),
    type: z.literal(type),
    id: MessageId,
    ts: z.iso.datetime(),
    payload,
  });
}

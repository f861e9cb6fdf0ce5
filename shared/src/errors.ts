import { z } from 'zod';

/**
 * Stable error codes. They cross every boundary (WebSocket close reasons, REST error bodies,
 * agent logs) and the UIs translate them; never rename one, only add.
 */
export const ErrorCode = z.enum([
  'bad_request', // body or frame failed schema validation
  'malformed_json',
  'unknown_type', // a well-formed envelope with a type this side does not know
  'unsupported_version',
  'frame_too_large',
  'unauthorized', // missing or wrong credential / session
  'forbidden', // authenticated, but the role does not allow it
  'not_found',
  'conflict',
  'rate_limited',
  'token_invalid', // enrollment token unknown, used up or expired
  'timeout',
  'cannot_connect',
  'canceled',
  'protocol', // a device answered with bytes that do not follow its protocol
  'busy',
  'unsupported',
  'internal',
  'not_saved', // the agent could not store it durably (disk full): held in memory only, never shown as saved
  'expired', // a queued remote action whose time ran out before the register came back
  'disabled', // an admin turned this remote action off for the store
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  ok: z.literal(false),
  code: ErrorCode,
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Flattens zod issues into `path: message` pairs that are safe to send back to a client. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

import { z } from 'zod';
import { describeIssues, type ErrorCode } from '../errors';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './envelope';

export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; id?: string };

/**
 * Parses one text frame against a discriminated-union schema, telling apart malformed JSON, a wrong
 * protocol version, an unknown type and a known type with a bad body, each with its stable code.
 * Unknown fields are dropped by the schema. `id` is returned when the frame had a usable one, so
 * the receiver can reject that message by id.
 */
export function parseFrame<S extends z.ZodTypeAny>(
  raw: string,
  schema: S,
  knownTypes: readonly string[],
): ParseResult<z.infer<S>> {
  // Length in UTF-16 units is a lower bound on bytes; the transport enforces the exact byte limit.
  if (raw.length > MAX_FRAME_BYTES) return { ok: false, code: 'frame_too_large', message: `frame over ${MAX_FRAME_BYTES} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { ok: false, code: 'malformed_json', message: `not JSON: ${(error as Error).message}` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 'bad_request', message: 'a frame must be a JSON object' };
  }
  const record = data as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.length <= 64 ? record.id : undefined;
  if (record.v !== PROTOCOL_VERSION) {
    return { ok: false, code: 'unsupported_version', message: `protocol version ${quote(record.v)} is not ${PROTOCOL_VERSION}`, id };
  }
  if (typeof record.type !== 'string' || !knownTypes.includes(record.type)) {
    return { ok: false, code: 'unknown_type', message: `unknown message type ${quote(record.type)}`, id };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const first = describeIssues(parsed.error).slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
    return { ok: false, code: 'bad_request', message: `invalid ${record.type}: ${first}`, id };
  }
  return { ok: true, value: parsed.data };
}

/**
 * A parsed JSON value for an error message, shortened. Never String(): a JSON object such as
 * {"toString": null} makes String() throw, and a throw here would escape every caller.
 */
function quote(value: unknown): string {
  return (JSON.stringify(value) ?? 'undefined').slice(0, 80);
}

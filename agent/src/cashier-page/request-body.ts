import { describeIssues, type ErrorCode } from '@tillscope/shared';
import type { z } from 'zod';

/** Bodies above this are refused while they arrive, before they are kept whole or parsed. */
export const MAX_BODY_BYTES = 8 * 1024;

/** Why a body was refused: the HTTP status and stable code the page answers with. */
export interface BodyError {
  status: 400 | 413 | 415;
  code: ErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
}

export type BodyResult<T> = { ok: true; value: T } | { ok: false; error: BodyError };

/**
 * Reads one JSON request body of the cashier page, chunk by chunk, and validates it. Pure: no
 * I/O, never throws. The content type is checked first; the size as chunks arrive, so an
 * oversized body is refused (413) before it is kept whole or parsed; then the JSON (400
 * malformed_json) and the schema (400 bad_request with the zod issues). After the first error
 * every later call returns that same error and nothing more is kept.
 *
 * Usage: `new JsonBodyReader(contentTypeHeader)`, `push()` every chunk (stop reading at the first
 * error it returns), then `finish(schema)`.
 */
export class JsonBodyReader {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private failed: BodyError | undefined;

  constructor(
    contentType: string | undefined,
    private readonly maxBytes: number = MAX_BODY_BYTES,
  ) {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') this.failed = { status: 415, code: 'bad_request', message: 'the body must be application/json' };
  }

  /** The error that ended reading, if any. */
  get error(): BodyError | undefined {
    return this.failed;
  }

  push(chunk: Uint8Array): BodyError | undefined {
    if (this.failed) return this.failed;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.chunks = [];
      this.failed = { status: 413, code: 'bad_request', message: `the body is over ${this.maxBytes} bytes` };
      return this.failed;
    }
    this.chunks.push(chunk);
    return undefined;
  }

  finish<S extends z.ZodTypeAny>(schema: S): BodyResult<z.output<S>> {
    if (this.failed) return { ok: false, error: this.failed };
    let data: unknown;
    try {
      data = JSON.parse(Buffer.concat(this.chunks).toString('utf8'));
    } catch {
      return { ok: false, error: { status: 400, code: 'malformed_json', message: 'the body is not valid JSON' } };
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      return { ok: false, error: { status: 400, code: 'bad_request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } };
    }
    return { ok: true, value: parsed.data as z.output<S> };
  }
}

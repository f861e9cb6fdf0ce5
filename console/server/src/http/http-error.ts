import type { ErrorBody, ErrorCode } from '@tillscope/shared';

/** An error with a status and a stable code that the error middleware sends as ErrorBody. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
    /** Sent as the Retry-After header (seconds) with 429 and 503. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { ok: false, code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

import type { ErrorRequestHandler } from 'express';
import { LoginThrottledError } from '../auth/login-throttle';
import { PasswordHashingBusyError } from '../auth/password-pool';
import { type Logger, withFields } from '../logger';
import { DomainError, InvalidMove, NotFound, TicketConflict } from '../tickets/domain-errors';
import { HttpError } from './http-error';

/** Domain errors that have an HTTP answer of their own (the domain never speaks HTTP). */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof LoginThrottledError) return new HttpError(429, error.code, error.message, undefined, error.retryAfterSec);
  if (error instanceof PasswordHashingBusyError) return new HttpError(503, error.code, error.message, undefined, error.retryAfterSec);
  if (error instanceof DomainError) return new HttpError(statusOfDomainError(error), error.code, error.message);
  return undefined;
}

/**
 * The HTTP status of a domain error. The ticket errors by kind; any other domain error (groups and
 * routing, routing/routing-errors.ts) by its stable code.
 */
function statusOfDomainError(error: DomainError): number {
  if (error instanceof NotFound) return 404;
  if (error instanceof TicketConflict) return 409;
  if (error instanceof InvalidMove) return 400;
  return STATUS_OF_CODE[error.code] ?? 500;
}

const STATUS_OF_CODE: Partial<Record<DomainError['code'], number>> = { bad_request: 400, not_found: 404, conflict: 409, disabled: 409 };

/** The one error handler: known errors keep their status and code; anything else is logged and hidden. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = httpErrorOf(error);
    if (known) {
      if (known.retryAfterSec !== undefined) res.set('Retry-After', String(known.retryAfterSec));
      res.status(known.status).json(known.toBody());
      return;
    }
    // body-parser errors carry a status and a `type` (entity.parse.failed, entity.too.large, …).
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ ok: false, code: 'bad_request', message: (error as Error).message || 'bad request' });
      return;
    }
    logger.error('http', withFields('unhandled request error', { method: req.method, path: req.path, error: String(error), stack: (error as Error)?.stack }));
    res.status(500).json({ ok: false, code: 'internal', message: 'internal error' });
  };
}

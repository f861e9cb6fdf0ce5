import type { ErrorRequestHandler } from 'express';
import { type Logger, withFields } from '../logger';
import { HttpError } from './http-error';

/** The one error handler: known errors keep their status and code; anything else is logged and hidden. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json(error.toBody());
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

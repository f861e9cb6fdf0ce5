import { describeIssues } from '@tillscope/shared';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { HttpError } from './http-error';

type Part = 'body' | 'query' | 'params';

/**
 * Parses `req[part]` with `schema`; a failure becomes 400 bad_request with the zod issues.
 * The parsed value (defaults applied, unknown fields stripped) is read back with `validated()`;
 * handlers never touch the raw `req.body` / `req.query`.
 */
export function validate(part: Part, schema: z.ZodTypeAny): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const parsed = schema.safeParse(req[part] ?? {});
    if (!parsed.success) {
      next(new HttpError(400, 'bad_request', `invalid ${part}`, describeIssues(parsed.error)));
      return;
    }
    const locals = res.locals as { validated?: Partial<Record<Part, unknown>> };
    (locals.validated ??= {})[part] = parsed.data;
    next();
  };
}

/** The value `validate(part, schema)` stored for this request. */
export function validated<S extends z.ZodTypeAny>(res: Response, part: Part, _schema: S): z.output<S> {
  const store = res.locals.validated as Partial<Record<Part, unknown>> | undefined;
  if (!store || !(part in store)) throw new Error(`route has no validate('${part}') middleware`);
  return store[part] as z.output<S>;
}

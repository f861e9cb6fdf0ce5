import { DomainError } from '../tickets/domain-errors';

// Knowledge-base domain errors; http/error-middleware.ts maps them by their stable code.

/** A built-in article (seeded from the diagnosis catalogue) may be edited but not deleted. */
export class BuiltinArticle extends DomainError {
  readonly code = 'conflict';
  constructor(readonly articleId: number) {
    super(`article ${articleId} is built in: edit it instead of deleting it`);
    this.name = 'BuiltinArticle';
  }
}

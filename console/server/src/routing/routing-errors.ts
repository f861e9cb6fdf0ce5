import { DomainError } from '../tickets/domain-errors';

// Errors of groups and the routing table. Like every domain error they carry a stable code and no
// HTTP status; http/error-middleware.ts maps them.

/** A group id that names no group (in a move, a user's groups or a routing rule): the caller's mistake. */
export class UnknownGroup extends DomainError {
  readonly code = 'bad_request';
  constructor(readonly groupId: string) {
    super(`no group ${groupId}`);
    this.name = 'UnknownGroup';
  }
}

/** An archived group takes no new tickets: neither a move nor a routing rule may send it one. */
export class ArchivedGroup extends DomainError {
  readonly code = 'conflict';
  constructor(readonly groupId: string) {
    super(`group ${groupId} is archived`);
    this.name = 'ArchivedGroup';
  }
}

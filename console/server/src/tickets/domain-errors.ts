import type { ErrorCode } from '@tillscope/shared';

/**
 * An error of the ticket domain with a stable code. Domain code throws these and never speaks HTTP;
 * http/error-middleware.ts is the one place that turns each kind into a status.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

/** Something asked for by id (a ticket, a register, a group…) does not exist. */
export class NotFound extends DomainError {
  readonly code = 'not_found';
  constructor(readonly what: string, readonly id: string | number) {
    super(`${what} ${id} not found`);
    this.name = 'NotFound';
  }
}

export class TicketNotFound extends NotFound {
  constructor(readonly ticketId: number) {
    super('ticket', ticketId);
    this.name = 'TicketNotFound';
  }
}

/** The ticket's state does not allow the action (resolving a closed ticket, taking a resolved one). */
export class TicketConflict extends DomainError {
  readonly code = 'conflict';
  constructor(readonly ticketId: number, message: string) {
    super(message);
    this.name = 'TicketConflict';
  }
}

/** A move (assign, reassign, escalate, wait, resume) that is not valid as asked: an unknown target, a missing reason. */
export class InvalidMove extends DomainError {
  readonly code = 'bad_request';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMove';
  }
}

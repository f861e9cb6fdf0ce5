import { DomainError } from '../tickets/domain-errors';

// Errors of notification settings; http/error-middleware.ts maps them by their stable code.

/** A rule or channel that cannot work as asked (an unknown time zone, a rule for a channel that does not exist). */
export class InvalidNotifySettings extends DomainError {
  readonly code = 'bad_request';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidNotifySettings';
  }
}

/** A delivery that is not in a state the action needs (retrying one that is pending or sent). */
export class DeliveryConflict extends DomainError {
  readonly code = 'conflict';
  constructor(readonly deliveryId: number, message: string) {
    super(message);
    this.name = 'DeliveryConflict';
  }
}

import { DomainError } from '../tickets/domain-errors';

/** An admin turned this verb off in the register's store (409 `disabled`). */
export class ActionDisabled extends DomainError {
  readonly code = 'disabled';
  constructor(readonly storeId: string, readonly verb: string) {
    super(`${verb} is turned off in store ${storeId}`);
    this.name = 'ActionDisabled';
  }
}

/** The action is not valid as asked: a parameter the verb does not take, a device that is not there (400). */
export class InvalidAction extends DomainError {
  readonly code = 'bad_request';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAction';
  }
}

/** The action cannot be asked or changed now: the same one is still waiting, or it is past cancelling (409). */
export class ActionConflict extends DomainError {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ActionConflict';
  }
}

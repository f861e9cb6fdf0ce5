import { describe, expect, it } from 'vitest';
import { httpErrorOf } from '../http/error-middleware';
import { InvalidMove, NotFound, TicketConflict, TicketNotFound } from './domain-errors';

describe('domain errors', () => {
  it('keep their stable code, and only the HTTP layer gives them a status', () => {
    const cases = [
      [new TicketNotFound(7), 404, 'not_found', 'ticket 7 not found'],
      [new NotFound('register', 'r-1'), 404, 'not_found', 'register r-1 not found'],
      [new TicketConflict(7, 'ticket 7 is closed'), 409, 'conflict', 'ticket 7 is closed'],
      [new InvalidMove('no such group'), 400, 'bad_request', 'no such group'],
    ] as const;
    for (const [error, status, code, message] of cases) {
      expect(error).not.toHaveProperty('status');
      expect(httpErrorOf(error)?.toBody()).toEqual({ ok: false, code, message });
      expect(httpErrorOf(error)?.status).toBe(status);
    }
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
  });
});

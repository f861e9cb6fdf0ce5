import { CommandVerb, type DeviceKind } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { CommandPayload } from '../link/link';
import { refusalOf, type CheckContext } from './command-checks';

/** The register's devices: a printer, a fiscal register, and one whose driver is not registered. */
const KINDS = new Map<string, DeviceKind | undefined>([['printer', 'receipt-printer'], ['kkt', 'fiscal'], ['odd', undefined]]);
const ctx: CheckContext = {
  allow: CommandVerb.options,
  now: new Date('2026-12-01T10:00:00Z'),
  deviceKind: (id) => (KINDS.has(id) ? KINDS.get(id) : null),
  hostProbeIds: ['host-print'],
};
const check = (command: Omit<CommandPayload, 'commandId'>, over: Partial<CheckContext> = {}) => refusalOf({ commandId: 'c-1', ...command }, { ...ctx, ...over });

describe('refusalOf', () => {
  it('refuses a verb off the register allow-list first, whatever else is wrong', () => {
    expect(check({ verb: 'discover', deviceId: 'printer', expiresAt: '2020-01-01T00:00:00Z' }, { allow: ['probe_now'] })).toEqual({
      commandId: 'c-1', ok: false, code: 'forbidden', message: 'discover is not allowed on this register (agent config actions.allow: probe_now)',
    });
    expect(check({ verb: 'probe_now' }, { allow: [] })).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/actions\.allow: none\)$/) });
  });

  it('refuses a command whose expiresAt is not after the register clock', () => {
    expect(check({ verb: 'probe_now', expiresAt: '2026-12-01T10:00:00.000Z' })).toMatchObject({ code: 'expired' });
    expect(check({ verb: 'probe_now', expiresAt: '2026-12-01T09:00:00Z' })).toMatchObject({ code: 'expired', message: expect.stringMatching(/^probe_now expired at 2026-12-01T09:00:00Z/) });
    expect(check({ verb: 'probe_now', expiresAt: '2026-12-01T10:00:01Z' })).toBeUndefined();
  });

  it.each<[Omit<CommandPayload, 'commandId'>, string | undefined]>([
    [{ verb: 'probe_now' }, undefined],
    [{ verb: 'probe_now', deviceId: 'kkt' }, undefined],
    [{ verb: 'probe_now', deviceId: 'host-print' }, undefined],
    [{ verb: 'probe_now', deviceId: 'nope' }, 'not_found'],
    [{ verb: 'test_print', deviceId: 'printer' }, undefined],
    [{ verb: 'test_print' }, 'bad_request'],
    [{ verb: 'test_print', deviceId: 'kkt' }, 'bad_request'],
    [{ verb: 'test_print', deviceId: 'odd' }, 'bad_request'],
    [{ verb: 'test_print', deviceId: 'host-print' }, 'not_found'],
    [{ verb: 'test_print', deviceId: 'nope' }, 'not_found'],
    [{ verb: 'discover' }, undefined],
    [{ verb: 'discover', deviceId: 'printer' }, 'bad_request'],
    [{ verb: 'collect_bundle', ticketId: 7, requestedBy: 'ivanova' }, undefined],
    [{ verb: 'collect_bundle', deviceId: 'printer' }, 'bad_request'],
    [{ verb: 'restart_print_service' }, undefined],
    [{ verb: 'restart_print_service', deviceId: 'printer' }, 'bad_request'],
  ])('checks the parameters of %j: %s', (command, code) => {
    const refusal = check(command);
    expect(refusal?.code).toBe(code);
  });

  it('says which device kind test_print got', () => {
    expect(check({ verb: 'test_print', deviceId: 'kkt' })?.message).toBe('test_print needs a receipt printer; "kkt" is a fiscal device');
    expect(check({ verb: 'restart_print_service', deviceId: 'printer' })?.message).toBe('restart_print_service takes no deviceId (got "printer")');
  });
});

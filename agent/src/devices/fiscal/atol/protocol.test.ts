import { describe, expect, it } from 'vitest';
import { buildRequestBody, ForbiddenTaskError, isFinalStatus, isReadOnlyTask, READ_ONLY_TASKS, TaskStatus, type ReadOnlyTask } from './protocol';

/** devices.md §3.2 "Never send from a diagnostic agent", and other fiscal or printing task types. */
const FORBIDDEN = [
  'reportOfdExchangeStatus',
  'reportX',
  'openShift',
  'closeShift',
  'continuePrint',
  'sell',
  'sellReturn',
  'buy',
  'buyReturn',
  'sellCorrection',
  'cashIn',
  'cashOut',
  'openCashDrawer',
  'nonFiscal',
  'registration',
  'fnChange',
  'closeArchive',
  'cancelReceipt',
  'GetDeviceStatus', // case matters: only the exact names are on the list
  'getDeviceStatus ',
  '',
];

describe('ATOL read-only allow-list', () => {
  it('is exactly the seven reading tasks', () => {
    expect([...READ_ONLY_TASKS].sort()).toEqual(['getDeviceInfo', 'getDeviceStatus', 'getFnInfo', 'getFnStatus', 'getShiftStatus', 'ismExchangeStatus', 'ofdExchangeStatus']);
  });

  it('builds a request of allowed tasks: {uuid, request: [{type}]}', () => {
    expect(buildRequestBody('u-1', ['getDeviceStatus', 'getFnInfo'])).toEqual({ uuid: 'u-1', request: [{ type: 'getDeviceStatus' }, { type: 'getFnInfo' }] });
  });

  it('refuses, at run time, every task that is not on the list, even behind a cast, and an empty request', () => {
    for (const type of FORBIDDEN) {
      expect(() => buildRequestBody('u', ['getDeviceStatus', type as ReadOnlyTask]), type).toThrow(ForbiddenTaskError);
      expect(isReadOnlyTask(type)).toBe(false);
    }
    expect(() => buildRequestBody('u', [{ type: 'getDeviceStatus' } as unknown as ReadOnlyTask])).toThrow(ForbiddenTaskError);
    expect(() => buildRequestBody('u', [])).toThrow(ForbiddenTaskError);
  });

  it('refuses them at compile time too', () => {
    // @ts-expect-error reportX is not a ReadOnlyTask
    expect(() => buildRequestBody('u', ['reportX'])).toThrow(/only getDeviceStatus/);
  });
});

describe('task statuses', () => {
  it('wait and inProgress are running; the other five are final', () => {
    expect(TaskStatus.options.filter((s) => !isFinalStatus(s))).toEqual(['wait', 'inProgress']);
    expect(TaskStatus.options.filter(isFinalStatus)).toEqual(['ready', 'error', 'interrupted', 'blocked', 'canceled']);
  });
});

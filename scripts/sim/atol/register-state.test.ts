import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENT_OPEN_FIELD, decodeTaskResult, mergeReading } from '../../../agent/src/devices/fiscal/atol/answers';
import { atolDateTime, AtolStatePatch, currentFdNumber, healthyRegister, runTask, SIM_READ_ONLY_TASKS, type AtolRegisterState } from './register-state';

const now = new Date('2026-03-02T07:00:00Z');
const state = (patch: Partial<AtolRegisterState> = {}) => ({ ...healthyRegister(now), ...patch });

/** The agent's decoding of the simulator's answers: what a probe would read. */
function read(s: AtolRegisterState, at = now) {
  const decodings = SIM_READ_ONLY_TASKS.map((type) => {
    const outcome = runTask(type, s, at);
    return decodeTaskResult(type, outcome.status === 'ready' ? { status: 'ready', result: outcome.result } : { status: outcome.status }, { readAt: at, documentOpenField: DEFAULT_DOCUMENT_OPEN_FIELD });
  });
  return { decodings, reading: mergeReading(decodings.map((d) => d.part)) };
}

describe('simulated ATOL register state', () => {
  it('a healthy register answers every task in shapes the agent decodes, with the state’s values', () => {
    const { decodings, reading } = read(state());
    expect(decodings.map((d) => d.reason)).toEqual(SIM_READ_ONLY_TASKS.map(() => undefined));
    expect(reading.fiscal).toMatchObject({
      shift: { state: 'open', number: 42, openedAt: new Date(now.getTime() - 2 * 3600_000).toISOString(), openedAtSource: 'device' },
      clockDriftSeconds: 0,
      documentOpen: false,
      fn: { lastDocumentNumber: 12_000, validUntil: new Date(2027, 3, 6).toISOString() },
      ofd: { unsentCount: 0 },
    });
    expect(reading.printer).toMatchObject({ paperPresent: true, coverOpened: false });
  });

  it('the shift expires 24 h after it opened; a closed one is closed', () => {
    expect(read(state({ shiftOpenedAt: new Date(now.getTime() - 25 * 3600_000).toISOString() })).reading.fiscal.shift?.state).toBe('expired');
    expect(read(state({ shiftOpen: false })).reading.fiscal.shift).toEqual({ state: 'closed', number: 42 });
  });

  it('unsent documents, FN warnings, paper, cover, clock, document open', () => {
    const { reading } = read(
      state({
        unsentCount: 7,
        firstUnsentAt: '2026-02-01T09:00:00.000Z',
        firstUnsentNumber: 11_800,
        ofdNetworkError: 2,
        fnWarnings: { needReplacement: false, resourceExhausted: true, memoryOverflow: true, ofdTimeout: false, criticalError: true },
        paperPresent: false,
        coverOpened: true,
        clockOffsetSeconds: -600,
        documentOpen: true,
      }),
    );
    expect(reading.fiscal.ofd).toEqual({ unsentCount: 7, firstUnsentNumber: 11_800, firstUnsentAt: '2026-02-01T09:00:00.000Z', error: 'network 2 Нет соединения с ОФД' });
    expect(reading.fiscal.fn?.warnings).toEqual({ replaceUrgently: false, resourceExhausted: true, archiveNearlyFull: true, ofdTimeout: false, criticalError: true });
    expect(reading.printer).toMatchObject({ paperPresent: false, coverOpened: true });
    expect(reading.fiscal.clockDriftSeconds).toBe(-600);
    expect(reading.fiscal.documentOpen).toBe(true);
  });

  it('the last FD number grows at the documents-per-day rate', () => {
    const s = state({ fdNumber: 1000, fdNumberAt: now.toISOString(), documentsPerDay: 200 });
    expect(currentFdNumber(s, new Date(now.getTime() + 36 * 3600_000))).toBe(1300);
    expect(read(s, new Date(now.getTime() + 24 * 3600_000)).reading.fiscal.fn?.lastDocumentNumber).toBe(1200);
  });

  it('task faults: an ATOL error code, blocked; a printer fault is error 46 on getDeviceStatus', () => {
    expect(runTask('getFnInfo', state({ taskFaults: { getFnInfo: { error: 44 } } }), now)).toEqual({ status: 'error', error: { code: 44, description: 'Нет бумаги' } });
    expect(runTask('getFnInfo', state({ taskFaults: { getFnInfo: { blocked: true } } }), now)).toEqual({ status: 'blocked' });
    expect(runTask('getDeviceStatus', state({ printerError: true }), now)).toMatchObject({ status: 'error', error: { code: 46 } });
  });

  it('writes local time with the host’s offset; the patch refuses unknown keys', () => {
    expect(Date.parse(atolDateTime(now))).toBe(now.getTime());
    expect(atolDateTime(now)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(AtolStatePatch.safeParse({ paper: false }).success).toBe(false);
    expect(AtolStatePatch.safeParse({ taskFaults: { reportX: { error: 1 } } }).success).toBe(false);
  });
});

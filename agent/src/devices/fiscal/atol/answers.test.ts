import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceIdentity, FiscalFacts, StructuredExchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENT_OPEN_FIELD, decodeTaskResult, mergeReading, type DecodeContext } from './answers';
import { parseDeviceDateTime } from './device-time';
import { ATOL_ERROR_CODES, atolError, describeAtolError } from './error-codes';
import { parseRequestAnswer, taskExchange, type ReadOnlyTask, type TaskResultEnvelope } from './protocol';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'healthy-results.json'), 'utf8')) as { tasks: ReadOnlyTask[]; answer: unknown };
const readAt = new Date('2026-03-02T07:00:00.000Z'); // 10:00:00 +03:00
const ctx: DecodeContext = { readAt, documentOpenField: DEFAULT_DOCUMENT_OPEN_FIELD };

function healthyResults(): TaskResultEnvelope[] {
  const parsed = parseRequestAnswer(structuredClone(fixture.answer), fixture.tasks.length);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.results;
}

function resultOf(type: ReadOnlyTask): TaskResultEnvelope {
  return healthyResults()[fixture.tasks.indexOf(type)]!;
}

function withResult(type: ReadOnlyTask, edit: (result: any) => void): TaskResultEnvelope {
  const envelope = resultOf(type);
  edit(envelope.result);
  return envelope;
}

describe('ATOL answers: the healthy fixture', () => {
  const decodings = fixture.tasks.map((type, i) => decodeTaskResult(type, healthyResults()[i], ctx));
  const reading = mergeReading(decodings.map((d) => d.part));

  it('every task decodes as valid', () => {
    expect(decodings.map((d) => [d.valid, d.reason])).toEqual(fixture.tasks.map(() => [true, undefined]));
  });

  it('gives FiscalFacts and DeviceIdentity that pass shared’s schemas, with the values the register sent', () => {
    expect(FiscalFacts.parse(reading.fiscal)).toEqual(reading.fiscal);
    expect(DeviceIdentity.parse(reading.identity)).toEqual(reading.identity);
    expect(reading.fiscal).toEqual({
      shift: { state: 'open', number: 42, openedAt: '2026-03-02T05:00:00.000Z', openedAtSource: 'device' },
      registerClock: '2026-03-02T10:00:30+03:00',
      clockDriftSeconds: 30,
      fn: {
        phase: 'fiscal mode',
        warnings: { replaceUrgently: false, resourceExhausted: false, archiveNearlyFull: false, ofdTimeout: false, criticalError: false },
        lastDocumentNumber: 12345,
        // the written calendar day, at the start of that day in the host's zone
        validUntil: new Date(2027, 5, 1).toISOString(),
        serial: '9999078900001234',
        registrationsLeft: 29,
        ffdVersion: '1.2',
      },
      ofd: { unsentCount: 0, lastSuccessAt: '2026-03-02T06:58:00.000Z' },
    });
    expect(reading.identity).toEqual({ model: 'АТОЛ 30Ф', serial: '00106712345678', firmware: '5.8.12', ffdVersion: '1.2', fnSerial: '9999078900001234' });
    expect(reading.printer).toEqual({ paperPresent: true, coverOpened: false, registerBlocked: false, fnPresent: true });
  });

  it('each task’s evidence is a valid StructuredExchange with ru/en decoded fields and no alarm', () => {
    fixture.tasks.forEach((type, i) => {
      const exchange = taskExchange({ type, reply: healthyResults()[i], status: 'ready', valid: true, decoded: decodings[i]!.decoded, elapsedMs: 12 });
      expect(StructuredExchange.parse(exchange)).toEqual(exchange);
      expect(exchange.decoded.length).toBeGreaterThan(1);
      expect(exchange.decoded.filter((f) => f.alarm)).toEqual([]);
      for (const f of exchange.decoded) expect(f.meaning.ru).toMatch(/[а-яё]/i);
    });
  });
});

describe('ATOL answers: faults and tolerance', () => {
  it('extra fields anywhere are ignored, not an error', () => {
    const envelope = withResult('getFnStatus', (r) => {
      r.fnStatus.warnings.somethingNew = 7;
      r.fnStatus.extra = { deep: [1, 2] };
      r.other = 'x';
    });
    expect(decodeTaskResult('getFnStatus', envelope, ctx).valid).toBe(true);
  });

  it('a missing or wrong-typed key field makes the task invalid and gives no facts', () => {
    const cases: [ReadOnlyTask, (r: any) => void][] = [
      ['getDeviceStatus', (r) => delete r.deviceStatus.paperPresent],
      ['getDeviceStatus', (r) => (r.deviceStatus.coverOpened = 'no')],
      ['getDeviceStatus', (r) => (r.deviceStatus.currentDateTime = '32.13.2026')],
      ['getShiftStatus', (r) => (r.shiftStatus.state = 'maybe')],
      ['getShiftStatus', (r) => (r.shiftStatus.expiredTime = 'tomorrow')],
      ['getFnStatus', (r) => delete r.fnStatus.warnings.criticalError],
      ['getFnInfo', (r) => (r.fnInfo.validityDate = '2027-02-30')],
      ['ofdExchangeStatus', (r) => (r.status.notSentCount = -1)],
      ['ofdExchangeStatus', (r) => Object.assign(r.status, { notSentCount: 3, notSentFirstDocDateTime: 'garbage' })],
      ['getDeviceInfo', (r) => (r.deviceInfo = [])],
    ];
    for (const [type, edit] of cases) {
      const decoding = decodeTaskResult(type, withResult(type, edit), ctx);
      expect(decoding, `${type} ${edit.toString()}`).toMatchObject({ valid: false });
      expect(decoding.part).toBeUndefined();
      expect(decoding.reason).toBeTruthy();
    }
  });

  it('garbage results: null, arrays, strings, numbers are invalid for every task', () => {
    for (const type of fixture.tasks) {
      for (const result of [null, [], 'ok', 42, {}, { deviceStatus: null }]) {
        const decoding = decodeTaskResult(type, { status: 'ready', result }, ctx);
        // ISM keeps any object as evidence but never gives facts
        if (type === 'ismExchangeStatus' && result !== null && typeof result === 'object' && !Array.isArray(result)) {
          expect(decoding.part).toEqual({});
          continue;
        }
        expect(decoding.valid, `${type} ${JSON.stringify(result)}`).toBe(false);
      }
    }
  });

  it('a task that did not come back ready is invalid, with its status and the ATOL error decoded (ru/en, alarm)', () => {
    const decoding = decodeTaskResult('getDeviceStatus', { status: 'error', error: { code: 3, description: 'Порт занят' } }, ctx);
    expect(decoding.valid).toBe(false);
    expect(decoding.decoded).toEqual([
      expect.objectContaining({ field: 'status', value: 'error', alarm: true }),
      { field: 'error', set: true, value: '3 PORT_BUSY Порт занят', meaning: { ru: 'Порт ККТ занят', en: 'register port busy' }, alarm: true },
    ]);
    expect(decodeTaskResult('getFnInfo', undefined, ctx)).toEqual({ valid: false, reason: 'no answer', decoded: [] });
    expect(decodeTaskResult('getFnInfo', { status: 'blocked' }, ctx).decoded[0]?.meaning.en).toMatch(/queue blocked/);
  });

  it('alarms: no paper, cover open, expired shift, each FN warning, a non-zero OFD error', () => {
    const alarmsOf = (type: ReadOnlyTask, edit: (r: any) => void) =>
      decodeTaskResult(type, withResult(type, edit), ctx)
        .decoded.filter((f) => f.alarm)
        .map((f) => f.field);
    expect(alarmsOf('getDeviceStatus', (r) => Object.assign(r.deviceStatus, { paperPresent: false, coverOpened: true, shift: 'expired' }))).toEqual([
      'deviceStatus.shift',
      'deviceStatus.paperPresent',
      'deviceStatus.coverOpened',
    ]);
    expect(alarmsOf('getFnStatus', (r) => Object.assign(r.fnStatus.warnings, { memoryOverflow: true, criticalError: true }))).toEqual([
      'fnStatus.warnings.memoryOverflow',
      'fnStatus.warnings.criticalError',
    ]);
    expect(alarmsOf('ofdExchangeStatus', (r) => (r.errors.network = { code: 5, description: 'нет сети' }))).toEqual(['errors.network']);
  });

  it('FN warning names map onto shared’s FN warning bits', () => {
    const envelope = withResult('getFnStatus', (r) => (r.fnStatus.warnings = { needReplacement: true, resourceExhausted: false, memoryOverflow: true, ofdTimeout: false, criticalError: true }));
    expect(decodeTaskResult('getFnStatus', envelope, ctx).part?.fiscal?.fn?.warnings).toEqual({
      replaceUrgently: true,
      resourceExhausted: false,
      archiveNearlyFull: true,
      ofdTimeout: false,
      criticalError: true,
    });
  });

  it('unsent documents: count, first number and date; the OFD errors in words', () => {
    const envelope = withResult('ofdExchangeStatus', (r) => {
      Object.assign(r.status, { notSentCount: 12, notSentFirstDocNumber: 12001, notSentFirstDocDateTime: '2026-02-01T12:00:00' });
      r.errors.ofd = { code: 2, description: 'нет ответа' };
    });
    expect(decodeTaskResult('ofdExchangeStatus', envelope, ctx).part?.fiscal?.ofd).toEqual({
      unsentCount: 12,
      firstUnsentNumber: 12001,
      firstUnsentAt: new Date(2026, 1, 1, 12).toISOString(), // no offset: the host's zone
      error: 'ofd 2 нет ответа',
      lastSuccessAt: '2026-03-02T06:58:00.000Z',
    });
  });

  it('a closed shift gives no openedAt from the last shift’s expiredTime', () => {
    const envelope = withResult('getShiftStatus', (r) => (r.shiftStatus.state = 'closed'));
    expect(decodeTaskResult('getShiftStatus', envelope, ctx).part?.fiscal?.shift).toEqual({ state: 'closed', number: 42 });
  });

  it('document open: read from the configured getDeviceStatus field; absent means not known', () => {
    const open = (value: unknown, fieldName = DEFAULT_DOCUMENT_OPEN_FIELD) =>
      decodeTaskResult('getDeviceStatus', withResult('getDeviceStatus', (r) => (r.deviceStatus[fieldName] = value)), { readAt, documentOpenField: fieldName }).part?.fiscal?.documentOpen;
    expect(open(1)).toBe(true);
    expect(open('sell')).toBe(true);
    expect(open(0)).toBe(false);
    expect(open('closed')).toBe(false);
    expect(open(true, 'documentOpened')).toBe(true);
    expect(decodeTaskResult('getDeviceStatus', resultOf('getDeviceStatus'), ctx).part?.fiscal?.documentOpen).toBeUndefined();
  });

  it('device strings are bounded to shared’s 200 characters', () => {
    const envelope = withResult('getDeviceInfo', (r) => (r.deviceInfo.modelName = 'Ж'.repeat(5000)));
    expect(decodeTaskResult('getDeviceInfo', envelope, ctx).part?.identity?.model).toHaveLength(200);
  });
});

describe('ATOL answer envelope', () => {
  it('needs results[] with one entry per task and known statuses', () => {
    expect(parseRequestAnswer({ results: [{ status: 'ready' }] }, 1)).toMatchObject({ ok: true });
    expect(parseRequestAnswer({ results: [{ status: 'ready' }] }, 2)).toEqual({ ok: false, reason: 'the answer has 1 results for 2 tasks' });
    expect(parseRequestAnswer({ results: [{ status: 'done' }] }, 1)).toMatchObject({ ok: false });
    expect(parseRequestAnswer('<html>', 1)).toMatchObject({ ok: false });
    expect(parseRequestAnswer({ results: [{ status: 'error', error: { code: 'x' } }] }, 1)).toMatchObject({ ok: false });
  });

  it('evidence of a huge reply is cut to its size and head, within shared’s 8 KiB', () => {
    const exchange = taskExchange({ type: 'getDeviceInfo', reply: { result: 'x'.repeat(100_000) }, status: 'ready', valid: false, decoded: [], elapsedMs: 1 });
    expect(exchange.reply).toMatchObject({ truncated: true, chars: 100_013 });
    expect(StructuredExchange.safeParse(exchange).success).toBe(true);
  });
});

describe('ATOL error codes', () => {
  it('the devices.md codes say what they mean for findings', () => {
    expect(atolError(3)).toMatchObject({ name: 'PORT_BUSY', finding: 'fiscal.port_busy' });
    expect(atolError(44).finding).toBe('fiscal.paper_end');
    expect(atolError(45).finding).toBe('fiscal.cover_open');
    expect(atolError(46).finding).toBe('fiscal.printer_error');
    expect(atolError(68).finding).toBe('fiscal.shift_expired');
    expect(atolError(120).finding).toBe('fiscal.fn_expired');
    expect(atolError(2).finding).toBe('fiscal.no_reply');
    expect(atolError(999)).toEqual({ name: 'code 999', ru: 'Ошибка драйвера АТОЛ, код 999', en: 'ATOL driver error, code 999' });
    expect(describeAtolError(44, ' Нет бумаги ')).toBe('ATOL error 44 NO_PAPER (no paper): Нет бумаги');
    for (const entry of Object.values(ATOL_ERROR_CODES)) expect(entry.ru).toMatch(/[а-яё]/i);
  });
});

describe('device date-times', () => {
  it('reads ISO with an offset, Z, none (host zone), a space, fractions; refuses the rest', () => {
    expect(parseDeviceDateTime('2026-03-02T10:00:00+03:00')?.instant.toISOString()).toBe('2026-03-02T07:00:00.000Z');
    expect(parseDeviceDateTime('2026-03-02T10:00:00.5Z')?.instant.toISOString()).toBe('2026-03-02T10:00:00.500Z');
    expect(parseDeviceDateTime('2026-03-02 10:00:00+0300')?.instant.toISOString()).toBe('2026-03-02T07:00:00.000Z');
    expect(parseDeviceDateTime('2026-03-02 10:00')?.instant.getTime()).toBe(new Date(2026, 2, 2, 10).getTime());
    expect(parseDeviceDateTime('2027-06-01')?.date).toEqual({ year: 2027, month: 6, day: 1 });
    for (const bad of ['', '2026-02-29', '1970-01-01T00:00:00', '2026-13-01', '2026-03-02T24:00', '02.03.2026', '2026-03-02T10:00:00+15:00', 'x'.repeat(100)]) {
      expect(parseDeviceDateTime(bad), bad).toBeUndefined();
    }
  });
});

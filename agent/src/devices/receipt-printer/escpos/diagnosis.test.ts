import { describe, expect, it } from 'vitest';
import type { Exchange } from '@tillscope/shared';
import { diagnoseAsbFrame, diagnoseEscPos } from './diagnosis';
import { escposDriver } from './index';
import { toHex } from '../../common/hex';
import { decodeStatus, QUERY_LABELS, type StatusQuery } from './protocol';

function exchange(n: StatusQuery, reply: number | null, discarded = ''): Exchange {
  return {
    label: QUERY_LABELS[n],
    request: toHex([0x10, 0x04, n]),
    reply: reply === null ? null : toHex([reply]),
    discarded,
    valid: reply !== null,
    decoded: reply === null ? [] : decodeStatus(n, reply),
    elapsedMs: 3,
  };
}

const all = (b1: number, b2: number, b3: number, b4: number) => [exchange(1, b1), exchange(2, b2), exchange(3, b3), exchange(4, b4)];
const diagnose = (exchanges: Exchange[], transportError?: string) =>
  diagnoseEscPos(transportError === undefined ? { exchanges } : { exchanges, transportError });
const codes = (exchanges: Exchange[]) => diagnose(exchanges).findings.map((f) => f.code);
const results = (exchanges: Exchange[]) =>
  Object.fromEntries(diagnose(exchanges).checklist.map((a) => [a.step, a.result]));

describe('ESC/POS diagnosis', () => {
  it('a probe the agent canceled before any reply is unknown, not no_reply', () => {
    const d = diagnoseEscPos({ exchanges: [exchange(1, null)], transportError: 'probe canceled', canceled: true });
    expect(d.health).toBe('unknown');
    expect(d.findings).toEqual([]);
    expect(d.checklist.filter((a) => a.step !== 'printer.connection').every((a) => a.result === 'unknown')).toBe(true);
    expect(d.checked).toEqual([]);
  });

  it('a cancel after DLE EOT 1 answered keeps what was seen and stays unknown', () => {
    const d = diagnoseEscPos({ exchanges: [exchange(1, 0x12), exchange(2, null)], canceled: true });
    expect(d.health).toBe('unknown');
    expect(d.findings.map((f) => f.code)).not.toContain('printer.no_reply');
  });

  it('all clear: ok, every checkable step passed, test print unknown', () => {
    const d = diagnose(all(0x12, 0x12, 0x12, 0x12));
    expect(d.health).toBe('ok');
    expect(d.findings).toEqual([]);
    expect(results(all(0x12, 0x12, 0x12, 0x12))).toEqual({
      'printer.connection': 'passed',
      'printer.queue': 'unknown',
      'printer.answers': 'passed',
      'printer.online': 'passed',
      'printer.paper': 'passed',
      'printer.cover': 'passed',
      'printer.cutter': 'passed',
      'printer.error': 'passed',
      'printer.test_print': 'unknown',
    });
  });

  it('paper end from DLE EOT 4 bits 5,6, quoting the byte', () => {
    const d = diagnose(all(0x1a, 0x72, 0x12, 0x72));
    expect(d.findings).toEqual([{ code: 'printer.paper_end', detail: 'DLE EOT 4 = 0x72: paper end sensor: no paper' }]);
    expect(d.health).toBe('fault');
  });

  it('paper end from DLE EOT 2 bit 5 when DLE EOT 4 went unanswered', () => {
    const d = diagnose([exchange(1, 0x1a), exchange(2, 0x32), exchange(3, 0x12), exchange(4, null)]);
    expect(d.findings).toEqual([{ code: 'printer.paper_end', detail: 'DLE EOT 2 = 0x32: printing stopped by paper end' }]);
    expect(d.checklist.find((a) => a.step === 'printer.paper')?.result).toBe('failed');
  });

  it('near end only when not paper end', () => {
    expect(codes(all(0x12, 0x12, 0x12, 0x1e))).toEqual(['printer.paper_near_end']);
    expect(diagnose(all(0x12, 0x12, 0x12, 0x1e)).health).toBe('warning');
    expect(codes(all(0x1a, 0x32, 0x12, 0x7e))).toEqual(['printer.paper_end']);
  });

  it.each([
    [all(0x1a, 0x16, 0x12, 0x12), 'printer.cover_open', 'DLE EOT 2 = 0x16: cover open', 'printer.cover'],
    [all(0x1a, 0x52, 0x1a, 0x12), 'printer.cutter_error', 'DLE EOT 3 = 0x1a: auto-cutter error', 'printer.cutter'],
    [all(0x1a, 0x52, 0x16, 0x12), 'printer.recoverable_error', 'DLE EOT 3 = 0x16: recoverable (mechanical) error', 'printer.error'],
    [all(0x1a, 0x52, 0x32, 0x12), 'printer.unrecoverable_error', 'DLE EOT 3 = 0x32: unrecoverable error', 'printer.error'],
  ])('%#: a specific cause (%s) explains offline', (exchanges, code, detail, failedStep) => {
    const d = diagnose(exchanges);
    expect(d.findings).toEqual([{ code, detail }]);
    expect(d.health).toBe('fault');
    expect(d.checklist.find((a) => a.step === failedStep)?.result).toBe('failed');
  });

  it('auto-recoverable error while offline: also printer.offline (critical), printing again once the head cools', () => {
    const d = diagnose(all(0x1a, 0x52, 0x52, 0x12));
    expect(d.findings.map((f) => f.code)).toEqual(['printer.auto_recoverable_error', 'printer.offline']);
    expect(d.findings[1]?.detail).toBe('DLE EOT 1 = 0x1a: offline; DLE EOT 3 = 0x52: auto-recoverable error (head overheated, or cover opened while printing): it prints again by itself once the head cools');
    expect(d.health).toBe('fault');
  });

  it('auto-recoverable error while online stays a minor warning', () => {
    const d = diagnose(all(0x12, 0x12, 0x52, 0x12));
    expect(d.findings.map((f) => f.code)).toEqual(['printer.auto_recoverable_error']);
    expect(d.health).toBe('warning');
  });

  it('auto-recoverable error with another cause: the other cause explains offline', () => {
    expect(codes(all(0x1a, 0x56, 0x52, 0x12))).toEqual(['printer.cover_open', 'printer.auto_recoverable_error']);
  });

  it('offline with no cause → printer.offline, critical', () => {
    const d = diagnose(all(0x1a, 0x12, 0x12, 0x12));
    expect(d.findings).toEqual([{ code: 'printer.offline', detail: 'DLE EOT 1 = 0x1a: offline with no cause reported' }]);
    expect(d.health).toBe('fault');
    expect(d.checklist.find((a) => a.step === 'printer.online')).toEqual({ step: 'printer.online', result: 'failed', observed: 'DLE EOT 1 = 0x1a: offline' });
  });

  it('offline with "error occurred" but no named error says so', () => {
    expect(diagnose(all(0x1a, 0x52, 0x12, 0x12)).findings[0]?.detail).toBe('DLE EOT 1 = 0x1a: offline; DLE EOT 2 = 0x52 reports an error but DLE EOT 3 names none');
  });

  it('no reply and offline are distinct findings', () => {
    expect(codes([exchange(1, null)])).toEqual(['printer.no_reply']);
    expect(codes(all(0x1a, 0x12, 0x12, 0x12))).toEqual(['printer.offline']);
  });

  it('no reply: fault, answers failed, the rest unknown', () => {
    const d = diagnose([exchange(1, null, 'ff')]);
    expect(d.health).toBe('fault');
    expect(d.findings[0]?.detail).toBe('no reply to DLE EOT 1 within 3 ms: only invalid bytes (ff), no real-time status byte');
    expect(Object.fromEntries(d.checklist.map((a) => [a.step, a.result]))).toEqual({
      'printer.connection': 'passed',
      'printer.queue': 'unknown',
      'printer.answers': 'failed',
      'printer.online': 'unknown',
      'printer.paper': 'unknown',
      'printer.cover': 'unknown',
      'printer.cutter': 'unknown',
      'printer.error': 'unknown',
      'printer.test_print': 'unknown',
    });
  });

  it('an exchange marked valid with an invalid byte is not trusted', () => {
    const forged: Exchange = { ...exchange(1, 0x12), reply: 'ff' };
    expect(codes([forged])).toEqual(['printer.no_reply']);
  });

  it('unanswered later queries make their steps unknown and health unknown', () => {
    const d = diagnose([exchange(1, 0x12), exchange(2, null)]);
    expect(d.findings).toEqual([]);
    expect(d.health).toBe('unknown');
    expect(Object.fromEntries(d.checklist.map((a) => [a.step, a.result]))).toMatchObject({
      'printer.answers': 'passed',
      'printer.online': 'passed',
      'printer.paper': 'unknown',
      'printer.cover': 'unknown',
      'printer.cutter': 'unknown',
      'printer.error': 'unknown',
    });
  });

  it('several faults at once are all reported', () => {
    // cover open + paper end + cutter error
    expect(codes(all(0x1a, 0x76, 0x1a, 0x72))).toEqual(['printer.paper_end', 'printer.cover_open', 'printer.cutter_error']);
  });
});

describe('ASB frame diagnosis: the same codes for the same conditions as DLE EOT', () => {
  // Each condition as an Epson printer reports it both ways (docs/devices.md §1.1 and §1.3).
  it.each<[string, [number, number, number, number], number[], string[]]>([
    ['healthy', [0x12, 0x12, 0x12, 0x12], [0x10, 0x00, 0x00, 0x00], []],
    ['drawer high only', [0x16, 0x12, 0x12, 0x12], [0x14, 0x00, 0x00, 0x00], []],
    ['paper end', [0x1a, 0x32, 0x12, 0x72], [0x18, 0x00, 0x0c, 0x00], ['printer.paper_end']],
    ['near end', [0x12, 0x12, 0x12, 0x1e], [0x10, 0x00, 0x03, 0x00], ['printer.paper_near_end']],
    ['near end and paper end: only paper end', [0x1a, 0x32, 0x12, 0x7e], [0x18, 0x00, 0x0f, 0x00], ['printer.paper_end']],
    ['cover open', [0x1a, 0x16, 0x12, 0x12], [0x38, 0x00, 0x00, 0x00], ['printer.cover_open']],
    ['cutter error', [0x1a, 0x52, 0x1a, 0x12], [0x18, 0x08, 0x00, 0x00], ['printer.cutter_error']],
    ['recoverable error', [0x1a, 0x52, 0x16, 0x12], [0x18, 0x04, 0x00, 0x00], ['printer.recoverable_error']],
    ['unrecoverable error', [0x1a, 0x52, 0x32, 0x12], [0x18, 0x20, 0x00, 0x00], ['printer.unrecoverable_error']],
    ['auto-recoverable error', [0x1a, 0x52, 0x52, 0x12], [0x18, 0x40, 0x00, 0x00], ['printer.auto_recoverable_error', 'printer.offline']],
    ['offline with no cause', [0x1a, 0x12, 0x12, 0x12], [0x18, 0x00, 0x00, 0x00], ['printer.offline']],
    ['cover open with paper end', [0x1a, 0x36, 0x12, 0x72], [0x38, 0x00, 0x0c, 0x00], ['printer.paper_end', 'printer.cover_open']],
  ])('%s', (_name, dle, frame, expected) => {
    const polled = diagnose(all(...dle));
    const pushed = diagnoseAsbFrame(frame);
    expect(pushed.findings.map((f) => f.code)).toEqual(expected);
    expect(polled.findings.map((f) => f.code)).toEqual(expected);
    expect(pushed.health).toBe(polled.health);
    const resultsOf = (d: typeof pushed) => Object.fromEntries(d.checklist.map((a) => [a.step, a.result]));
    expect(resultsOf(pushed)).toEqual(resultsOf(polled));
  });

  it('cites the frame byte in findings and checklist', () => {
    const d = diagnoseAsbFrame([0x38, 0x00, 0x0c, 0x00]);
    expect(d.findings).toEqual([
      { code: 'printer.paper_end', detail: 'ASB byte 3 = 0x0c: paper end sensor: no paper' },
      { code: 'printer.cover_open', detail: 'ASB byte 1 = 0x38: cover open' },
    ]);
    expect(d.checklist.find((a) => a.step === 'printer.answers')?.observed).toBe('ASB 38 00 0c 00: valid Automatic Status Back frame');
    expect(d.checklist.find((a) => a.step === 'printer.error')?.observed).toBe('ASB byte 2 = 0x00: no error');
  });

  it('an invalid frame is unknown with every step unknown, never OK', () => {
    for (const frame of [[0x12, 0x00, 0x00, 0x00], [0x10, 0x10, 0x00, 0x00], [0x10, 0x00, 0x00], []]) {
      const d = diagnoseAsbFrame(frame);
      expect(d.health).toBe('unknown');
      expect(d.findings).toEqual([]);
      expect(d.checklist.filter((a) => a.step !== 'printer.connection').every((a) => a.result === 'unknown')).toBe(true);
      expect(d.checked).toEqual([]);
    }
  });
});

describe('the codes the driver declares', () => {
  it('are exactly the codes its diagnosis emits: every status byte per query, every ASB frame, no reply', () => {
    const emitted = new Set<string>();
    const note = (d: { findings: { code: string }[] }) => d.findings.forEach((f) => emitted.add(f.code));
    for (const n of [1, 2, 3, 4] as const) {
      for (let byte = 0; byte < 256; byte += 1) {
        const exchanges = all(0x12, 0x12, 0x12, 0x12);
        exchanges[n - 1] = exchange(n, byte);
        note(diagnose(exchanges));
      }
    }
    note(diagnose([exchange(1, null)], 'cannot connect'));
    for (const code of ['busy', 'absent', 'cannot_connect', 'timeout', 'io'] as const) note(diagnoseEscPos({ exchanges: [], connection: { opened: false, code, text: 'x' } }));
    note(diagnoseEscPos({ exchanges: [exchange(1, null)], closedMidRead: true, transportError: 'closed' }));
    note(diagnoseEscPos({ exchanges: [], wrongDevice: 'ENQ answered NAK' }));
    // byte 4 of a frame is not decoded; bytes 1-3 cover every pattern-valid value
    const firstBytes = Array.from({ length: 256 }, (_, b) => b).filter((b) => (b & 0x93) === 0x10);
    const nextBytes = Array.from({ length: 256 }, (_, b) => b).filter((b) => (b & 0x90) === 0x00);
    for (const b1 of firstBytes) for (const b2 of nextBytes) for (const b3 of nextBytes) note(diagnoseAsbFrame([b1, b2, b3, 0]));
    expect([...emitted].sort()).toEqual([...escposDriver.codes].sort());
  });
});

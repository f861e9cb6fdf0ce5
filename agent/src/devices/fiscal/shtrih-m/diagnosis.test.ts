import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, type DiagnosisCode } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FISCAL_THRESHOLDS } from '../../common/fiscal-rules';
import { parseHex } from '../../common/hex';
import { diagnoseShtrih, SHTRIH_CODES, type DiagnosisInput } from './diagnosis';
import type { ExchangeOutcome, ExchangeRecord } from './exchange';
import { observeShift, type CommandRun, type ShtrihMemory } from './facts';
import { encodeFrame, type AllowedCommand } from './protocol';
import { decodeReply } from './replies';

const fixturesDir = join(import.meta.dirname, 'fixtures');
interface Fixture {
  about: string;
  command: string;
  payload: string;
  expect: Record<string, unknown>;
}
const fixture = (name: string) => JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8')) as Fixture;

// The register's local time is the host's: pin the zone so the wall clocks below are exact.
process.env.TZ = 'Europe/Moscow';
const NOW = new Date('2026-02-03T11:25:36.000Z'); // 14:25:36 in Moscow, the full-status fixture's clock

function record(command: AllowedCommand, outcome: ExchangeOutcome): ExchangeRecord {
  return { command, request: new Uint8Array(0), outcome, sent: new Uint8Array(0), other: new Uint8Array(0), receivedBytes: 0, counts: { enq: 1, commandSends: 1, replyRetries: 0, unreadAnswers: 0 }, elapsedMs: 5 };
}

/** A command answered with this payload (hex), as the probe would have it. */
function answered(command: AllowedCommand, payloadHex: string): CommandRun {
  const payload = parseHex(payloadHex);
  return { command, record: record(command, { kind: 'reply', payload, frame: encodeFrame(payload) }), decoded: decodeReply(command, payload), at: NOW };
}
const fromFixture = (name: string) => {
  const f = fixture(name);
  return answered(Number.parseInt(f.command, 16) as AllowedCommand, f.payload);
};
const silent = (command: AllowedCommand, kind: 'no_connection' | 'garbage' | 'no_reply' = 'no_connection'): CommandRun => ({ command, record: record(command, { kind }), at: NOW });

/** A complete healthy probe: shift open, FN valid until 31.03.27, nothing unsent. */
function healthyRuns(): CommandRun[] {
  return [
    fromFixture('short-status-shift-open'),
    fromFixture('full-status'),
    fromFixture('device-type'),
    answered(0xff01, fixture('fn-status-archive-90').payload.replace('01 04 1a', '01 00 1a')),
    fromFixture('fn-validity'),
    answered(0xff39, 'ff 39 00 01 00 00 00 00 00 00 00 00 00 00 00 00'),
    answered(0xff3f, 'ff 3f 00 00 00'),
    fromFixture('shift-parameters'),
  ];
}

/** Every code any test here saw the diagnosis emit (checked against SHTRIH_CODES at the end). */
const emitted = new Set<DiagnosisCode>();
function diagnose(runs: CommandRun[], patch: Partial<DiagnosisInput> = {}) {
  const d = diagnoseShtrih({ runs, canceled: false, memory: {}, now: NOW, thresholds: DEFAULT_FISCAL_THRESHOLDS, flags: { paper: true, cover: true }, ...patch });
  for (const f of d.findings) emitted.add(f.code);
  return d;
}
const codes = (d: { findings: { code: DiagnosisCode }[] }) => d.findings.map((f) => f.code);
const replace = (runs: CommandRun[], run: CommandRun) => runs.map((r) => (r.command === run.command ? run : r));

describe('fixtures decode as recorded', () => {
  it.each(readdirSync(fixturesDir).map((name) => [name] as const))('%s', (name) => {
    const f = fixture(name.replace(/\.json$/, ''));
    expect(decodeReply(Number.parseInt(f.command, 16) as AllowedCommand, parseHex(f.payload))).toMatchObject(f.expect);
  });
});

describe('diagnoseShtrih', () => {
  it('a healthy register: ok, every step passed, facts and identity for the inventory', () => {
    const d = diagnose(healthyRuns());
    expect(d.findings).toEqual([]);
    expect(d.health).toBe('ok');
    expect(d.checklist.map((a) => [a.step, a.result])).toEqual([
      ['fiscal.answers', 'passed'],
      ['fiscal.paper_cover', 'passed'],
      ['fiscal.shift', 'passed'],
      ['fiscal.fn', 'passed'],
      ['fiscal.ofd', 'passed'],
      ['fiscal.clock', 'passed'],
    ]);
    expect(d.facts).toMatchObject({
      documentOpen: false,
      registerClock: '2026-02-03T14:25:36',
      clockDriftSeconds: 0,
      shift: { state: 'open', number: 42 },
      fn: { serial: '9999078900012345', validUntil: '2027-03-30T21:00:00.000Z', lastDocumentNumber: 4660, registrationsLeft: 11, phase: 'fiscal mode' },
      ofd: { unsentCount: 0, connected: true },
    });
    expect(d.identity).toEqual({ model: 'ШТРИХ-М-01Ф', serial: '12345678', firmware: 'A.4 build 4660 (2023-05-17)', fnSerial: '9999078900012345' });
  });

  it('port busy: a finding, never "no reply", and nothing examined', () => {
    const d = diagnose([], { openFailure: { busy: true, text: '/dev/ttyACM0 is held by another program' } });
    expect(codes(d)).toEqual(['fiscal.port_busy']);
    expect(d.health).toBe('warning');
    expect(d.checklist.every((a) => a.result === 'unknown')).toBe(true);
  });

  it.each([
    ['cannot open', [] as CommandRun[], { openFailure: { busy: false, text: 'cannot connect to 10.0.0.9:7778: connection refused' } }, /cannot open the register's port: cannot connect/],
    ['silence', [silent(0x10)], {}, /no answer to ENQ \(power, cable, port or baud rate\)/],
    ['garbage', [silent(0x10, 'garbage')], {}, /neither ACK nor NAK/],
    ['a status that does not decode', [answered(0x10, '10 00 1e')], {}, /does not decode/],
  ] as const)('no reply (%s): fault, the only finding', (_name, runs, patch, detail) => {
    const d = diagnose([...runs], patch);
    expect(codes(d)).toEqual(['fiscal.no_reply']);
    expect(d.findings[0]!.detail).toMatch(detail);
    expect(d.health).toBe('fault');
    expect(d.checklist[0]).toMatchObject({ step: 'fiscal.answers', result: 'failed' });
  });

  it('canceled before the register answered: unknown, no finding', () => {
    expect(diagnose([silent(0x10)], { canceled: true })).toMatchObject({ health: 'unknown', findings: [] });
  });

  it('mode 8: document open, health unknown, no findings, nothing else read', () => {
    const d = diagnose([fromFixture('short-status-document-open')]);
    expect(d).toMatchObject({ health: 'unknown', findings: [], facts: { documentOpen: true } });
    expect(d.checklist.find((a) => a.step === 'fiscal.answers')?.result).toBe('passed');
  });

  it('paper: from the submode, and from flags bits 1/7 unless paperFromFlags is off', () => {
    const noPaper = replace(healthyRuns(), fromFixture('short-status-no-paper'));
    expect(codes(diagnose(noPaper))).toEqual(['fiscal.paper_end']);
    expect(diagnose(noPaper).findings[0]!.detail).toBe('0x10 submode 2: no paper, waiting for paper to continue printing');
    const flagsOnly = replace(healthyRuns(), answered(0x10, '10 00 1e 10 02 02 00 00 9a b4 00 00 00 00 00 00'));
    expect(codes(diagnose(flagsOnly))).toEqual(['fiscal.paper_end']);
    expect(codes(diagnose(flagsOnly, { flags: { paper: false, cover: true } }))).toEqual([]);
  });

  it('cover from flags bit 10, unless coverFromFlags is off (then the paper/cover step is unknown)', () => {
    const cover = replace(healthyRuns(), fromFixture('short-status-cover-open'));
    expect(codes(diagnose(cover))).toEqual(['fiscal.cover_open']);
    const off = diagnose(cover, { flags: { paper: true, cover: false } });
    expect(codes(off)).toEqual([]);
    expect(off.checklist.find((a) => a.step === 'fiscal.paper_cover')?.result).toBe('unknown');
  });

  it('mode 3: shift expired; the FN archive flag: archive 90 %', () => {
    expect(codes(diagnose(replace(healthyRuns(), fromFixture('short-status-shift-expired'))))).toEqual(['fiscal.shift_expired']);
    expect(codes(diagnose(replace(healthyRuns(), fromFixture('fn-status-archive-90'))))).toEqual(['fiscal.fn_archive_90']);
  });

  it('FN warning bits 1 and 0 (30 and 3 days), bit 3 (OFD timeout); a 26-day backlog is critical', () => {
    const warn = (byte: string) => answered(0xff01, fixture('fn-status-archive-90').payload.replace('01 04 1a', `01 ${byte} 1a`));
    expect(codes(diagnose(replace(healthyRuns(), warn('02'))))).toEqual(['fiscal.fn_expires_30d']);
    expect(codes(diagnose(replace(healthyRuns(), warn('03'))))).toEqual(['fiscal.fn_expires_3d']);
    expect(codes(diagnose(replace(healthyRuns(), warn('08'))))).toEqual(['fiscal.ofd_connection_error']);
    // first unsent 08.01.26 09:05 (26 days before NOW)
    const old = answered(0xff39, 'ff 39 00 03 00 03 00 30 12 00 00 1a 01 08 09 05');
    expect(codes(diagnose(replace(healthyRuns(), old)))).toEqual(['fiscal.ofd_unsent_critical']);
  });

  it('OFD backlog: 14 days old is a warning (≥ 5 days)', () => {
    const d = diagnose(replace(healthyRuns(), fromFixture('ofd-backlog')));
    expect(codes(d)).toEqual(['fiscal.ofd_unsent_warning']);
    expect(d.facts?.ofd).toEqual({ unsentCount: 3, firstUnsentNumber: 4656, firstUnsentAt: '2026-01-20T06:05:00.000Z', connected: true });
  });

  it('clock drift from 0x11 against the host clock at the reply', () => {
    const late = replace(healthyRuns(), { ...fromFixture('full-status'), at: new Date(NOW.getTime() + 600_000) });
    const d = diagnose(late);
    expect(d.facts?.clockDriftSeconds).toBe(-600);
    expect(codes(d)).toEqual(['fiscal.clock_drift']);
  });

  it('errors the register answered with become findings; the read is then partial (unknown)', () => {
    const expired = diagnose(replace(healthyRuns(), fromFixture('error-fn-expired')));
    expect(codes(expired)).toEqual(['fiscal.fn_expired']);
    expect(expired.findings[0]!.detail).toBe('0xFF03 answered error 0x05: FN: FN lifetime expired');
    expect(expired.health).toBe('unknown');
    expect(codes(diagnose(replace(healthyRuns(), answered(0xff01, 'ff 01 03'))))).toEqual(['fiscal.fn_critical_error']);
    expect(codes(diagnose(replace(healthyRuns(), answered(0xff39, 'ff 39 15'))))).toEqual(['fiscal.ofd_unsent_blocked']);
    expect(codes(diagnose([fromFixture('error-no-receipt-tape')]))).toEqual(['fiscal.paper_end']);
    expect(codes(diagnose([answered(0x10, '10 71')]))).toEqual(['fiscal.cutter_error']);
    expect(codes(diagnose([answered(0x10, '10 76')]))).toEqual(['fiscal.printer_error']);
    expect(diagnose([answered(0x10, '10 4f')])).toMatchObject({ health: 'unknown', findings: [] }); // wrong password: nothing read
  });

  it('a read left unanswered makes the whole probe unknown, its findings kept', () => {
    const runs = replace(replace(healthyRuns(), silent(0xff39, 'no_reply')), fromFixture('short-status-no-paper'));
    const d = diagnose(runs);
    expect(codes(d)).toEqual(['fiscal.paper_end']);
    expect(d.health).toBe('unknown');
    expect(d.checklist[0]).toMatchObject({ step: 'fiscal.answers', result: 'failed' });
    expect(d.checklist[0]!.observed).toContain('0xFF39 OFD exchange status: the command was sent, no reply frame came in time');
  });

});

describe('the shift as observed', () => {
  const at = (iso: string) => new Date(iso);
  it('opened-at only once the agent saw it open after closed, or under a new number', () => {
    let memory: ShtrihMemory['shift'] = observeShift(undefined, { open: true, number: 7 }, at('2026-02-03T08:00:00Z'));
    expect(memory).toEqual({ open: true, number: 7 }); // already open when first seen: unknown since when
    memory = observeShift(memory, { open: true, number: 7 }, at('2026-02-03T09:00:00Z'));
    expect(memory.openedAt).toBeUndefined();
    memory = observeShift(memory, { open: true, number: 8 }, at('2026-02-03T10:00:00Z'));
    expect(memory).toEqual({ open: true, number: 8, openedAt: '2026-02-03T10:00:00.000Z' });
    memory = observeShift(memory, { open: true, number: 8 }, at('2026-02-03T11:00:00Z'));
    expect(memory.openedAt).toBe('2026-02-03T10:00:00.000Z');
    memory = observeShift(memory, { open: false, number: 8 }, at('2026-02-03T12:00:00Z'));
    memory = observeShift(memory, { open: true, number: 9 }, at('2026-02-03T13:00:00Z'));
    expect(memory.openedAt).toBe('2026-02-03T13:00:00.000Z');
  });

  it('a shift seen opening 23.5 h ago is over 23 h (observed)', () => {
    const memory: ShtrihMemory = { shift: { open: true, number: 42, openedAt: new Date(NOW.getTime() - 23.5 * 3_600_000).toISOString() } };
    const d = diagnose(healthyRuns(), { memory });
    expect(codes(d)).toEqual(['fiscal.shift_over_23h']);
    expect(d.facts?.shift).toMatchObject({ state: 'open', openedAtSource: 'observed' });
  });
});

describe('SHTRIH_CODES', () => {
  it('holds every code the tests above saw emitted, all fiscal, none of the ATOL queue', () => {
    expect([...emitted].filter((code) => !SHTRIH_CODES.includes(code))).toEqual([]);
    expect([...emitted].sort()).toEqual([...SHTRIH_CODES].sort()); // and every one of them is reachable
    for (const code of SHTRIH_CODES) expect(CATALOGUE[code].category).toBe('fiscal');
    expect(SHTRIH_CODES).not.toContain('fiscal.queue_blocked');
  });
});

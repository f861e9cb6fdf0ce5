// From DLE EOT exchanges, or an Automatic Status Back frame, to findings, checklist answers and
// health. Pure: no I/O, no clock.
import type { ChecklistAnswer, DiagnosisCode, Exchange, Finding } from '@tillscope/shared';
import { byteHex, parseHex, toHex } from '../../common/hex';
import { healthOf, unknownAnswer as unknown, type Diagnosis } from '../../common/report';
import { isRealTimeStatusByte, parseStatus, queryOfRequest, type StatusFlags, type StatusQuery } from './protocol';
import { parseAsbFrame } from './protocol-asb';

export type { Diagnosis };

/** Every code this driver's findings can carry (the driver's `codes`; diagnosis.test.ts checks it). */
export const ESCPOS_CODES = [
  'printer.no_reply',
  'printer.offline',
  'printer.paper_end',
  'printer.paper_near_end',
  'printer.cover_open',
  'printer.cutter_error',
  'printer.unrecoverable_error',
  'printer.recoverable_error',
  'printer.auto_recoverable_error',
] as const satisfies readonly DiagnosisCode[];

export interface DiagnosisInput {
  exchanges: readonly Exchange[];
  /** The transport failure, in plain words, when there was one (cannot connect, port vanished). */
  transportError?: string;
  /**
   * The agent itself gave up (its probe deadline passed, or it is stopping). Silence then says
   * nothing about the printer, so it is not `printer.no_reply`.
   */
  canceled?: boolean;
}

interface Answered {
  byte: number;
  exchange: Exchange;
}

/** Every checklist step a status answers (the test print is the cashier's). */
const ALL_STEPS = ['printer.answers', 'printer.online', 'printer.paper', 'printer.cover', 'printer.cutter', 'printer.error'] as const;

/**
 * Turns the exchanges of one probe into a diagnosis.
 *
 * - No valid reply to DLE EOT 1 → printer.no_reply (fault); the detail says whether the port
 *   could not be opened, closed mid-read, stayed silent or sent only invalid bytes.
 * - printer.offline only when DLE EOT 1 says offline and no specific cause (paper end, cover,
 *   DLE EOT 3 error) explains it: "offline" and "no reply" have different remedies.
 * - health: fault on any critical/major finding, warning on minor only, ok when all four queries
 *   answered and nothing is wrong, unknown when nothing is wrong but some query went unanswered.
 */
export function diagnoseEscPos(input: DiagnosisInput): Diagnosis {
  const replies = collectReplies(input.exchanges);
  const first = replies.get(1);
  if (!first && input.canceled) {
    const observed = 'not checked: the probe was canceled before the printer answered';
    return {
      health: 'unknown',
      findings: [],
      checklist: [
        ...ALL_STEPS.map((step) => unknown(step, observed)),
        testPrint(),
      ],
    };
  }
  if (!first) {
    const detail = describeNoReply(input);
    return {
      health: 'fault',
      findings: [{ code: 'printer.no_reply', detail }],
      checklist: [
        { step: 'printer.answers', result: 'failed', observed: detail },
        ...(['printer.online', 'printer.paper', 'printer.cover', 'printer.cutter', 'printer.error'] as const).map((step) =>
          unknown(step, 'not checked: the printer gave no valid status reply'),
        ),
        testPrint(),
      ],
    };
  }

  const flags = <N extends StatusQuery>(n: N) => {
    const answered = replies.get(n);
    return answered && parseStatus(n, answered.byte);
  };
  return diagnoseStatus({
    s1: flags(1),
    s2: flags(2),
    s3: flags(3),
    s4: flags(4),
    // only called for a query whose flags are known, i.e. that has a reply
    cite: (n) => `DLE EOT ${n} = ${byteHex(replies.get(n)?.byte ?? 0)}`,
    answered: `DLE EOT 1 = ${byteHex(first.byte)}: valid real-time status reply`,
    complete: replies.size === 4,
  });
}

/**
 * Turns one Automatic Status Back frame into a diagnosis with the same codes, checklist steps and
 * health rules as a DLE EOT probe (a frame carries all four status groups at once). Findings cite
 * the frame byte: "ASB byte 1 = 0x38: cover open". An invalid frame is unknown, never OK.
 */
export function diagnoseAsbFrame(frame: readonly number[] | Uint8Array): Diagnosis {
  const status = parseAsbFrame(frame);
  if (!status) {
    const observed = 'not checked: the Automatic Status Back frame failed its fixed-bit pattern';
    return { health: 'unknown', findings: [], checklist: [...ALL_STEPS.map((step) => unknown(step, observed)), testPrint()] };
  }
  return diagnoseStatus({
    s1: status.flags[1],
    s2: status.flags[2],
    s3: status.flags[3],
    s4: status.flags[4],
    cite: (n) => `ASB byte ${status.byteOf[n]} = ${byteHex(status.frame[status.byteOf[n] - 1]!)}`,
    answered: `ASB ${toHex(status.frame)}: valid Automatic Status Back frame`,
    complete: true,
  });
}

/** What one observation says, whatever carried it: DLE EOT replies, or an ASB frame. */
interface StatusView {
  s1: StatusFlags<1> | undefined;
  /** undefined: that query got no valid reply */
  s2: StatusFlags<2> | undefined;
  s3: StatusFlags<3> | undefined;
  s4: StatusFlags<4> | undefined;
  /** how a finding names where query n's flags came from, e.g. "DLE EOT 4 = 0x72" */
  cite: (n: StatusQuery) => string;
  /** the printer.answers observation */
  answered: string;
  /** every status group known: health may be ok */
  complete: boolean;
}

function diagnoseStatus(view: StatusView): Diagnosis {
  const { s1, s2, s3, s4, cite } = view;
  const findings: Finding[] = [];
  const add = (code: (typeof ESCPOS_CODES)[number], detail: string) => findings.push({ code, detail });

  const paperEnd = s4?.paperEnd
    ? `${cite(4)}: paper end sensor: no paper`
    : s2?.stoppedByPaperEnd
      ? `${cite(2)}: printing stopped by paper end`
      : undefined;
  if (paperEnd) add('printer.paper_end', paperEnd);
  if (s2?.coverOpen) add('printer.cover_open', `${cite(2)}: cover open`);
  if (s3?.autoCutterError) add('printer.cutter_error', `${cite(3)}: auto-cutter error`);
  if (s3?.unrecoverableError) add('printer.unrecoverable_error', `${cite(3)}: unrecoverable error`);
  if (s3?.recoverableError) add('printer.recoverable_error', `${cite(3)}: recoverable (mechanical) error`);
  if (s3?.autoRecoverableError) {
    add('printer.auto_recoverable_error', `${cite(3)}: auto-recoverable error (head overheated or cover opened while printing)`);
  }
  if (s4?.nearEnd && !paperEnd) add('printer.paper_near_end', `${cite(4)}: paper near-end sensor: paper near end`);

  // Paper end, cover open and every DLE EOT 3 error take a printer offline; near end does not.
  const causeFound = findings.some((f) => f.code !== 'printer.paper_near_end');
  if (s1?.offline && !causeFound) {
    const why = [
      s2?.errorOccurred ? `${cite(2)} reports an error but DLE EOT 3 names none` : undefined,
      s2?.feedingByButton ? `${cite(2)}: paper being fed by the FEED button` : undefined,
      s2 ? undefined : 'DLE EOT 2 (offline cause) got no valid reply',
    ].filter((part): part is string => part !== undefined);
    add('printer.offline', `${cite(1)}: offline${why.length > 0 ? `; ${why.join('; ')}` : ' with no cause reported'}`);
  }

  const checklist: ChecklistAnswer[] = [
    { step: 'printer.answers', result: 'passed', observed: view.answered },
    s1?.offline
      ? { step: 'printer.online', result: 'failed', observed: `${cite(1)}: offline` }
      : { step: 'printer.online', result: 'passed', observed: `${cite(1)}: online` },
    paperAnswer(s4, s2, cite),
    s2
      ? s2.coverOpen
        ? { step: 'printer.cover', result: 'failed', observed: `${cite(2)}: cover open` }
        : { step: 'printer.cover', result: 'passed', observed: `${cite(2)}: cover closed` }
      : unknown('printer.cover', 'DLE EOT 2 (offline cause) got no valid reply'),
    s3
      ? s3.autoCutterError
        ? { step: 'printer.cutter', result: 'failed', observed: `${cite(3)}: auto-cutter error` }
        : { step: 'printer.cutter', result: 'passed', observed: `${cite(3)}: no auto-cutter error` }
      : unknown('printer.cutter', 'DLE EOT 3 (error cause) got no valid reply'),
    errorAnswer(s3, s2, cite),
    testPrint(),
  ];

  return { health: healthOf(findings, view.complete), findings, checklist };
}

function collectReplies(exchanges: readonly Exchange[]): Map<StatusQuery, Answered> {
  const replies = new Map<StatusQuery, Answered>();
  for (const exchange of exchanges) {
    const n = queryOfRequest(exchange.request);
    if (n === undefined || exchange.reply === null || replies.has(n)) continue;
    const bytes = parseHex(exchange.reply);
    const byte = bytes[0];
    // Trust nothing that does not carry the real-time pattern, even if a caller marked it valid.
    if (bytes.length !== 1 || byte === undefined || !isRealTimeStatusByte(byte)) continue;
    replies.set(n, { byte, exchange });
  }
  return replies;
}

function describeNoReply(input: DiagnosisInput): string {
  const first = input.exchanges.find((e) => queryOfRequest(e.request) === 1);
  if (!first) {
    return `no reply to DLE EOT 1: ${input.transportError ?? 'the query was never sent'}`;
  }
  const waited = `${Math.round(first.elapsedMs)} ms`;
  const invalid = first.discarded.trim() !== '' ? `only invalid bytes (${first.discarded}), no real-time status byte` : undefined;
  if (input.transportError) {
    return `no reply to DLE EOT 1: ${input.transportError}${invalid ? `; before that ${invalid}` : ''}`;
  }
  if (invalid) return `no reply to DLE EOT 1 within ${waited}: ${invalid}`;
  return `no reply to DLE EOT 1 within ${waited}: silence (wrong port or emulation, or the printer is off)`;
}

function paperAnswer(s4: StatusFlags<4> | undefined, s2: StatusFlags<2> | undefined, cite: (n: StatusQuery) => string): ChecklistAnswer {
  if (s4) {
    if (s4.paperEnd) return { step: 'printer.paper', result: 'failed', observed: `${cite(4)}: paper end sensor: no paper` };
    if (s4.nearEnd) return { step: 'printer.paper', result: 'passed', observed: `${cite(4)}: paper loaded but near end` };
    return { step: 'printer.paper', result: 'passed', observed: `${cite(4)}: paper present` };
  }
  if (s2?.stoppedByPaperEnd) {
    return { step: 'printer.paper', result: 'failed', observed: `${cite(2)}: printing stopped by paper end` };
  }
  return unknown('printer.paper', 'DLE EOT 4 (roll paper sensor) got no valid reply');
}

function errorAnswer(s3: StatusFlags<3> | undefined, s2: StatusFlags<2> | undefined, cite: (n: StatusQuery) => string): ChecklistAnswer {
  if (s3) {
    const names = [
      s3.recoverableError && 'recoverable error',
      s3.autoCutterError && 'auto-cutter error',
      s3.unrecoverableError && 'unrecoverable error',
      s3.autoRecoverableError && 'auto-recoverable error',
    ].filter((name): name is string => typeof name === 'string');
    return names.length > 0
      ? { step: 'printer.error', result: 'failed', observed: `${cite(3)}: ${names.join(', ')}` }
      : { step: 'printer.error', result: 'passed', observed: `${cite(3)}: no error` };
  }
  if (s2?.errorOccurred) {
    return { step: 'printer.error', result: 'failed', observed: `${cite(2)}: error occurred` };
  }
  return unknown('printer.error', 'DLE EOT 3 (error cause) got no valid reply');
}

function testPrint(): ChecklistAnswer {
  return { step: 'printer.test_print', result: 'unknown', observed: 'the agent never prints; ask the cashier for a test print' };
}

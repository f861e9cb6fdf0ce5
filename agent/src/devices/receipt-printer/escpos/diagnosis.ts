// From DLE EOT exchanges to findings, checklist answers and health. Pure: no I/O, no clock.
import {
  catalogueEntry,
  type ChecklistAnswer,
  type ChecklistStep,
  type DeviceHealth,
  type DiagnosisCode,
  type Exchange,
  type Finding,
} from '@tillscope/shared';
import {
  byteHex,
  isRealTimeStatusByte,
  parseHex,
  parseStatus,
  queryOfRequest,
  type StatusFlags,
  type StatusQuery,
} from './protocol';

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

export interface Diagnosis {
  health: DeviceHealth;
  findings: Finding[];
  checklist: ChecklistAnswer[];
}

interface Answered {
  byte: number;
  exchange: Exchange;
}

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
        ...(['printer.answers', 'printer.online', 'printer.paper', 'printer.cover', 'printer.cutter', 'printer.error'] as const).map((step) =>
          unknown(step, observed),
        ),
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

  const s1 = parseStatus(1, first.byte);
  const n2 = replies.get(2);
  const n3 = replies.get(3);
  const n4 = replies.get(4);
  const s2 = n2 && parseStatus(2, n2.byte);
  const s3 = n3 && parseStatus(3, n3.byte);
  const s4 = n4 && parseStatus(4, n4.byte);
  const q = (n: StatusQuery, answered: Answered) => `DLE EOT ${n} = ${byteHex(answered.byte)}`;

  const findings: Finding[] = [];
  const add = (code: DiagnosisCode, detail: string) => findings.push({ code, detail });

  const paperEnd = s4?.paperEnd
    ? `${q(4, n4!)}: paper end sensor: no paper`
    : s2?.stoppedByPaperEnd
      ? `${q(2, n2!)}: printing stopped by paper end`
      : undefined;
  if (paperEnd) add('printer.paper_end', paperEnd);
  if (s2?.coverOpen) add('printer.cover_open', `${q(2, n2!)}: cover open`);
  if (s3?.autoCutterError) add('printer.cutter_error', `${q(3, n3!)}: auto-cutter error`);
  if (s3?.unrecoverableError) add('printer.unrecoverable_error', `${q(3, n3!)}: unrecoverable error`);
  if (s3?.recoverableError) add('printer.recoverable_error', `${q(3, n3!)}: recoverable (mechanical) error`);
  if (s3?.autoRecoverableError) {
    add('printer.auto_recoverable_error', `${q(3, n3!)}: auto-recoverable error (head overheated or cover opened while printing)`);
  }
  if (s4?.nearEnd && !paperEnd) add('printer.paper_near_end', `${q(4, n4!)}: paper near-end sensor: paper near end`);

  // Paper end, cover open and every DLE EOT 3 error take a printer offline; near end does not.
  const causeFound = findings.some((f) => f.code !== 'printer.paper_near_end');
  if (s1?.offline && !causeFound) {
    const why = [
      s2?.errorOccurred ? `${q(2, n2!)} reports an error but DLE EOT 3 names none` : undefined,
      s2?.feedingByButton ? `${q(2, n2!)}: paper being fed by the FEED button` : undefined,
      n2 ? undefined : 'DLE EOT 2 (offline cause) got no valid reply',
    ].filter((part): part is string => part !== undefined);
    add('printer.offline', `${q(1, first)}: offline${why.length > 0 ? `; ${why.join('; ')}` : ' with no cause reported'}`);
  }

  const checklist: ChecklistAnswer[] = [
    { step: 'printer.answers', result: 'passed', observed: `${q(1, first)}: valid real-time status reply` },
    s1?.offline
      ? { step: 'printer.online', result: 'failed', observed: `${q(1, first)}: offline` }
      : { step: 'printer.online', result: 'passed', observed: `${q(1, first)}: online` },
    paperAnswer(s4, n4, s2, n2),
    s2 && n2
      ? s2.coverOpen
        ? { step: 'printer.cover', result: 'failed', observed: `${q(2, n2)}: cover open` }
        : { step: 'printer.cover', result: 'passed', observed: `${q(2, n2)}: cover closed` }
      : unknown('printer.cover', 'DLE EOT 2 (offline cause) got no valid reply'),
    s3 && n3
      ? s3.autoCutterError
        ? { step: 'printer.cutter', result: 'failed', observed: `${q(3, n3)}: auto-cutter error` }
        : { step: 'printer.cutter', result: 'passed', observed: `${q(3, n3)}: no auto-cutter error` }
      : unknown('printer.cutter', 'DLE EOT 3 (error cause) got no valid reply'),
    errorAnswer(s3, n3, s2, n2),
    testPrint(),
  ];

  return { health: healthOf(findings, replies.size === 4), findings, checklist };
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

function paperAnswer(
  s4: StatusFlags<4> | undefined,
  n4: Answered | undefined,
  s2: StatusFlags<2> | undefined,
  n2: Answered | undefined,
): ChecklistAnswer {
  if (s4 && n4) {
    const at = `DLE EOT 4 = ${byteHex(n4.byte)}`;
    if (s4.paperEnd) return { step: 'printer.paper', result: 'failed', observed: `${at}: paper end sensor: no paper` };
    if (s4.nearEnd) return { step: 'printer.paper', result: 'passed', observed: `${at}: paper loaded but near end` };
    return { step: 'printer.paper', result: 'passed', observed: `${at}: paper present` };
  }
  if (s2?.stoppedByPaperEnd && n2) {
    return { step: 'printer.paper', result: 'failed', observed: `DLE EOT 2 = ${byteHex(n2.byte)}: printing stopped by paper end` };
  }
  return unknown('printer.paper', 'DLE EOT 4 (roll paper sensor) got no valid reply');
}

function errorAnswer(
  s3: StatusFlags<3> | undefined,
  n3: Answered | undefined,
  s2: StatusFlags<2> | undefined,
  n2: Answered | undefined,
): ChecklistAnswer {
  if (s3 && n3) {
    const names = [
      s3.recoverableError && 'recoverable error',
      s3.autoCutterError && 'auto-cutter error',
      s3.unrecoverableError && 'unrecoverable error',
      s3.autoRecoverableError && 'auto-recoverable error',
    ].filter((name): name is string => typeof name === 'string');
    const at = `DLE EOT 3 = ${byteHex(n3.byte)}`;
    return names.length > 0
      ? { step: 'printer.error', result: 'failed', observed: `${at}: ${names.join(', ')}` }
      : { step: 'printer.error', result: 'passed', observed: `${at}: no error` };
  }
  if (s2?.errorOccurred && n2) {
    return { step: 'printer.error', result: 'failed', observed: `DLE EOT 2 = ${byteHex(n2.byte)}: error occurred` };
  }
  return unknown('printer.error', 'DLE EOT 3 (error cause) got no valid reply');
}

function healthOf(findings: readonly Finding[], allAnswered: boolean): DeviceHealth {
  const severities = findings.map((f) => catalogueEntry(f.code).severity);
  if (severities.some((s) => s === 'critical' || s === 'major')) return 'fault';
  if (severities.some((s) => s === 'minor')) return 'warning';
  return allAnswered ? 'ok' : 'unknown';
}

function unknown(step: ChecklistStep, observed: string): ChecklistAnswer {
  return { step, result: 'unknown', observed };
}

function testPrint(): ChecklistAnswer {
  return { step: 'printer.test_print', result: 'unknown', observed: 'the agent never prints; ask the cashier for a test print' };
}

// From DLE EOT exchanges, or an Automatic Status Back frame, to findings, checklist answers and
// health. Pure: no I/O, no clock.
import type { ChecklistAnswer, DiagnosisCode, Exchange, Finding } from '@tillscope/shared';
import { byteHex, parseHex, toHex } from '../../common/hex';
import type { TransportErrorCode } from '../../../transports/transport';
import { connectionAnswer, linkCodesChecked, linkFinding, PRINTER_LINK_CODES, PRINTER_STATUS_CODES, queueNotConfigured, testPrintNotAsked } from '../../common/printer-link';
import { answer, healthOf, unknownAnswer as unknown, type Diagnosis } from '../../common/report';
import { isRealTimeStatusByte, parseStatus, queryOfRequest, type StatusFlags, type StatusQuery } from './protocol';
import { parseAsbFrame } from './protocol-asb';

export type { Diagnosis };

/** Every code this driver's findings can carry (the driver's `codes`; diagnosis.test.ts checks it). */
export const ESCPOS_CODES = [...PRINTER_LINK_CODES, 'printer.wrong_device', ...PRINTER_STATUS_CODES] as const satisfies readonly DiagnosisCode[];
type EscPosCode = (typeof ESCPOS_CODES)[number];

/**
 * How the port went: opened, or not, with the TransportError code (`fiscal`: not opened because
 * the port is a fiscal register's, remembered from an earlier probe).
 */
export type Connection = { opened: true; text: string } | { opened: false; code: TransportErrorCode | 'fiscal'; text: string };

export interface DiagnosisInput {
  exchanges: readonly Exchange[];
  /** The transport failure, in plain words, when there was one (cannot connect, port vanished). */
  transportError?: string;
  /**
   * The agent itself gave up (its probe deadline passed, or it is stopping). Silence then says
   * nothing about the printer, so it is not `printer.no_reply`.
   */
  canceled?: boolean;
  /** How the port went; absent: opened (a held connection, or older callers). */
  connection?: Connection;
  /** The port closed (or a write failed) after it was opened: the printer went away mid-read. */
  closedMidRead?: boolean;
  /** Queries this printer is known not to answer (silent repeatedly): named so in the checklist. */
  knownSilent?: readonly StatusQuery[];
  /** Why the port is a fiscal register's (the ENQ evidence): printer.wrong_device. */
  wrongDevice?: string;
}

interface Answered {
  byte: number;
  exchange: Exchange;
}

const STATUS_STEPS = ['printer.online', 'printer.paper', 'printer.cover', 'printer.cutter', 'printer.error'] as const;
/** Codes settled by the port opening (or not) and the fiscal check. */
const PORT_CODES: readonly EscPosCode[] = ['printer.disconnected', 'printer.port_busy', 'printer.wrong_device'];
/** Codes each DLE EOT n answer settles. */
const CODES_OF_QUERY: Readonly<Record<StatusQuery, readonly EscPosCode[]>> = {
  1: ['printer.no_reply', 'printer.offline'],
  2: ['printer.cover_open'],
  3: ['printer.cutter_error', 'printer.unrecoverable_error', 'printer.recoverable_error', 'printer.auto_recoverable_error'],
  4: ['printer.paper_end', 'printer.paper_near_end'],
};
const QUERY_NAMES: Readonly<Record<StatusQuery, string>> = { 1: 'printer status', 2: 'offline cause', 3: 'error cause', 4: 'roll paper sensor' };

/** "this printer does not answer DLE EOT 2 (offline cause)", or "DLE EOT 2 (offline cause) got no valid reply". */
function unansweredText(n: StatusQuery, knownSilent: readonly StatusQuery[] | undefined): string {
  return knownSilent?.includes(n) ? `this printer does not answer DLE EOT ${n} (${QUERY_NAMES[n]})` : `DLE EOT ${n} (${QUERY_NAMES[n]}) got no valid reply`;
}

/**
 * Turns the exchanges of one probe into a diagnosis.
 *
 * - The port: not there → printer.disconnected; held by another program → printer.port_busy (not
 *   taken); TCP refused or timed out → printer.no_reply, the connection step failed; a fiscal
 *   register's handshake on it → printer.wrong_device; closed mid-read → printer.disconnected.
 * - No valid reply to any status query → printer.no_reply; the detail says whether the port
 *   stayed silent or sent only invalid bytes.
 * - A printer that answers some queries (a clone answering DLE EOT 1 and 4) is diagnosed from
 *   those; `checked` lists the codes its answers vouch for (DLE EOT 4 → paper end/near end).
 * - printer.offline when DLE EOT 1 says offline and no specific cause explains it, or when the
 *   only cause is an auto-recoverable error (it will not print until the head cools).
 * - health: fault on any critical/major finding, warning on minor only, ok when all four queries
 *   answered and nothing is wrong, unknown when nothing is wrong but some query went unanswered.
 */
export function diagnoseEscPos(input: DiagnosisInput): Diagnosis {
  const connection = input.connection ?? { opened: true, text: 'port opened' };
  if (input.wrongDevice !== undefined) return wrongDevice(connection, input.wrongDevice);
  if (!connection.opened) return input.canceled ? canceled(connection) : notOpened(connection);
  const replies = collectReplies(input.exchanges);
  if (replies.size === 0 && input.canceled) return canceled(connection);
  if (replies.size === 0) return noReply(input, connection);
  const flags = <N extends StatusQuery>(n: N) => {
    const answered = replies.get(n);
    return answered && parseStatus(n, answered.byte);
  };
  const first = replies.get(1);
  const diagnosis = diagnoseStatus({
    s1: flags(1),
    s2: flags(2),
    s3: flags(3),
    s4: flags(4),
    cite: (n) => `DLE EOT ${n} = ${byteHex(replies.get(n)?.byte ?? 0)}`,
    answered: first ? `DLE EOT 1 = ${byteHex(first.byte)}: valid real-time status reply` : `answers DLE EOT ${[...replies.keys()].join(', ')}; ${unansweredText(1, input.knownSilent)}`,
    // DLE EOT 2 "error occurred" with DLE EOT 3 naming none is a contradiction: not all clear.
    complete: replies.size === 4 && !(flags(2)?.errorOccurred && !anyError(flags(3))),
    unanswered: (n) => unansweredText(n, input.knownSilent),
    connection: { step: 'printer.connection', result: 'passed', observed: connection.text },
    checked: [...PORT_CODES, ...[...replies.keys()].flatMap((n) => CODES_OF_QUERY[n]), 'printer.no_reply'],
  });
  return input.closedMidRead && !input.canceled ? withDisconnect(diagnosis, input.transportError) : diagnosis;
}

function anyError(s3: StatusFlags<3> | undefined): boolean {
  return s3 !== undefined && (s3.recoverableError || s3.autoCutterError || s3.unrecoverableError || s3.autoRecoverableError);
}

/** A probe that answered, then lost the port: what it saw, plus printer.disconnected. */
function withDisconnect(diagnosis: Diagnosis, transportError: string | undefined): Diagnosis {
  const findings: Finding[] = [...diagnosis.findings, { code: 'printer.disconnected', detail: `the port closed mid-read: ${transportError ?? 'closed'}` }];
  return { ...diagnosis, findings, health: healthOf(findings, false) };
}

function checklistOf(connection: ChecklistAnswer, answers: ChecklistAnswer, rest: string): ChecklistAnswer[] {
  return [connection, answers, ...STATUS_STEPS.map((step) => unknown(step, rest)), queueNotConfigured(), testPrintNotAsked()];
}

function canceled(connection: Connection): Diagnosis {
  const observed = 'not checked: the probe was canceled before the printer answered';
  const first = connection.opened ? { step: 'printer.connection' as const, result: 'passed' as const, observed: connection.text } : unknown('printer.connection', observed);
  return { health: 'unknown', findings: [], checklist: checklistOf(first, unknown('printer.answers', observed), observed), checked: [] };
}

function wrongDevice(connection: Connection, evidence: string): Diagnosis {
  const detail = `${evidence}; no printer byte is sent to this port again until the agent restarts`;
  const first = connection.opened ? { step: 'printer.connection' as const, result: 'passed' as const, observed: connection.text } : unknown('printer.connection', connection.text);
  return {
    health: 'fault',
    findings: [{ code: 'printer.wrong_device', detail }],
    checklist: checklistOf(first, { step: 'printer.answers', result: 'failed', observed: evidence }, 'not checked: a fiscal register, not a printer, is on this port'),
    checked: ['printer.wrong_device', 'printer.disconnected', 'printer.port_busy'],
  };
}

/** The port did not open: busy, absent, refused or timed out. */
function notOpened(connection: Extract<Connection, { opened: false }>): Diagnosis {
  const rest = 'not checked: no connection to the printer';
  const code = connection.code === 'fiscal' ? 'io' : connection.code;
  const detail = { busy: `${connection.text}; not taken, tried again at the next probe`, absent: `the port is not there: ${connection.text}` }[code as string] ?? `connection failed: ${connection.text}`;
  const finding = linkFinding(code, detail);
  const findings = finding ? [finding] : [];
  const answers = finding?.code === 'printer.no_reply' ? { step: 'printer.answers' as const, result: 'failed' as const, observed: detail } : unknown('printer.answers', rest);
  return {
    health: healthOf(findings, false),
    findings,
    checklist: checklistOf(connectionAnswer({ state: 'failed', code, text: connection.text }, connection.text), answers, rest),
    checked: linkCodesChecked({ state: 'failed', code, text: connection.text }),
  };
}

/** The port opened, but no status query got a valid reply. */
function noReply(input: DiagnosisInput, connection: Extract<Connection, { opened: true }>): Diagnosis {
  const rest = 'not checked: the printer gave no valid status reply';
  const passed = { step: 'printer.connection' as const, result: 'passed' as const, observed: connection.text };
  if (input.closedMidRead) {
    const detail = `the port closed mid-read: ${input.transportError ?? 'closed'}`;
    return {
      health: 'fault',
      findings: [{ code: 'printer.disconnected', detail }],
      checklist: checklistOf({ ...passed, result: 'failed', observed: `${connection.text}, then ${detail}` }, { step: 'printer.answers', result: 'failed', observed: detail }, rest),
      checked: ['printer.disconnected', 'printer.port_busy'],
    };
  }
  const detail = describeNoReply(input);
  return {
    health: 'fault',
    findings: [{ code: 'printer.no_reply', detail }],
    checklist: checklistOf(passed, { step: 'printer.answers', result: 'failed', observed: detail }, rest),
    checked: [...PORT_CODES, 'printer.no_reply'],
  };
}

/**
 * Turns one Automatic Status Back frame into a diagnosis with the same codes, checklist steps and
 * health rules as a DLE EOT probe (a frame carries all four status groups at once). Findings cite
 * the frame byte: "ASB byte 1 = 0x38: cover open". An invalid frame is unknown, never OK.
 */
export function diagnoseAsbFrame(frame: readonly number[] | Uint8Array): Diagnosis {
  const status = parseAsbFrame(frame);
  const connection: ChecklistAnswer = { step: 'printer.connection', result: 'passed', observed: 'connection held by the Automatic Status Back watch' };
  if (!status) {
    const observed = 'not checked: the Automatic Status Back frame failed its fixed-bit pattern';
    return { health: 'unknown', findings: [], checklist: checklistOf(connection, unknown('printer.answers', observed), observed), checked: [] };
  }
  return diagnoseStatus({
    s1: status.flags[1],
    s2: status.flags[2],
    s3: status.flags[3],
    s4: status.flags[4],
    cite: (n) => `ASB byte ${status.byteOf[n]} = ${byteHex(status.frame[status.byteOf[n] - 1]!)}`,
    answered: `ASB ${toHex(status.frame)}: valid Automatic Status Back frame`,
    complete: true,
    unanswered: (n) => unansweredText(n, undefined),
    connection,
    checked: [...ESCPOS_CODES],
  });
}

/** What one observation says, whatever carried it: DLE EOT replies, or an ASB frame. */
interface StatusView {
  /** undefined: that query got no valid reply */
  s1: StatusFlags<1> | undefined;
  s2: StatusFlags<2> | undefined;
  s3: StatusFlags<3> | undefined;
  s4: StatusFlags<4> | undefined;
  /** how a finding names where query n's flags came from, e.g. "DLE EOT 4 = 0x72" */
  cite: (n: StatusQuery) => string;
  /** the printer.answers observation */
  answered: string;
  /** every status group known: health may be ok */
  complete: boolean;
  /** why query n's step could not be answered */
  unanswered: (n: StatusQuery) => string;
  connection: ChecklistAnswer;
  /** the codes the answers vouch for (findings' codes are added) */
  checked: readonly EscPosCode[];
}

function findingsOf(view: StatusView): Finding[] {
  const { s1, s2, s3, s4, cite } = view;
  const findings: Finding[] = [];
  const add = (code: EscPosCode, detail: string) => findings.push({ code, detail });
  const paperEnd = s4?.paperEnd ? `${cite(4)}: paper end sensor: no paper` : s2?.stoppedByPaperEnd ? `${cite(2)}: printing stopped by paper end` : undefined;
  if (paperEnd) add('printer.paper_end', paperEnd);
  if (s2?.coverOpen) add('printer.cover_open', `${cite(2)}: cover open`);
  if (s3?.autoCutterError) add('printer.cutter_error', `${cite(3)}: auto-cutter error`);
  if (s3?.unrecoverableError) add('printer.unrecoverable_error', `${cite(3)}: unrecoverable error`);
  if (s3?.recoverableError) add('printer.recoverable_error', `${cite(3)}: recoverable (mechanical) error`);
  if (s3?.autoRecoverableError) add('printer.auto_recoverable_error', `${cite(3)}: auto-recoverable error (head overheated or cover opened while printing)`);
  if (s4?.nearEnd && !paperEnd) add('printer.paper_near_end', `${cite(4)}: paper near-end sensor: paper near end`);
  // Paper end, cover open and the DLE EOT 3 errors take a printer offline and say why; near end
  // does not, and an auto-recoverable error alone still leaves it unable to print for a while.
  const causeFound = findings.some((f) => f.code !== 'printer.paper_near_end' && f.code !== 'printer.auto_recoverable_error');
  if (s1?.offline && !causeFound) add('printer.offline', offlineDetail(view));
  return findings;
}

function offlineDetail({ s2, s3, cite, unanswered }: StatusView): string {
  if (s3?.autoRecoverableError) {
    return `${cite(1)}: offline; ${cite(3)}: auto-recoverable error (head overheated, or cover opened while printing): it prints again by itself once the head cools`;
  }
  const why = [
    s2?.errorOccurred ? `${cite(2)} reports an error but DLE EOT 3 names none` : undefined,
    s2?.feedingByButton ? `${cite(2)}: paper being fed by the FEED button` : undefined,
    s2 ? undefined : unanswered(2),
  ].filter((part): part is string => part !== undefined);
  return `${cite(1)}: offline${why.length > 0 ? `; ${why.join('; ')}` : ' with no cause reported'}`;
}

function diagnoseStatus(view: StatusView): Diagnosis {
  const { s1, s2, s3, cite, unanswered } = view;
  const findings = findingsOf(view);
  const checklist: ChecklistAnswer[] = [
    view.connection,
    { step: 'printer.answers', result: 'passed', observed: view.answered },
    s1 ? answer('printer.online', !s1.offline, `${cite(1)}: ${s1.offline ? 'offline' : 'online'}`) : unknown('printer.online', unanswered(1)),
    paperAnswer(view),
    s2 ? answer('printer.cover', !s2.coverOpen, `${cite(2)}: cover ${s2.coverOpen ? 'open' : 'closed'}`) : unknown('printer.cover', unanswered(2)),
    s3 ? answer('printer.cutter', !s3.autoCutterError, `${cite(3)}: ${s3.autoCutterError ? 'auto-cutter error' : 'no auto-cutter error'}`) : unknown('printer.cutter', unanswered(3)),
    errorAnswer(view),
    queueNotConfigured(),
    testPrintNotAsked(),
  ];
  const checked = [...new Set<DiagnosisCode>([...view.checked, ...findings.map((f) => f.code)])];
  return { health: healthOf(findings, view.complete), findings, checklist, checked };
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
  const shown = first.discarded.length > 48 ? `${first.discarded.slice(0, 47)}…` : first.discarded;
  const invalid = first.discarded.trim() !== '' ? `only invalid bytes (${shown}), no real-time status byte` : undefined;
  if (input.transportError) {
    return `no reply to DLE EOT 1: ${input.transportError}${invalid ? `; before that ${invalid}` : ''}`;
  }
  if (invalid) return `no reply to DLE EOT 1 within ${waited}: ${invalid}`;
  return `no reply to DLE EOT 1 within ${waited}: silence (wrong port or emulation, or the printer is off)`;
}

function paperAnswer({ s4, s2, cite, unanswered }: StatusView): ChecklistAnswer {
  if (s4) {
    if (s4.paperEnd) return { step: 'printer.paper', result: 'failed', observed: `${cite(4)}: paper end sensor: no paper` };
    if (s4.nearEnd) return { step: 'printer.paper', result: 'passed', observed: `${cite(4)}: paper loaded but near end` };
    return { step: 'printer.paper', result: 'passed', observed: `${cite(4)}: paper present` };
  }
  if (s2?.stoppedByPaperEnd) {
    return { step: 'printer.paper', result: 'failed', observed: `${cite(2)}: printing stopped by paper end` };
  }
  return unknown('printer.paper', unanswered(4));
}

function errorAnswer({ s3, s2, cite, unanswered }: StatusView): ChecklistAnswer {
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
  return unknown('printer.error', unanswered(3));
}


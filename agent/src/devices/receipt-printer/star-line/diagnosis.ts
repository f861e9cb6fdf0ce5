// From a Star line mode probe (the link, and the status frame if one came) to findings, checklist
// answers, health and the codes the probe vouches for. Pure: no I/O, no clock.
import type { ChecklistAnswer, DiagnosisCode, Exchange, Finding } from '@tillscope/shared';
import { byteHex, parseHex } from '../../common/hex';
import { connectionAnswer, linkCodesChecked, linkFinding, PRINTER_LINK_CODES, PRINTER_STATUS_CODES, queueNotConfigured, testPrintNotAsked, type LinkOutcome } from '../../common/printer-link';
import { answer, healthOf, unknownAnswer as unknown, type Diagnosis } from '../../common/report';
import { frameLengthOf, parseStarFrame, type StarFlagKey, type StarStatus } from './protocol';

/** Every code this driver's findings can carry (the driver's `codes`); a valid frame rules in or out each one. */
export const STAR_CODES = [...PRINTER_LINK_CODES, ...PRINTER_STATUS_CODES] as const satisfies readonly DiagnosisCode[];
type StarCode = (typeof STAR_CODES)[number];

/** A Diagnosis that always says which codes the probe could rule in or out (`report.checked`). */
export interface StarDiagnosis extends Diagnosis {
  checked: DiagnosisCode[];
}

export interface StarDiagnosisInput {
  link: LinkOutcome;
  /** how the connection step names the port: "TCP 10.0.0.5:9100", "serial /dev/ttyUSB0 @ 9600" */
  where: string;
  exchanges: readonly Exchange[];
  /** automatic status is on: the probe only listened, it sent no request */
  automatic: boolean;
  /** the agent gave up (deadline, stopping): silence then says nothing about the printer */
  canceled?: boolean;
}

const STATUS_STEPS = ['printer.answers', 'printer.online', 'printer.paper', 'printer.cover', 'printer.cutter', 'printer.error'] as const;

/**
 * - A valid frame (the last one in the exchanges) decides every status step and vouches for every
 *   code of the driver.
 * - A failed link gives the brief's mapping (disconnected, port busy, no reply) and the failed
 *   connection step; an open port with no valid frame gives printer.no_reply, saying whether the
 *   printer was silent or sent bytes that are not a frame (garbage is never OK).
 * - Automatic status without a frame, or a canceled probe: health unknown, nothing found.
 */
export function diagnoseStarLine(input: StarDiagnosisInput): StarDiagnosis {
  const frame = lastValidFrame(input.exchanges);
  if (frame && input.link.state === 'opened') return diagnoseFrame(frame, input);
  if (input.canceled || (input.link.state === 'opened' && input.automatic && !input.exchanges.some((e) => e.reply !== null || e.discarded !== ''))) {
    return silentOutcome(input);
  }
  return failedOutcome(input);
}

function lastValidFrame(exchanges: readonly Exchange[]): StarStatus | undefined {
  for (const exchange of [...exchanges].reverse()) {
    if (!exchange.valid || exchange.reply === null) continue;
    // Trust nothing that fails the frame checks, even if a caller marked it valid.
    const status = parseStarFrame(parseHex(exchange.reply));
    if (status) return status;
  }
  return undefined;
}

function closingSteps(): ChecklistAnswer[] {
  return [queueNotConfigured(), testPrintNotAsked()];
}

function silentOutcome(input: StarDiagnosisInput): StarDiagnosis {
  const observed = input.canceled
    ? 'not checked: the probe was canceled before the printer answered'
    : 'not checked: automatic status is on, so the agent does not ask (Star rule), and no frame came while it listened';
  return {
    health: 'unknown',
    findings: [],
    checklist: [connectionAnswer(input.link, input.where), ...STATUS_STEPS.map((step) => unknown(step, observed)), ...closingSteps()],
    checked: input.canceled ? [] : linkCodesChecked(input.link).filter((code) => code !== 'printer.no_reply'),
  };
}

function failedOutcome(input: StarDiagnosisInput): StarDiagnosis {
  const finding: Finding | undefined =
    input.link.state === 'failed' ? linkFinding(input.link.code, noReplyDetail(input)) : { code: 'printer.no_reply', detail: noReplyDetail(input) };
  const findings = finding ? [finding] : [];
  const notChecked = 'not checked: the printer gave no valid status frame';
  return {
    health: healthOf(findings, false),
    findings,
    checklist: [
      connectionAnswer(input.link, input.where),
      finding?.code === 'printer.no_reply' ? { step: 'printer.answers', result: 'failed', observed: finding.detail } : unknown('printer.answers', notChecked),
      ...STATUS_STEPS.slice(1).map((step) => unknown(step, notChecked)),
      ...closingSteps(),
    ],
    checked: linkCodesChecked(input.link),
  };
}

/** Why no status came, in plain words: the link failure, silence, or bytes that are not a frame. */
function noReplyDetail(input: StarDiagnosisInput): string {
  const last = input.exchanges.at(-1);
  const linkText = input.link.state === 'failed' ? input.link.text : undefined;
  if (!last) return `no status frame: ${linkText ?? 'the request was never sent'}`;
  const asked = last.request === '' ? 'no automatic status frame' : `no reply to ESC ACK SOH within ${Math.round(last.elapsedMs)} ms`;
  const badFrame = last.reply !== null ? frameMismatch(last.reply) : undefined;
  const junk = last.discarded.trim() !== '' ? `only bytes that are not a status frame (${last.discarded.slice(0, 120)})` : undefined;
  const what = [badFrame, junk].filter((part): part is string => part !== undefined).join('; ');
  if (linkText) return `${asked}: ${linkText}${what ? `; before that ${what}` : ''}`;
  if (what) return `${asked}: ${what}`;
  return `${asked}: silence (wrong port or emulation, the printer is off, or it is in ESC/POS mode)`;
}

function frameMismatch(replyHex: string): string {
  const bytes = parseHex(replyHex);
  const length = frameLengthOf(bytes[0] ?? 0);
  return `frame ${replyHex}: header 1 gives ${length} bytes but more status-pattern bytes followed, so the length rule does not fit this printer (unverified rule, see the driver README)`;
}

function diagnoseFrame(status: StarStatus, input: StarDiagnosisInput): StarDiagnosis {
  const flags = status.flags;
  const cite = (byte: number) => `byte ${byte} = ${byteHex(status.frame[byte - 1] ?? 0)}`;
  const findings: Finding[] = [];
  const add = (code: StarCode, detail: string) => findings.push({ code, detail });
  const when = (key: StarFlagKey, code: StarCode, byte: number, words: string) => flags[key] && add(code, `${cite(byte)}: ${words}`);

  when('paperEnd', 'printer.paper_end', 6, 'paper end sensor: no paper');
  when('coverOpen', 'printer.cover_open', 3, 'cover open');
  when('autoCutterError', 'printer.cutter_error', 4, 'auto-cutter error');
  when('unrecoverableError', 'printer.unrecoverable_error', 4, 'unrecoverable error');
  when('mechanicalError', 'printer.recoverable_error', 4, 'mechanical error');
  when('headHighTemperature', 'printer.auto_recoverable_error', 4, 'stopped by head high temperature (clears as the head cools)');
  const nearEnd = flags.nearEndInner || flags.nearEndOuter;
  if (nearEnd && !flags.paperEnd) add('printer.paper_near_end', `${cite(6)}: paper near end (${flags.nearEndInner ? 'inner' : 'outer'} sensor)`);

  // A named cause explains being offline; head overheat does not: the printer cannot print until
  // it cools, and the ticket must say so with the weight of offline, not as a minor warning.
  const explained = findings.some((f) => f.code !== 'printer.paper_near_end' && f.code !== 'printer.auto_recoverable_error');
  const offline = flags.offline || flags.offlineBySwitch;
  if (offline && !explained) add('printer.offline', `${cite(3)}: ${offlineWords(flags)}`);

  return {
    health: healthOf(findings, true),
    findings,
    checklist: [connectionAnswer(input.link, input.where), ...frameSteps(status, cite, input.automatic), ...closingSteps()],
    checked: [...STAR_CODES],
  };
}

function offlineWords(flags: StarStatus['flags']): string {
  const parts = [flags.offline ? 'offline' : undefined, flags.offlineBySwitch ? 'offline by switch (the ONLINE/FEED button)' : undefined];
  const words = parts.filter((p): p is string => p !== undefined).join(', ');
  return flags.headHighTemperature ? `${words} while the head is too hot` : `${words} with no cause reported`;
}

function frameSteps(status: StarStatus, cite: (byte: number) => string, automatic: boolean): ChecklistAnswer[] {
  const f = status.flags;
  const source = automatic ? 'automatic status frame' : 'ESC ACK SOH';
  const errors = [
    f.mechanicalError && 'mechanical error',
    f.autoCutterError && 'auto-cutter error',
    f.unrecoverableError && 'unrecoverable error',
    f.headHighTemperature && 'head high temperature',
  ].filter((name): name is string => typeof name === 'string');
  const notes = [f.blackMarkError && 'black-mark error', f.receiveBufferOverflow && 'receive buffer overflow'].filter((n): n is string => typeof n === 'string');
  const paper = f.paperEnd ? 'paper end sensor: no paper' : f.nearEndInner || f.nearEndOuter ? 'paper loaded but near end' : 'paper present';
  return [
    answer('printer.answers', true, `${source}: valid status frame, version ${status.version}, ${status.frame.length} bytes`),
    answer('printer.online', !(f.offline || f.offlineBySwitch), `${cite(3)}: ${f.offline || f.offlineBySwitch ? offlineWords(f) : 'online'}`),
    answer('printer.paper', !f.paperEnd, `${cite(6)}: ${paper}`),
    answer('printer.cover', !f.coverOpen, `${cite(3)}: ${f.coverOpen ? 'cover open' : 'cover closed'}`),
    answer('printer.cutter', !f.autoCutterError, `${cite(4)}: ${f.autoCutterError ? 'auto-cutter error' : 'no auto-cutter error'}`),
    answer('printer.error', errors.length === 0, `${cite(4)}: ${errors.length > 0 ? errors.join(', ') : 'no error'}${notes.length > 0 ? `; ${cite(5)}: ${notes.join(', ')}` : ''}`),
  ];
}

// How a receipt printer's link (port present, USB enumerated, TCP reachable) reads in a report,
// shared by the printer drivers: the TransportError code → finding mapping, the
// `printer.connection` step, and the steps no status request answers. Pure.
import type { ChecklistAnswer, DiagnosisCode, Finding } from '@tillscope/shared';
import { TransportError, type TransportErrorCode } from '../../transports/transport';

/**
 * The codes a receipt printer's own status (ESC/POS DLE EOT or ASB, Star automatic status)
 * carries, whatever the protocol: what a complete status reply rules in or out.
 */
export const PRINTER_STATUS_CODES = [
  'printer.offline',
  'printer.paper_end',
  'printer.paper_near_end',
  'printer.cover_open',
  'printer.cutter_error',
  'printer.unrecoverable_error',
  'printer.recoverable_error',
  'printer.auto_recoverable_error',
] as const satisfies readonly DiagnosisCode[];

/** The link codes every printer driver emits (and rules out once the printer answered). */
export const PRINTER_LINK_CODES = ['printer.no_reply', 'printer.disconnected', 'printer.port_busy'] as const satisfies readonly DiagnosisCode[];
export type PrinterLinkCode = (typeof PRINTER_LINK_CODES)[number];

/**
 * How far a probe got with the port:
 * - `opened`: the port opened and stayed open (what the printer said is judged elsewhere);
 * - `failed`: opening failed, or the port closed while in use (`code` 'closed').
 */
export type LinkOutcome = { state: 'opened' } | { state: 'failed'; code: TransportErrorCode; text: string };

/** The TransportError's code of a failure, `io` for anything else a transport threw. */
export function transportCodeOf(error: unknown): TransportErrorCode {
  return error instanceof TransportError ? error.code : 'io';
}

/**
 * The finding for a link that failed before any status came (the brief's mapping): a port that is
 * not there or vanished mid-read is disconnected; a port another program holds is busy (reported,
 * never taken); anything else (TCP refused, connect timeout) is no reply. None when the agent
 * itself canceled the probe.
 */
export function linkFinding(code: TransportErrorCode, text: string): Finding | undefined {
  switch (code) {
    case 'absent':
    case 'closed':
      return { code: 'printer.disconnected', detail: text };
    case 'busy':
      return { code: 'printer.port_busy', detail: text };
    case 'canceled':
      return undefined;
    default:
      return { code: 'printer.no_reply', detail: text };
  }
}

/**
 * The link codes this probe ruled in or out (for `report.checked`). A port that opened rules out
 * disconnected and busy, and no reply is then ruled in or out by what came back. A busy port
 * says nothing about the printer beyond being there; a vanished one, nothing beyond that.
 */
export function linkCodesChecked(link: LinkOutcome): PrinterLinkCode[] {
  if (link.state === 'opened') return [...PRINTER_LINK_CODES];
  switch (link.code) {
    case 'absent':
    case 'closed':
      return ['printer.disconnected', 'printer.port_busy'];
    case 'busy':
      return ['printer.port_busy', 'printer.disconnected'];
    case 'canceled':
      return [];
    default:
      return ['printer.no_reply'];
  }
}

/** The `printer.connection` step: port present, USB enumerated, TCP reachable. */
export function connectionAnswer(link: LinkOutcome, where: string): ChecklistAnswer {
  if (link.state === 'opened') return { step: 'printer.connection', result: 'passed', observed: `${where} opened` };
  if (link.code === 'busy') return { step: 'printer.connection', result: 'unknown', observed: `${where} is there but another program holds it: ${link.text}` };
  if (link.code === 'canceled') return { step: 'printer.connection', result: 'unknown', observed: link.text };
  return { step: 'printer.connection', result: 'failed', observed: link.text };
}

/** The OS print queue step, for a driver that does not read the queue itself. */
export function queueNotConfigured(): ChecklistAnswer {
  return { step: 'printer.queue', result: 'unknown', observed: 'no OS print queue configured' };
}

/** The test-print step of a status probe: the agent never prints on its own. */
export function testPrintNotAsked(): ChecklistAnswer {
  return { step: 'printer.test_print', result: 'unknown', observed: 'not run: a status probe never prints; run a test print from the ticket, or the cashier agrees to one on the cashier page' };
}

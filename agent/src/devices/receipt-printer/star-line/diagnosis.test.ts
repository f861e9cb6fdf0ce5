import { CATALOGUE, type Exchange } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { LinkOutcome } from '../../common/printer-link';
import { diagnoseStarLine, STAR_CODES, type StarDiagnosisInput } from './diagnosis';
import { StarStatusReader, statusExchange } from './protocol-reader';

/** A 9-byte version 2 frame with the given status bytes 3..6. */
function frame(b3 = 0, b4 = 0, b5 = 0, b6 = 0): number[] {
  return [0x23, 0x04, b3, b4, b5, b6, 0, 0, 0];
}

function exchangeOf(bytes: readonly number[], request = true): Exchange {
  const reader = new StarStatusReader();
  if (request) reader.expectReply();
  reader.push(Uint8Array.from(bytes));
  const take = reader.take();
  return statusExchange(take.reply ?? reader.unsolicitedFrames.at(-1), take.discarded, 4, request);
}

/** The shared printer checklist order (connection … queue, test print). */
const PRINTER_STEPS = CATALOGUE['printer.paper_end'].checklist;
const opened: LinkOutcome = { state: 'opened' };
function diagnose(exchanges: Exchange[], extra: Partial<StarDiagnosisInput> = {}) {
  return diagnoseStarLine({ link: opened, where: 'TCP 10.0.0.9:9100', exchanges, automatic: false, ...extra });
}
const codes = (d: ReturnType<typeof diagnose>) => d.findings.map((f) => f.code);
const stepOf = (d: ReturnType<typeof diagnose>, step: string) => d.checklist.find((a) => a.step === step);

describe('diagnoseStarLine: frames', () => {
  it('a healthy frame: ok, every step passed in the shared order, every code checked', () => {
    const d = diagnose([exchangeOf(frame())]);
    expect(d.health).toBe('ok');
    expect(d.findings).toEqual([]);
    expect(d.checklist.map((a) => a.step)).toEqual(PRINTER_STEPS);
    expect(d.checklist.filter((a) => a.result !== 'passed').map((a) => [a.step, a.observed])).toEqual([
      ['printer.queue', 'no OS print queue configured'],
      ['printer.test_print', 'not run: a status probe never prints; run a test print from the ticket, or the cashier agrees to one on the cashier page'],
    ]);
    expect([...d.checked].sort()).toEqual([...STAR_CODES].sort());
  });

  const cases: [string, number[], string[], string][] = [
    ['paper end (printer offline because of it)', frame(0x08, 0, 0, 0x08), ['printer.paper_end'], 'fault'],
    ['near end, inner sensor', frame(0, 0, 0, 0x04), ['printer.paper_near_end'], 'warning'],
    ['near end, outer sensor', frame(0, 0, 0, 0x02), ['printer.paper_near_end'], 'warning'],
    ['cover open', frame(0x28), ['printer.cover_open'], 'fault'],
    ['auto-cutter error', frame(0x08, 0x08), ['printer.cutter_error'], 'fault'],
    ['unrecoverable error', frame(0x08, 0x20), ['printer.unrecoverable_error'], 'fault'],
    ['mechanical error', frame(0x08, 0x04), ['printer.recoverable_error'], 'fault'],
    ['head high temperature while offline: offline too', frame(0x08, 0x40), ['printer.auto_recoverable_error', 'printer.offline'], 'fault'],
    ['head high temperature while online: minor', frame(0, 0x40), ['printer.auto_recoverable_error'], 'warning'],
    ['offline with no cause', frame(0x08), ['printer.offline'], 'fault'],
    ['offline by switch', frame(0x40), ['printer.offline'], 'fault'],
    ['black-mark error and buffer overflow: shown, no code', frame(0, 0, 0x48), [], 'ok'],
  ];
  it.each(cases)('%s', (_name, bytes, expected, health) => {
    const d = diagnose([exchangeOf(bytes)]);
    expect(codes(d)).toEqual(expected);
    expect(d.health).toBe(health);
    for (const code of codes(d)) expect(STAR_CODES).toContain(code);
    expect(d.checked).toHaveLength(STAR_CODES.length);
  });

  it('findings and steps cite the frame byte', () => {
    const d = diagnose([exchangeOf(frame(0x08, 0, 0, 0x08))]);
    expect(d.findings[0]?.detail).toBe('byte 6 = 0x08: paper end sensor: no paper');
    expect(stepOf(d, 'printer.paper')).toMatchObject({ result: 'failed', observed: 'byte 6 = 0x08: paper end sensor: no paper' });
    expect(stepOf(d, 'printer.online')).toMatchObject({ result: 'failed' });
    expect(stepOf(d, 'printer.error')?.result).toBe('passed');
    const offline = diagnose([exchangeOf(frame(0x08, 0x40))]);
    expect(offline.findings[1]?.detail).toBe('byte 3 = 0x08: offline while the head is too hot');
  });

  it('a frame that arrived unasked (automatic status) diagnoses the same', () => {
    const d = diagnose([exchangeOf(frame(0x28), false)], { automatic: true });
    expect(codes(d)).toEqual(['printer.cover_open']);
    expect(stepOf(d, 'printer.answers')?.observed).toMatch(/^automatic status frame: valid status frame, version 2, 9 bytes/);
  });
});

describe('diagnoseStarLine: no valid frame', () => {
  it('silence on an open port: no reply; the link codes are checked, the frame codes are not', () => {
    const d = diagnose([{ ...exchangeOf([]), elapsedMs: 800 }]);
    expect(codes(d)).toEqual(['printer.no_reply']);
    expect(d.findings[0]?.detail).toBe('no reply to ESC ACK SOH within 800 ms: silence (wrong port or emulation, the printer is off, or it is in ESC/POS mode)');
    expect(d.health).toBe('fault');
    expect(stepOf(d, 'printer.connection')?.result).toBe('passed');
    expect(stepOf(d, 'printer.answers')?.result).toBe('failed');
    expect(stepOf(d, 'printer.paper')?.result).toBe('unknown');
    expect(d.checked).toEqual(['printer.no_reply', 'printer.disconnected', 'printer.port_busy']);
  });

  it('garbage is no reply naming the bytes, never OK', () => {
    const d = diagnose([exchangeOf([0xff, 0x00, 0x80])]);
    expect(codes(d)).toEqual(['printer.no_reply']);
    expect(d.findings[0]?.detail).toMatch(/only bytes that are not a status frame \(ff 00 80\)/);
  });

  it('a frame marked valid by a caller but failing its checks is not trusted', () => {
    const forged: Exchange = { label: 'x', request: '1b 06 01', reply: 'ff 00 00 00 00 00 00', discarded: '', valid: true, decoded: [], elapsedMs: 1 };
    expect(codes(diagnose([forged]))).toEqual(['printer.no_reply']);
  });

  const links: [string, LinkOutcome, string | undefined, string, string[]][] = [
    ['absent port', { state: 'failed', code: 'absent', text: '/dev/ttyUSB0 not found' }, 'printer.disconnected', 'failed', ['printer.disconnected', 'printer.port_busy']],
    ['closed mid-read', { state: 'failed', code: 'closed', text: 'closed by the device' }, 'printer.disconnected', 'failed', ['printer.disconnected', 'printer.port_busy']],
    ['busy port', { state: 'failed', code: 'busy', text: 'held by another program' }, 'printer.port_busy', 'unknown', ['printer.port_busy', 'printer.disconnected']],
    ['TCP refused', { state: 'failed', code: 'cannot_connect', text: 'ECONNREFUSED' }, 'printer.no_reply', 'failed', ['printer.no_reply']],
    ['TCP timeout', { state: 'failed', code: 'timeout', text: 'no connection in 1500 ms' }, 'printer.no_reply', 'failed', ['printer.no_reply']],
    ['canceled', { state: 'failed', code: 'canceled', text: 'probe canceled' }, undefined, 'unknown', []],
  ];
  it.each(links)('%s', (_name, link, code, connection, checked) => {
    const d = diagnose([], { link, canceled: link.state === 'failed' && link.code === 'canceled' });
    expect(codes(d)).toEqual(code ? [code] : []);
    expect(stepOf(d, 'printer.connection')?.result).toBe(connection);
    expect(d.checked).toEqual(checked);
    expect(d.checklist.map((a) => a.step)).toEqual(PRINTER_STEPS);
  });

  it('automatic status with no frame while listening: unknown, nothing found, not no reply', () => {
    const d = diagnose([exchangeOf([], false)], { automatic: true });
    expect(d.health).toBe('unknown');
    expect(d.findings).toEqual([]);
    expect(d.checked).toEqual(['printer.disconnected', 'printer.port_busy']);
    expect(stepOf(d, 'printer.paper')?.observed).toMatch(/automatic status is on/);
  });
});

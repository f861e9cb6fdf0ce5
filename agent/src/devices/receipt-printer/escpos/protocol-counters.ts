// Epson maintenance counters, `GS g 2 m nL nH` (1D 67 32 00 nL nH). Source: Epson TM-T90 and TM-L90
// specifications ("Transmit maintenance counter value") and the TM-T88III/TM-L90 programming guide
// Ver.10.01 pp.475-476 [V]: the reply is block data 5F, the decimal value in ASCII (1-10 digits),
// 00. Not on TM-T88III, TM-U220, TM-U230, TM-L60II (the guide's list). Only the cumulative
// counters are read; `GS g 0` (reset) is never sent. Pure.
import type { Exchange, WearCounter } from '@tillscope/shared';
import { toHex } from '../../common/hex';
import type { ReaderTake } from './protocol-stream';

/** The cumulative counters (TM-T90/TM-L90 numbering) and how the report names them. */
export const COUNTERS = [
  { number: 178, name: 'cuts', unit: 'count', label: 'number of autocutter operations' },
  { number: 149, name: 'head_energized', unit: 'count', label: 'number of times the head was energized' },
  { number: 148, name: 'head_lines', unit: 'lines', label: 'number of line feeds' },
  { number: 198, name: 'operating_hours', unit: 'hours', label: 'printer operation time' },
] as const satisfies readonly { number: number; name: string; unit: WearCounter['unit']; label: string }[];
export type CounterSpec = (typeof COUNTERS)[number];

export function counterRequest(number: number): Uint8Array {
  return Uint8Array.of(0x1d, 0x67, 0x32, 0x00, number & 0xff, number >> 8);
}

/** The counter value a reply carries: a 5F block of 1-10 decimal digits; undefined otherwise. */
export function counterValue(take: ReaderTake): number | undefined {
  const reply = take.reply;
  if (reply?.kind !== 'block' || reply.header !== 0x5f || !/^\d{1,10}$/.test(reply.text)) return undefined;
  const value = Number(reply.text);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function counterExchange(spec: CounterSpec, take: ReaderTake, elapsedMs: number): Exchange {
  const value = counterValue(take);
  const shown = value === undefined ? undefined : String(value);
  return {
    label: `GS g 2 n=${spec.number}: ${spec.label}`,
    request: toHex(counterRequest(spec.number)),
    reply: shown === undefined ? null : toHex([0x5f, ...Array.from(shown, (c) => c.charCodeAt(0)), 0x00]),
    discarded: toHex(take.discarded),
    valid: value !== undefined,
    decoded: shown === undefined ? [] : [{ field: 'block data', set: true, value: shown, meaning: { ru: `Счётчик: ${shown}`, en: `${spec.label}: ${shown}` }, alarm: false }],
    elapsedMs,
  };
}

export function wearCounter(spec: CounterSpec, value: number): WearCounter {
  return { name: spec.name, value, unit: spec.unit, source: `GS g 2 n=${spec.number}` };
}

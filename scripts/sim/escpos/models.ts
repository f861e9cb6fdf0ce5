// The printer models the ESC/POS simulator can be: which requests each answers, and the GS I
// and GS g 2 replies of the Epson-like one (docs/devices.md §1.4; Epson TM-T90/TM-L90 specification
// "GS g 2 m nL nH", TM-T88III programming guide Ver.10.01 p.475-476). Pure.
import { z } from 'zod';

/**
 * - `epson`: an Epson TM-T20/T88-like printer: DLE EOT 1..4, ASB (GS a), GS I 1/2/3 and the
 *   block replies 65..68, GS g 2 maintenance counters 148/149/178/198;
 * - `clone`: a cheap clone that answers DLE EOT 1 and 4 only: no ASB, no GS I, no counters;
 * - `silent`: a printer that never answers anything (a Star in Star mode, a dead board).
 */
export const PrinterModel = z.enum(['epson', 'clone', 'silent'], { error: 'model must be "epson", "clone" or "silent"' });
export type PrinterModel = z.infer<typeof PrinterModel>;

export const DEFAULT_MODEL: PrinterModel = 'epson';

/** Whether `model` answers DLE EOT n. */
export function answersDleEot(model: PrinterModel, n: 1 | 2 | 3 | 4): boolean {
  if (model === 'silent') return false;
  return model === 'epson' || n === 1 || n === 4;
}

export const answersAsb = (model: PrinterModel) => model === 'epson';

const block = (text: string) => [0x5f, ...Array.from(text, (c) => c.charCodeAt(0)), 0x00];

/** The Epson-like model's identity, as its GS I replies carry it. */
export const EPSON_IDENTITY = { modelId: 0x20, typeId: 0x02, romId: 0x01, firmware: '1.28', maker: 'EPSON', modelName: 'TM-T88V', serial: 'SIM0000001' } as const;

/**
 * The reply to GS I n, or undefined when the model does not answer it. 1-byte IDs match 0xx0xxxx:
 * model ID 0x20 (TM-T88 series), type ID 0x02 (autocutter installed), ROM version ID 0x01.
 */
export function gsIReply(model: PrinterModel, n: number): number[] | undefined {
  if (model !== 'epson') return undefined;
  const id = EPSON_IDENTITY;
  const replies: Record<number, number[]> = {
    1: [id.modelId],
    2: [id.typeId],
    3: [id.romId],
    65: block(id.firmware),
    66: block(id.maker),
    67: block(id.modelName),
    68: block(id.serial),
  };
  return replies[n];
}

/** Cumulative maintenance counters of the Epson-like model, by counter number. */
export const EPSON_COUNTERS: Readonly<Record<number, number>> = { 148: 1_234_567, 149: 98_765_432, 178: 4_321, 198: 1_500 };

/** The reply to GS g 2 0 nL nH: 5F, the decimal value in ASCII, 00; undefined if unsupported. */
export function counterReply(model: PrinterModel, counter: number): number[] | undefined {
  if (model !== 'epson') return undefined;
  const value = EPSON_COUNTERS[counter];
  return value === undefined ? undefined : block(String(value));
}

// The bytes of a test receipt. node-thermal-printer builds them (issue 9: "node-thermal-printer
// builds the job"); the library is given no interface, so it cannot open any connection: the agent
// sends the bytes over the device's own transport. What the library adds that must never reach a
// printer is taken out again (guardJob).
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';

/** Which command set the job is written in: Epson ESC/POS (and clones) or Star line mode. */
export type JobDialect = 'escpos' | 'star';

export interface TestReceiptLabel {
  storeId: string;
  registerId: string;
  deviceId: string;
  model?: string;
  /** the local time printed on the receipt, already formatted */
  time: string;
}

export interface TestPrintJob {
  bytes: Uint8Array;
  /** why bytes were taken out of what the library built (empty when nothing was) */
  removed: string[];
}

/** 58 mm printers print 32 characters a line in font A; the lines fold there, on 80 mm too. */
const WIDTH = 32;

const ESC_AT = [0x1b, 0x40];
const GS_A_0 = [0x1d, 0x61, 0x00];

/**
 * The short bilingual test receipt for one device, cut at the end. No alignment command is used:
 * Star's "align left" (ESC GS a 0) holds the bytes of GS a 0. Cyrillic is printed in code page
 * PC866 (ESC t 17, Star ESC GS t 10), which the job selects and leaves selected.
 */
export function buildTestReceipt(dialect: JobDialect, label: TestReceiptLabel): TestPrintJob {
  const printer = new ThermalPrinter({
    type: dialect === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    characterSet: CharacterSet.PC866_CYRILLIC2,
    width: WIDTH,
  } as ConstructorParameters<typeof ThermalPrinter>[0]);
  printer.bold(true);
  printer.println('Тестовая печать Tillscope');
  printer.bold(false);
  printer.println('Test print');
  printer.drawLine();
  // Label and value on separate lines: ids are long and the line is 32 characters.
  const lines: [string, string][] = [
    ['Касса / Register:', `${label.storeId} / ${label.registerId}`],
    ['Устройство / Device:', `${label.deviceId}${label.model ? ` (${label.model})` : ''}`],
    ['Время / Time:', label.time],
  ];
  for (const [name, value] of lines) {
    printer.println(name);
    printer.println(value);
  }
  printer.drawLine();
  printer.println('Принтер печатает / Printer works');
  printer.cut();
  return guardJob(Uint8Array.from(printer.getBuffer()));
}

/**
 * Takes ESC @ and GS a 0 out of a job, saying why. Both switch off the status monitoring an
 * Ethernet board (Epson UB-E02) runs by itself (devices.md §1.3): ESC @ resets the printer, GS a 0
 * disables Automatic Status Back. node-thermal-printer ends every cut with ESC @.
 */
export function guardJob(job: Uint8Array): TestPrintJob {
  const removed: string[] = [];
  let bytes = Array.from(job);
  for (const [pattern, why] of [
    [ESC_AT, 'ESC @ (1B 40) removed: it resets the printer and stops an Ethernet board\'s own status monitoring'],
    [GS_A_0, 'GS a 0 (1D 61 00) removed: it switches off Automatic Status Back an Ethernet board relies on'],
  ] as const) {
    const kept = withoutSequence(bytes, pattern);
    if (kept.length !== bytes.length) removed.push(why);
    bytes = kept;
  }
  return { bytes: Uint8Array.from(bytes), removed };
}

function withoutSequence(bytes: readonly number[], pattern: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    if (pattern.every((b, k) => bytes[i + k] === b)) {
      i += pattern.length;
      continue;
    }
    out.push(bytes[i]!);
    i += 1;
  }
  return out;
}

/** Whether `bytes` holds `pattern` anywhere (tests and the executor's last check). */
export function containsSequence(bytes: Uint8Array, pattern: readonly number[]): boolean {
  for (let i = 0; i + pattern.length <= bytes.length; i++) if (pattern.every((b, k) => bytes[i + k] === b)) return true;
  return false;
}

export const FORBIDDEN_SEQUENCES = { escAt: ESC_AT, gsA0: GS_A_0 } as const;

import type { DemoFiscal } from '../lib/stack-fiscal';
import type { PrinterFaultsPatch } from '../sim/escpos/printer-state';

export interface DemoRegister {
  storeId: string;
  registerId: string;
  /** how its simulated printer is reached: TCP 9100-style, or a serial line through a socat pseudo-terminal */
  printer: 'tcp' | 'pty';
  model: string;
  /** a simulated fiscal register (ККТ) beside the printer */
  fiscal?: DemoFiscal;
}

export const DEMO_REGISTERS: DemoRegister[] = [
  { storeId: 'msk-001', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T20II' },
  { storeId: 'msk-001', registerId: 'pos-2', printer: 'pty', model: 'Epson TM-T88V' },
  { storeId: 'spb-002', registerId: 'pos-1', printer: 'tcp', model: 'Xprinter XP-Q80I' },
  { storeId: 'spb-002', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III' },
];

export interface FaultStep {
  atSec: number;
  register: `${string}/${string}`;
  faults: PrinterFaultsPatch;
  say: string;
}

/**
 * What happens in the demo store, repeated every `DEMO_CYCLE_SEC` so that someone who opens the
 * console late still sees tickets open and resolve. Faults are set on the simulated printers only;
 * everything after that (probe, finding, report, ticket, live feed) is the real path.
 */
export const DEMO_TIMELINE: FaultStep[] = [
  { atSec: 8, register: 'msk-001/pos-1', faults: { paperEnd: true }, say: 'msk-001/pos-1: the receipt printer runs out of paper' },
  { atSec: 14, register: 'spb-002/pos-2', faults: { coverOpen: true }, say: 'spb-002/pos-2: the printer cover opens' },
  { atSec: 24, register: 'msk-001/pos-2', faults: { paperNearEnd: true }, say: 'msk-001/pos-2: the paper roll is nearly out' },
  { atSec: 40, register: 'spb-002/pos-2', faults: { coverOpen: false }, say: 'spb-002/pos-2: the cover is closed again (its ticket resolves by itself)' },
  { atSec: 55, register: 'spb-002/pos-1', faults: { cutterError: true }, say: 'spb-002/pos-1: the auto-cutter jams' },
  { atSec: 100, register: 'msk-001/pos-1', faults: { paperEnd: false }, say: 'msk-001/pos-1: a new roll is loaded' },
  { atSec: 130, register: 'spb-002/pos-1', faults: { cutterError: false }, say: 'spb-002/pos-1: the jam is cleared' },
  { atSec: 150, register: 'msk-001/pos-2', faults: { paperNearEnd: false }, say: 'msk-001/pos-2: the roll is replaced' },
];

export const DEMO_CYCLE_SEC = 180;

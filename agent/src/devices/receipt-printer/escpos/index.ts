import type { DeviceDriver } from '../../driver';
import { ESCPOS_CODES } from './diagnosis';
import { escposIdentification } from './identify';
import { createEscPosMemory, type EscPosMemory } from './memory';
import { EscPosOptions } from './options';
import { probeEscPos } from './probe';
import { watchEscPos } from './watch';

/**
 * Epson ESC/POS and compatible receipt printers, probed with DLE EOT 1..4 over TCP 9100 or serial;
 * with `options.status: "asb"` also watched over one held connection (Automatic Status Back).
 */
export const escposDriver: DeviceDriver<EscPosOptions, EscPosMemory> = {
  id: 'escpos',
  kind: 'receipt-printer',
  transports: ['tcp', 'serial', 'usb'],
  defaultTcpPort: 9100,
  codes: ESCPOS_CODES,
  options: EscPosOptions,
  // Config files from before per-driver options had `status` beside `transport`.
  movedToOptions: ['status'],
  createMemory: createEscPosMemory,
  probe: (ctx) => probeEscPos(ctx),
  watch: (ctx) => watchEscPos(ctx),
  identification: escposIdentification,
};

import type { DeviceDriver } from '../../driver';
import { probeEscPos } from './probe';
import { watchEscPos } from './watch';

/**
 * Epson ESC/POS and compatible receipt printers, probed with DLE EOT 1..4 over TCP 9100 or serial;
 * with `status: "asb"` also watched over one held connection (Automatic Status Back).
 */
export const escposDriver: DeviceDriver = {
  id: 'escpos',
  kind: 'receipt-printer',
  transports: ['tcp', 'serial'],
  probe: (ctx) => probeEscPos(ctx),
  watch: (ctx) => watchEscPos(ctx),
};

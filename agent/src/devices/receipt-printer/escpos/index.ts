import type { DeviceDriver } from '../../driver';
import { probeEscPos } from './probe';

/** Epson ESC/POS and compatible receipt printers, probed with DLE EOT 1..4 over TCP 9100 or serial. */
export const escposDriver: DeviceDriver = {
  id: 'escpos',
  kind: 'receipt-printer',
  transports: ['tcp', 'serial'],
  probe: (ctx) => probeEscPos(ctx),
};

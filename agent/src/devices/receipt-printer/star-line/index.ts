import type { DeviceDriver } from '../../driver';
import { STAR_CODES } from './diagnosis';
import { starLineIdentification } from './identify';
import { createStarLineMemory, StarLineOptions, type StarLineMemory } from './options';
import { probeStarLine } from './probe';

/**
 * Star printers in Star line mode (TSP100, TSP650, TSP700…), probed with `ESC ACK SOH` over TCP
 * 9100 or serial; with automatic status on, only listened to.
 */
export const starLineDriver: DeviceDriver<StarLineOptions, StarLineMemory> = {
  id: 'star-line',
  kind: 'receipt-printer',
  transports: ['tcp', 'serial', 'usb'],
  defaultTcpPort: 9100,
  codes: STAR_CODES,
  options: StarLineOptions,
  createMemory: createStarLineMemory,
  probe: (ctx) => probeStarLine(ctx),
  identification: starLineIdentification,
};

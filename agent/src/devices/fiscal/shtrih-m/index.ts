import type { DeviceDriver } from '../../driver';
import { SHTRIH_CODES } from './diagnosis';
import { createShtrihMemory, type ShtrihMemory } from './facts';
import { shtrihIdentification } from './identify';
import { ShtrihOptions } from './options';
import { probeShtrih } from './probe';

/**
 * Shtrih-M fiscal registers (ККТ), over serial/USB-CDC or TCP (port 7778), with the read-only
 * status commands 0x10, 0x11, 0xFC, 0xFF01, 0xFF03, 0xFF39, 0xFF3F, 0xFF40 and nothing else.
 */
export const shtrihDriver: DeviceDriver<ShtrihOptions, ShtrihMemory> = {
  id: 'shtrih-m',
  kind: 'fiscal',
  transports: ['serial', 'tcp'],
  // The port of jpos.xml and re-star-ru's driver (devices.md §3.1); 12345 also appears in jpos.xml comments.
  defaultTcpPort: 7778,
  codes: SHTRIH_CODES,
  options: ShtrihOptions,
  createMemory: createShtrihMemory,
  probe: (ctx) => probeShtrih(ctx),
  identification: shtrihIdentification,
};

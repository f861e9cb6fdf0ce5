import type { HostProbe } from '../../host-probe';
import { HOST_POS_CODES } from './diagnosis';
import { HostPosOptions } from './options';
import { probeHostPos } from './probe';

/**
 * host-pos: the POS application (1C, Frontol, Set Retail, UKM, Artix) and the fiscal driver stack
 * (ATOL driver v10 and its web server, Shtrih-M driver): installed, running, versions, and the
 * hashes of the configuration files the config names; see README.md.
 */
export const hostPosProbe: HostProbe<HostPosOptions, undefined> = {
  id: 'host-pos',
  kind: 'host',
  codes: HOST_POS_CODES,
  options: HostPosOptions,
  defaultIntervalSec: 300,
  createMemory: () => undefined,
  probe: (ctx) => probeHostPos(ctx),
};

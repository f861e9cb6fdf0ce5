import { noMemory, type DeviceDriver } from '../../driver';
import { ATOL_CODES } from './diagnosis';
import { AtolOptions, atolServiceUrl } from './options';
import { probeAtol } from './probe';

/**
 * ATOL fiscal registers, read through the ATOL Driver v10 web requests server (HTTP, default
 * 127.0.0.1:16732) with read-only JSON tasks only; see README.md.
 */
export const atolDriver: DeviceDriver<AtolOptions, undefined> = {
  id: 'atol',
  kind: 'fiscal',
  transports: ['http'],
  codes: ATOL_CODES,
  options: AtolOptions,
  createMemory: noMemory,
  serviceUrl: atolServiceUrl,
  probe: (ctx) => probeAtol(ctx),
};

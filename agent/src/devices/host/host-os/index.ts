import type { HostProbe } from '../../host-probe';
import { HOST_OS_CODES } from './diagnosis';
import { HostOsOptions } from './options';
import { probeHostOs } from './probe';

/** The OS and the machine: name, version and build, uptime, pending reboot, memory, volumes; see README.md. */
export const hostOsProbe: HostProbe<HostOsOptions, undefined> = {
  id: 'host-os',
  kind: 'host',
  codes: HOST_OS_CODES,
  options: HostOsOptions,
  defaultIntervalSec: 300,
  createMemory: () => undefined,
  probe: (ctx) => probeHostOs(ctx),
};

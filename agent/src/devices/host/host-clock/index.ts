import type { HostProbe } from '../../host-probe';
import { HOST_CLOCK_CODES } from './diagnosis';
import { HostClockOptions } from './options';
import { probeHostClock } from './probe';

/** The OS clock: kept in sync (timedatectl, w32tm) and its offset from the time source; see README.md. */
export const hostClockProbe: HostProbe<HostClockOptions, undefined> = {
  id: 'host-clock',
  kind: 'host',
  codes: HOST_CLOCK_CODES,
  options: HostClockOptions,
  defaultIntervalSec: 300,
  createMemory: () => undefined,
  probe: (ctx) => probeHostClock(ctx),
};

import type { HostProbe } from '../../host-probe';
import { HOST_PRINT_CODES } from './diagnosis';
import { HostPrintOptions } from './options';
import { createHostPrintMemory, probeHostPrint, type HostPrintMemory } from './probe';

/**
 * host-print: the OS print service (the Windows Spooler, CUPS), its printer drivers with versions
 * and every OS print queue: stopped, crashing, stuck jobs, a driver version that changed.
 */
export const hostPrintProbe: HostProbe<HostPrintOptions, HostPrintMemory> = {
  id: 'host-print',
  kind: 'host',
  codes: HOST_PRINT_CODES,
  options: HostPrintOptions,
  defaultIntervalSec: 300,
  createMemory: createHostPrintMemory,
  probe: probeHostPrint,
};

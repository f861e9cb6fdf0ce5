import type { DriverId, HostProbeId } from '@tillscope/shared';
import type { DeviceDriver, DriverRegistry } from './driver';
import { atolDriver } from './fiscal/atol';
import { shtrihDriver } from './fiscal/shtrih-m';
import { hostClockProbe } from './host/host-clock';
import { hostEventsProbe } from './host/host-events';
import { hostOsProbe } from './host/host-os';
import { peripheralsProbe } from './host/host-peripherals';
import { hostPosProbe } from './host/host-pos';
import { hostPrintProbe } from './host/host-print';
import type { HostProbe, HostProbeRegistry } from './host-probe';
import { escposDriver } from './receipt-printer/escpos';
import { starLineDriver } from './receipt-printer/star-line';

/**
 * The one list of device drivers: config validation, the wire's DriverId and the catalogue are
 * checked against it (registry.test.ts), and the test fails if a driver folder is missing here.
 */
export function createDriverRegistry(): DriverRegistry {
  const drivers: DeviceDriver[] = [escposDriver, starLineDriver, shtrihDriver, atolDriver];
  return new Map<DriverId, DeviceDriver>(drivers.map((driver) => [driver.id, driver]));
}

/**
 * The one list of host probes (devices/host/<id>/), in the order they run: the config's
 * `host.probes`, the wire's DriverId and the catalogue are checked against it (registry.test.ts).
 */
export function createHostProbeRegistry(): HostProbeRegistry {
  const probes: HostProbe[] = [hostOsProbe, hostClockProbe, hostPrintProbe, peripheralsProbe, hostPosProbe, hostEventsProbe];
  return new Map<HostProbeId, HostProbe>(probes.map((probe) => [probe.id, probe]));
}

import type { DriverId } from '@tillscope/shared';
import type { DeviceDriver } from './driver';
import { escposDriver } from './receipt-printer/escpos';

/** The one list of device drivers. registry.test.ts fails if a driver folder is missing here. */
export function createDriverRegistry(): ReadonlyMap<DriverId, DeviceDriver> {
  return new Map<DriverId, DeviceDriver>([[escposDriver.id, escposDriver]]);
}

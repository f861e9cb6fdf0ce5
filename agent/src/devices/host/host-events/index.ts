import { redactText } from '../../../os/redact';
import type { HostProbe } from '../../host-probe';
import { HOST_EVENTS_CODES } from './diagnosis';
import { HostEventsOptions } from './options';
import { probeHostEvents } from './probe';

/**
 * host-events: the newest entries of the print service's and the applications' logs (Windows event
 * channels, the systemd journal of CUPS), redacted before they leave the register; see README.md.
 */
export const hostEventsProbe: HostProbe<HostEventsOptions, undefined> = {
  id: 'host-events',
  kind: 'host',
  codes: HOST_EVENTS_CODES,
  options: HostEventsOptions,
  defaultIntervalSec: 600,
  createMemory: () => undefined,
  probe: (ctx) => probeHostEvents(ctx, (text) => redactText(text).text),
};

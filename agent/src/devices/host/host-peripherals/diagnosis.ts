// Findings of the peripherals probe: what went and has not come back (host.device_detached, critical
// for a printer or fiscal register during trading hours) and what could not be read
// (host.check_failed). Pure.
import type { DiagnosisCode, Finding, UncheckedFact } from '@tillscope/shared';
import { checkFailedFinding } from '../../common/host-report';
import { isPrinterOrFiscal } from '../../common/known-usb-devices';
import { answer, healthOf, unknownAnswer, type Diagnosis } from '../../common/report';
import type { ConfiguredGone } from './configured';
import type { MissingPeripheral } from './inventory';
import type { PeripheralsOptions } from './options';

export const PERIPHERALS_CODES: readonly DiagnosisCode[] = ['host.device_detached', 'host.check_failed'];

export interface PeripheralsObservation {
  /** configured devices whose port is gone (named by config id) */
  configuredGone: readonly ConfiguredGone[];
  /** USB devices seen since the agent started and gone since, not among the configured ones */
  missing: readonly MissingPeripheral[];
  unchecked: readonly UncheckedFact[];
  /** both lists (USB and serial) were read: a device not in them is really not there */
  complete: boolean;
  tradingHours: boolean;
}

const ignored = (options: PeripheralsOptions, p: MissingPeripheral) =>
  options.ignore.some((pair) => pair === `${p.vendorId}:${p.productId}` || pair === `${p.vendorId}:*`);

export function diagnosePeripherals(observation: PeripheralsObservation, options: PeripheralsOptions): Diagnosis {
  const findings: Finding[] = [];
  const unconfigured = observation.missing.filter((p) => options.detachedKinds.includes(p.kind) && !ignored(options, p));
  const gone = [...observation.configuredGone.map(configuredText), ...unconfigured.map(missingText)];
  if (gone.length > 0) {
    // Every configured device is a receipt printer or a fiscal register (the agent's device kinds).
    const stopsSales = observation.configuredGone.length > 0 || unconfigured.some((p) => isPrinterOrFiscal(p.kind));
    findings.push({
      code: 'host.device_detached',
      detail: `Not connected: ${gone.join('; ')}`,
      ...(stopsSales && observation.tradingHours ? { severity: 'critical' as const } : {}),
    });
  }
  if (observation.unchecked.length > 0) {
    findings.push(checkFailedFinding(observation.unchecked));
  }
  const checked: DiagnosisCode[] = observation.complete ? ['host.device_detached', 'host.check_failed'] : ['host.check_failed'];
  const checklist = [
    gone.length > 0
      ? answer('host.peripherals', false, `not connected: ${gone.join('; ')}`)
      : observation.complete
        ? answer('host.peripherals', true, 'every configured device and every device seen since the agent started is connected')
        : unknownAnswer('host.peripherals', 'the device lists could not be read'),
  ];
  return { health: healthOf(findings, observation.complete), findings, checklist, checked };
}

function configuredText(gone: ConfiguredGone): string {
  const what = gone.was ? `, was ${gone.was.name}` : gone.model ? `, ${gone.model}` : '';
  return `${gone.deviceId} (${gone.target}${what})${gone.was ? ` since ${gone.was.since}` : ''}`;
}

function missingText(p: MissingPeripheral): string {
  return `${p.name}${p.devicePath ? ` at ${p.devicePath}` : ''} since ${p.since}`;
}

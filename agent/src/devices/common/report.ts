// Building a DeviceReport, shared by every driver: health from findings, checklist helpers, the
// evidence shape and the wording of transport failures. Pure.
import {
  catalogueEntry,
  type ChecklistAnswer,
  type ChecklistStep,
  type DeviceHealth,
  type DeviceIdentity,
  type DeviceKind,
  type DeviceReport,
  type DiagnosisCode,
  type DriverId,
  type EvidenceExchange,
  type FiscalFacts,
  type Finding,
  type PrinterFacts,
  type TransportKind,
} from '@tillscope/shared';
import { describeTarget, TransportError, type TransportPort, type TransportTarget } from '../../transports/transport';
import type { DeviceConfig } from '../device-config';

/** What a driver's diagnosis makes of one observation: the verdict part of a DeviceReport. */
export interface Diagnosis {
  health: DeviceHealth;
  findings: Finding[];
  checklist: ChecklistAnswer[];
  /**
   * The codes this observation could rule in or out (DeviceReport.checked): a listed code absent
   * from `findings` has cleared, even when health is 'unknown'. Printer drivers fill it.
   */
  checked?: DiagnosisCode[];
}

/**
 * How the device is reached, as evidence and inventory show it: `tcp` "192.168.1.50:9100",
 * `serial` "/dev/ttyUSB0 @ 9600", or `http` and the URL of the local service a driver talks to.
 */
export interface Endpoint {
  transport: TransportKind;
  target: string;
}

/**
 * Health from findings: fault on any critical or major finding, warning on minor ones only; with
 * no such finding, ok only when the observation was `complete` (every question answered), else
 * unknown: a partial answer must never read as "all clear". A finding's own `severity` (a probe
 * that knows the context, e.g. a printer detached during trading hours) wins over the catalogue's.
 */
export function healthOf(findings: readonly Finding[], complete: boolean): DeviceHealth {
  const severities = findings.map((f) => f.severity ?? catalogueEntry(f.code).severity);
  if (severities.some((s) => s === 'critical' || s === 'major')) return 'fault';
  if (severities.some((s) => s === 'minor')) return 'warning';
  return complete ? 'ok' : 'unknown';
}

/**
 * How `device` is reached, for evidence and inventory: its byte transport, else 'http' and the
 * service URL its driver names (or "(no transport)" for a device whose driver is unknown).
 */
export function endpointOf(device: DeviceConfig, serviceUrl?: string): Endpoint {
  if (device.transport) return { transport: device.transport.kind, target: describeTarget(device.transport).slice(0, 200) };
  return { transport: 'http', target: (serviceUrl ?? '(no transport)').slice(0, 200) };
}

/**
 * The device's byte port, for a driver whose transports are byte kinds: the config requires one
 * then, so its absence is a caller's bug (a hand-built config), which the probe loop reports as a
 * driver error with this message.
 */
export function requireTransport(device: DeviceConfig): TransportTarget {
  if (!device.transport) throw new Error(`device ${device.id} has no transport; driver ${device.driver} needs one`);
  return device.transport;
}

/** A checklist step the probe could not answer, with why ("DLE EOT 2 got no valid reply"). */
export function unknownAnswer(step: ChecklistStep, observed: string): ChecklistAnswer {
  return { step, result: 'unknown', observed };
}

/** A step answered by a yes/no observation: passed when `ok`, failed otherwise. */
export function answer(step: ChecklistStep, ok: boolean, observed: string): ChecklistAnswer {
  return { step, result: ok ? 'passed' : 'failed', observed };
}

/**
 * A transport failure in plain words for `evidence.transportError`: a TransportError's own
 * message (it names the port and what happened), anything else marked as unexpected.
 */
export function transportErrorText(error: unknown): string {
  if (error instanceof TransportError) return error.message;
  return error instanceof Error ? `unexpected transport failure: ${error.message}` : `unexpected transport failure: ${String(error)}`;
}

/** How a port closing under a probe is told: "10.0.0.5:9100 closed: ECONNRESET" or "... closed by the device". */
export function closedText(port: Pick<TransportPort, 'description'>, error: Error | undefined): string {
  return error ? `${port.description} closed: ${error.message}` : `${port.description} closed by the device`;
}

/** The transportError of a probe the agent itself gave up on. */
export const CANCELED_TEXT = 'probe canceled (agent stopping or probe deadline passed)';

export interface ReportParts {
  deviceId: string;
  kind: DeviceKind;
  driver: DriverId;
  model?: string | undefined;
  diagnosis: Diagnosis;
  endpoint: Endpoint;
  exchanges: EvidenceExchange[];
  transportError?: string | undefined;
  identity?: DeviceIdentity | undefined;
  fiscal?: FiscalFacts | undefined;
  printer?: PrinterFacts | undefined;
  started: Date;
  finished: Date;
}

/**
 * Cuts device and OS text to a wire bound (shared DeviceReport: transportError 200 characters,
 * finding details and checklist observations 500), marking the cut with "…". An OS message or a
 * long port path must never make a whole report fail the schema and be dropped.
 */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A DeviceReport from its parts; optional parts that are undefined are left out, not sent as null.
 * Free text is clipped to the wire's bounds (clipText).
 */
export function buildReport(parts: ReportParts): DeviceReport {
  return {
    deviceId: parts.deviceId,
    kind: parts.kind,
    driver: parts.driver,
    ...(parts.model !== undefined ? { model: parts.model } : {}),
    ...(parts.identity !== undefined ? { identity: parts.identity } : {}),
    ...(parts.fiscal !== undefined ? { fiscal: parts.fiscal } : {}),
    ...(parts.printer !== undefined ? { printer: parts.printer } : {}),
    health: parts.diagnosis.health,
    findings: parts.diagnosis.findings.map((finding) => ({ ...finding, detail: clipText(finding.detail, 500) })),
    ...(parts.diagnosis.checked !== undefined ? { checked: parts.diagnosis.checked } : {}),
    checklist: parts.diagnosis.checklist.map((answer) => ({ ...answer, observed: clipText(answer.observed, 500) })),
    evidence: {
      transport: parts.endpoint.transport,
      target: parts.endpoint.target,
      ...(parts.transportError !== undefined ? { transportError: clipText(parts.transportError, 200) } : {}),
      exchanges: parts.exchanges,
    },
    probedAt: parts.started.toISOString(),
    durationMs: Math.max(0, parts.finished.getTime() - parts.started.getTime()),
  };
}

import { z } from 'zod';
import { ChecklistAnswer } from '../catalogue/checklist';
import { DiagnosisCode, Severity } from '../catalogue/codes';
import { DeviceIdentity, FiscalFacts } from './fiscal';
import { HostSection } from './host';
import { PrinterFacts } from './printer';

/** `host`: the register itself (OS, clock, print services, peripherals, POS application), read by host probes. */
export const DeviceKind = z.enum(['receipt-printer', 'fiscal', 'host']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** Driver ids the agent registry knows. The console learns driver kinds from here, never from agent code. */
export const DriverId = z.enum([
  'escpos', 'star-line', 'shtrih-m', 'atol',
  // host probes (protocol/host.ts HOST_PROBE_IDS): the register itself
  'host-os', 'host-clock', 'host-print', 'host-peripherals', 'host-pos', 'host-events',
]);
export type DriverId = z.infer<typeof DriverId>;

/**
 * `http`: a vendor service on the register (the ATOL driver's web requests server), not the device's own port.
 * `os`: the register's own OS (its tools, files and APIs), for host probes.
 */
export const TransportKind = z.enum(['tcp', 'serial', 'usb', 'http', 'os']);
export type TransportKind = z.infer<typeof TransportKind>;

/** Device strings (model names, port names) come from hardware and are untrusted: bounded, escaped on display. */
const deviceText = z.string().max(200);
const hex = z.string().regex(/^([0-9a-f]{2}( [0-9a-f]{2})*)?$/, 'space-separated lower-case hex bytes').max(3 * 1024);

/**
 * One decoded field of a status reply: a bit, a group of bits such as the paper sensor pair, or a
 * field with a value (a Shtrih-M mode byte, an ATOL JSON field).
 */
export const DecodedField = z.object({
  field: z.string().max(64), // e.g. "bit 3", "bits 5,6", "byte 4 (mode)", "fnInfo.validityDate"
  set: z.boolean(),
  /** The field's value as the device gave it, when it is more than one bit ("2", "2027-03-01"). */
  value: deviceText.optional(),
  meaning: z.object({ ru: deviceText, en: deviceText }),
  /** true when this value is a fault condition (drawn in red in the console) */
  alarm: z.boolean(),
});
export type DecodedField = z.infer<typeof DecodedField>;

/**
 * One request/reply of bytes with a device, decoded. `reply` null means nothing valid arrived in time.
 * `type` is absent from agents older than the structured exchange: absent means bytes.
 */
export const Exchange = z.object({
  type: z.literal('bytes').optional(),
  label: deviceText, // "DLE EOT 4: roll paper sensor"
  request: hex,
  reply: hex.nullable(),
  /** Bytes that arrived but are not a valid reply (stale, garbage, interleaved status). */
  discarded: hex.default(''),
  valid: z.boolean(),
  decoded: z.array(DecodedField).max(48).default([]),
  elapsedMs: z.number().nonnegative(),
});
export type Exchange = z.infer<typeof Exchange>;

/** A JSON value from a device service, bounded: evidence never carries more than 8 KiB of it. */
const BoundedJson = z.json().refine((value) => JSON.stringify(value).length <= 8 * 1024, 'JSON evidence over 8 KiB');

/**
 * One structured request/answer with a device service, decoded: an ATOL JSON task and its result.
 * `reply` null means no answer arrived; `status` is the service's own word for the outcome
 * (an ATOL task status such as "ready", "blocked", or an HTTP status).
 */
export const StructuredExchange = z.object({
  type: z.literal('structured'),
  label: deviceText, // "getFnInfo"
  request: BoundedJson,
  reply: BoundedJson.nullable(),
  status: deviceText.optional(),
  valid: z.boolean(),
  decoded: z.array(DecodedField).max(48).default([]),
  elapsedMs: z.number().nonnegative(),
});
export type StructuredExchange = z.infer<typeof StructuredExchange>;

/** Evidence of one exchange: bytes (ESC/POS, Shtrih-M frames) or structured (ATOL tasks). */
export const EvidenceExchange = z.union([StructuredExchange, Exchange]);
export type EvidenceExchange = z.infer<typeof EvidenceExchange>;

export function isStructuredExchange(exchange: EvidenceExchange): exchange is StructuredExchange {
  return exchange.type === 'structured';
}

export const Evidence = z.object({
  transport: TransportKind,
  /** "192.168.1.50:9100" or "/dev/ttyUSB0 @ 9600" */
  target: deviceText,
  /** A transport-level failure (cannot connect, port vanished) in plain words, when there was one. */
  transportError: deviceText.optional(),
  exchanges: z.array(EvidenceExchange).max(32),
});
export type Evidence = z.infer<typeof Evidence>;

export const DeviceHealth = z.enum(['ok', 'warning', 'fault', 'unknown']);
export type DeviceHealth = z.infer<typeof DeviceHealth>;

export const Finding = z.object({
  code: DiagnosisCode,
  /** One line in plain English of why, e.g. "DLE EOT 4 = 0x72: paper end sensor: no paper". */
  detail: z.string().max(500),
  /**
   * Set when the probe knows context that raises or lowers the catalogue's severity: a printer
   * detached during trading hours is critical, an unsynced clock is major when a fiscal register
   * is attached. Absent: the catalogue's severity.
   */
  severity: Severity.optional(),
});
export type Finding = z.infer<typeof Finding>;

/** What one probe of one device found. */
export const DeviceReport = z.object({
  deviceId: z.string().min(1).max(64),
  kind: DeviceKind,
  driver: DriverId,
  model: deviceText.optional(),
  /** Model, serials, firmware as the device reported them (goes into the register's inventory). */
  identity: DeviceIdentity.optional(),
  /** Fiscal registers only: the facts that decide when sales will be blocked. */
  fiscal: FiscalFacts.optional(),
  /** Receipt printers only: which status requests it answers, wear counters, the OS queue's view. */
  printer: PrinterFacts.optional(),
  /** Host probes only (kind 'host'): the section of the register's facts this probe reads. */
  host: HostSection.optional(),
  health: DeviceHealth,
  findings: z.array(Finding).max(32),
  /**
   * The codes this probe could rule in or out: a listed code absent from `findings` has cleared,
   * whatever the health (a clone that answers DLE EOT 1 and 4 but not 2 and 3 still vouches for
   * paper, so a paper-end ticket resolves when paper is back). Absent (older agents): every code
   * is vouched for unless health is 'unknown' or a finding blinds the device.
   */
  checked: z.array(DiagnosisCode).max(64).optional(),
  checklist: z.array(ChecklistAnswer).max(32),
  evidence: Evidence,
  probedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
});
export type DeviceReport = z.infer<typeof DeviceReport>;

export const InventoryItem = z.object({
  deviceId: z.string().min(1).max(64),
  kind: DeviceKind,
  driver: DriverId,
  transport: TransportKind,
  target: deviceText,
  identity: DeviceIdentity.optional(),
});
export type InventoryItem = z.infer<typeof InventoryItem>;

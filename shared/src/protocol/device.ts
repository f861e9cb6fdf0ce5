import { z } from 'zod';
import { ChecklistAnswer } from '../catalogue/checklist';
import { DiagnosisCode } from '../catalogue/codes';

export const DeviceKind = z.enum(['receipt-printer', 'fiscal']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** Driver ids the agent registry knows. The console learns driver kinds from here, never from agent code. */
export const DriverId = z.enum(['escpos']);
export type DriverId = z.infer<typeof DriverId>;

export const TransportKind = z.enum(['tcp', 'serial', 'usb']);
export type TransportKind = z.infer<typeof TransportKind>;

/** Device strings (model names, port names) come from hardware and are untrusted: bounded, escaped on display. */
const deviceText = z.string().max(200);
const hex = z.string().regex(/^([0-9a-f]{2}( [0-9a-f]{2})*)?$/, 'space-separated lower-case hex bytes').max(3 * 1024);

/** One decoded field of a status reply: a bit, or a group of bits such as the paper sensor pair. */
export const DecodedField = z.object({
  field: z.string().max(64), // e.g. "bit 3" or "bits 5,6"
  set: z.boolean(),
  meaning: z.object({ ru: deviceText, en: deviceText }),
  /** true when this value is a fault condition (drawn in red in the console) */
  alarm: z.boolean(),
});
export type DecodedField = z.infer<typeof DecodedField>;

/** One request/reply with a device, decoded. `reply` null means nothing valid arrived in time. */
export const Exchange = z.object({
  label: deviceText, // "DLE EOT 4: roll paper sensor"
  request: hex,
  reply: hex.nullable(),
  /** Bytes that arrived but are not a valid reply (stale, garbage, interleaved status). */
  discarded: hex.default(''),
  valid: z.boolean(),
  decoded: z.array(DecodedField).max(16).default([]),
  elapsedMs: z.number().nonnegative(),
});
export type Exchange = z.infer<typeof Exchange>;

export const Evidence = z.object({
  transport: TransportKind,
  /** "192.168.1.50:9100" or "/dev/ttyUSB0 @ 9600" */
  target: deviceText,
  /** A transport-level failure (cannot connect, port vanished) in plain words, when there was one. */
  transportError: deviceText.optional(),
  exchanges: z.array(Exchange).max(32),
});
export type Evidence = z.infer<typeof Evidence>;

export const DeviceHealth = z.enum(['ok', 'warning', 'fault', 'unknown']);
export type DeviceHealth = z.infer<typeof DeviceHealth>;

export const Finding = z.object({
  code: DiagnosisCode,
  /** One line in plain English of why, e.g. "DLE EOT 4 = 0x72: paper end sensor: no paper". */
  detail: z.string().max(500),
});
export type Finding = z.infer<typeof Finding>;

/** What one probe of one device found. */
export const DeviceReport = z.object({
  deviceId: z.string().min(1).max(64),
  kind: DeviceKind,
  driver: DriverId,
  model: deviceText.optional(),
  health: DeviceHealth,
  findings: z.array(Finding).max(32),
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
});
export type InventoryItem = z.infer<typeof InventoryItem>;

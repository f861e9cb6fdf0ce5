import type { ChecklistAnswer, DeviceKind, DeviceReport, DiagnosisCode, DriverId, Evidence, Severity, Symptom } from '@tillscope/shared';

/**
 * A finding on its way through the ticket stages (pipeline.ts): one condition of one register
 * (and device, or none for a register-wide one), with what a ticket of it shows.
 */
export interface TicketFinding {
  agentId: string;
  /** null: about the register as a whole (offline, a cashier's report). */
  deviceId: string | null;
  code: DiagnosisCode;
  detail: string;
  checklist: ChecklistAnswer[];
  evidence: Evidence | null;
  device: { kind: DeviceKind; driver: DriverId; model: string | null } | null;
  /** Overrides the catalogue's severity (Finding.severity: the probe knew the context); SLA and priority follow it. */
  severity?: Severity;
  /** A cashier's report: routed by the symptom they picked rather than by the code. */
  symptom?: Symptom;
  /**
   * When the console first saw this fault (ISO), if before now: the hold stage sets it when it lets
   * a held finding through, the offline sweep gives when the register fell silent. A new ticket
   * keeps it as found_at (the KPI fault-to-ticket time); without it a device report's ticket was
   * found as it opened, and an event's has no such time.
   */
  foundAt?: string;
  source: FindingSource;
}

/** Where the finding comes from, which decides how it updates a ticket that is already open. */
export type FindingSource =
  /** a device report: a repeat counts, a new detail is noted (standing-findings.ts) */
  | { kind: 'report'; report: Pick<DeviceReport, 'checklist' | 'evidence' | 'model'> }
  /** the console's own comparison (drift): `changed` says what it is about changed */
  | { kind: 'derived'; changed: boolean }
  /** the console opens it on an event (a register gone silent, a cashier's report): nothing to merge */
  | { kind: 'event' };

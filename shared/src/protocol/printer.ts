import { z } from 'zod';

/**
 * What a receipt printer told the agent beyond its findings: which status requests it answers
 * (clones answer only some), wear counters where it reports them, and the OS print queue's view.
 * Every part is optional: a printer that did not answer one request still reports the others.
 * See devices.md §1 (ESC/POS, Star line mode) and §6 (spooler, CUPS).
 */
const deviceText = z.string().max(200);

/**
 * A status request the agent sent and whether the printer has been seen to answer it
 * ("DLE EOT 2", "ESC ACK SOH", "GS I 67"). `answers: false` after repeated silence: the agent
 * then diagnoses from the answers the printer does give and asks again only now and then.
 */
export const StatusSupport = z.object({
  request: deviceText,
  answers: z.boolean(),
});
export type StatusSupport = z.infer<typeof StatusSupport>;

/**
 * A wear counter as the printer reported it. `name` is a stable id the console translates
 * (`cuts`, `head_lines`, `head_distance_cm`, `paper_feed_cm`, `head_energized`…); `value` the raw
 * count; `source` names the request that read it (evidence), e.g. "GS g 2 n=20".
 */
export const WearCounter = z.object({
  name: z.string().max(64).regex(/^[a-z0-9_]+$/),
  value: z.number().int().nonnegative(),
  unit: z.enum(['count', 'lines', 'cm', 'hours']),
  source: deviceText,
});
export type WearCounter = z.infer<typeof WearCounter>;

/** The OS print queue of the same printer (Windows spooler, Linux CUPS), as the agent read it. */
export const PrintQueueView = z.object({
  system: z.enum(['cups', 'windows-spooler']),
  /** the queue / printer name in the OS */
  queue: deviceText,
  /** the spooler service itself (Windows `Spooler`, CUPS scheduler) */
  serviceRunning: z.boolean().optional(),
  paused: z.boolean().optional(),
  /** the OS marks the printer offline / not available (WORK_OFFLINE, OFFLINE, CUPS "disabled") */
  offline: z.boolean().optional(),
  jobCount: z.number().int().nonnegative().optional(),
  /** the oldest job's submission time, when there are jobs */
  oldestJobAt: z.iso.datetime().optional(),
  /** the OS driver name and version, when the OS names them */
  driver: deviceText.optional(),
  /** a job is printing right now: a test print must wait */
  printing: z.boolean().optional(),
});
export type PrintQueueView = z.infer<typeof PrintQueueView>;

export const PrinterFacts = z.object({
  statusSupport: z.array(StatusSupport).max(16).optional(),
  counters: z.array(WearCounter).max(16).optional(),
  queue: PrintQueueView.optional(),
});
export type PrinterFacts = z.infer<typeof PrinterFacts>;

/**
 * How a test print ended.
 * - `printed`: the job was sent and the status re-read afterwards shows the printer online with
 *   paper, no cover open and no error (`after` is that reading);
 * - `failed`: sent, but the status afterwards shows a fault (or no answer);
 * - `refused`: not sent: a receipt is printing, the port is busy, the device is not a printer,
 *   the printer already reports a fault, or nobody agreed. `reason` says which;
 * - `not_sent`: the transport failed before the job was complete.
 */
export const TestPrintOutcome = z.enum(['printed', 'failed', 'refused', 'not_sent']);
export type TestPrintOutcome = z.infer<typeof TestPrintOutcome>;

/** Who asked for the test print: an engineer from the ticket, or the cashier on the cashier page. */
export const TestPrintRequester = z.enum(['engineer', 'cashier']);
export type TestPrintRequester = z.infer<typeof TestPrintRequester>;

/** The result of one test print; the reports are `DeviceReport`s (typed where this is used). */
export const TestPrintSummary = z.object({
  deviceId: z.string().min(1).max(64),
  outcome: TestPrintOutcome,
  /** plain English, e.g. "status after printing: DLE EOT 4 = 0x12, paper present" */
  reason: z.string().max(500),
  requestedBy: TestPrintRequester,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** bytes of the print job sent (0 when refused) */
  jobBytes: z.number().int().nonnegative(),
});
export type TestPrintSummary = z.infer<typeof TestPrintSummary>;

/**
 * What an identification exchange made of one port. `busy`: another program (the POS, a vendor
 * driver) holds it: reported, never taken. `silent`: nothing answered any harmless request.
 */
export const DiscoveredClass = z.enum(['escpos', 'star-line', 'shtrih-m', 'atol', 'busy', 'silent', 'unreachable']);
export type DiscoveredClass = z.infer<typeof DiscoveredClass>;

export const DiscoveredPort = z.object({
  transport: z.enum(['tcp', 'serial', 'usb', 'http']),
  /** "/dev/ttyUSB0", "COM3", "192.168.1.50:9100", "usb 04b8:0e03 serial X", "/dev/usb/lp0" */
  target: deviceText,
  /** what the OS says it is (USB vendor/product strings, serialport's manufacturer) */
  osDescription: deviceText.optional(),
  classification: DiscoveredClass,
  /** the requests sent and what came back, in plain words ("ENQ → NAK: Shtrih-M handshake") */
  steps: z.array(deviceText).max(16),
  model: deviceText.optional(),
  /** already in the agent's config as this device id */
  configuredAs: z.string().max(64).optional(),
  /**
   * A device entry for the agent config (JSON as the config file takes it), proposed only after a
   * probe of the classified device succeeded; absent for busy, silent and configured ports.
   */
  proposedConfig: z.json().optional(),
  /** the health that probe gave */
  probeHealth: z.enum(['ok', 'warning', 'fault', 'unknown']).optional(),
});
export type DiscoveredPort = z.infer<typeof DiscoveredPort>;

export const DiscoveryResult = z.object({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  ports: z.array(DiscoveredPort).max(64),
  /** what could not be listed and why ("usb: libusb not available") */
  problems: z.array(deviceText).max(16).default([]),
});
export type DiscoveryResult = z.infer<typeof DiscoveryResult>;

import { z } from 'zod';
import { Symptom } from '../catalogue/symptoms';
import { ErrorCode } from '../errors';
import { Locale } from '../i18n';
import { DeviceReport, InventoryItem } from './device';
import { HOST_PROBE_IDS } from './host';
import { BundleSummary } from './bundle';
import { DiscoveryResult, TestPrintSummary } from './printer';
import { envelope, MessageId } from './envelope';

/**
 * Reports one message may carry: up to 64 configured devices (the agent config's limit) and one
 * report per host probe.
 */
export const MAX_REPORTS_PER_MESSAGE = 64 + HOST_PROBE_IDS.length;

export const StoreId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/);
export const RegisterId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/);

/** First message on every connection: who the agent is and what it has. */
export const HelloPayload = z.object({
  agentVersion: z.string().max(32),
  os: z.object({ platform: z.string().max(32), release: z.string().max(128), hostname: z.string().max(128) }),
  inventory: z.array(InventoryItem).max(64),
  probeIntervalSec: z.number().positive(),
});
export const Hello = envelope('hello', HelloPayload);
export type Hello = z.infer<typeof Hello>;

/** Sent after a probe when a device's findings changed, and periodically as a full snapshot. */
export const HealthPayload = z.object({
  devices: z.array(DeviceReport).max(MAX_REPORTS_PER_MESSAGE),
});
export const Health = envelope('health', HealthPayload);
export type Health = z.infer<typeof Health>;

/** The cashier pressed "report a problem"; the agent attaches a fresh diagnosis taken at that moment. */
export const CashierReportPayload = z.object({
  symptom: Symptom,
  /** The cashier's own words: untrusted, shown escaped and marked as theirs. */
  note: z.string().max(500).default(''),
  locale: Locale,
  reportedAt: z.iso.datetime(),
  diagnosis: z.array(DeviceReport).max(MAX_REPORTS_PER_MESSAGE),
});
export const CashierReport = envelope('cashier_report', CashierReportPayload);
export type CashierReport = z.infer<typeof CashierReport>;

/**
 * The answer to a command. `devices`: fresh reports (probe_now; the status re-read after a test
 * print). `testPrint` answers test_print (a refusal is ok=true with outcome `refused`: the command
 * ran, the printer was not touched); `discovery` answers discover; `bundle` answers collect_bundle
 * (the bundle itself was uploaded over HTTP before this result was sent).
 */
export const CommandResultPayload = z.discriminatedUnion('ok', [
  z.object({
    commandId: MessageId,
    ok: z.literal(true),
    devices: z.array(DeviceReport).max(MAX_REPORTS_PER_MESSAGE),
    testPrint: TestPrintSummary.optional(),
    discovery: DiscoveryResult.optional(),
    bundle: BundleSummary.optional(),
  }),
  z.object({ commandId: MessageId, ok: z.literal(false), code: ErrorCode, message: z.string().max(500) }),
]);
export const CommandResult = envelope('command_result', CommandResultPayload);
export type CommandResult = z.infer<typeof CommandResult>;

/**
 * The cashier answered "Работает? Да / Нет" after the ticket was resolved. Each answer is its own
 * message (own id): a changed answer is sent again and the server applies them in order, so the
 * latest answer is the one that stands. `reportId` is the id of the cashier_report message that
 * opened or joined the ticket.
 */
export const CashierFeedbackPayload = z.object({
  reportId: MessageId,
  ticketId: z.number().int().positive(),
  working: z.boolean(),
  answeredAt: z.iso.datetime(),
});
export const CashierFeedback = envelope('cashier_feedback', CashierFeedbackPayload);
export type CashierFeedback = z.infer<typeof CashierFeedback>;

/**
 * The cashier agreed to a test print on the cashier page (after reporting a printer problem) and
 * the agent ran it. `reportId` is the cashier_report it follows: the console puts the result on
 * that report's ticket. `devices`: the status re-read afterwards.
 */
export const TestPrintDonePayload = z.object({
  reportId: MessageId.optional(),
  summary: TestPrintSummary,
  devices: z.array(DeviceReport).max(4),
});
export const TestPrintDone = envelope('test_print_done', TestPrintDonePayload);
export type TestPrintDone = z.infer<typeof TestPrintDone>;

/**
 * The agent accepted command `commandId` and started it (the console shows the action as running).
 * Sent live, not through the outbox: a lost one only means the console shows "sent" until the
 * result arrives. The agent runs each commandId at most once: one it already started (a resend
 * after a reconnection) is not started again; its result comes through the outbox.
 */
export const CommandStartedPayload = z.object({ commandId: MessageId, startedAt: z.iso.datetime() });
export const CommandStarted = envelope('command_started', CommandStartedPayload);
export type CommandStarted = z.infer<typeof CommandStarted>;

export const AgentMessage = z.discriminatedUnion('type', [Hello, Health, CashierReport, CommandResult, CashierFeedback, TestPrintDone, CommandStarted]);
export type AgentMessage = z.infer<typeof AgentMessage>;
export type AgentMessageType = AgentMessage['type'];
export const AGENT_MESSAGE_TYPES = [
  'hello', 'health', 'cashier_report', 'command_result', 'cashier_feedback', 'test_print_done', 'command_started',
] as const satisfies readonly AgentMessageType[];

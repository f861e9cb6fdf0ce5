import { z } from 'zod';
import { DeviceReport, InventoryItem } from './device';
import { OsEvent } from './host';

/**
 * The diagnostics bundle (issue 10): what an engineer asks a register for from a ticket, and what a
 * vendor hand-off carries later. The agent builds it from what it already knows (the latest host
 * and device reports, its own recent log, the outbox state) plus the named configuration files,
 * redacts it on the register and uploads it gzipped over HTTPS (POST /api/agent/bundles with the
 * agent's credential; docs/api.md). Every text in it came from the register: untrusted.
 */

/** What the agent removes before a bundle leaves the register. */
export const RedactionKind = z.enum(['password', 'token', 'card_number', 'cashier_name']);
export type RedactionKind = z.infer<typeof RedactionKind>;

/** The size caps: the JSON before compression, and the gzipped upload the console accepts. */
export const BUNDLE_MAX_JSON_BYTES = 4 * 1024 * 1024;
export const BUNDLE_MAX_UPLOAD_BYTES = 1024 * 1024;

const text = (max: number) => z.string().max(max);

export const AgentLogLine = z.object({
  at: z.iso.datetime(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  module: text(64),
  message: text(2000),
});
export type AgentLogLine = z.infer<typeof AgentLogLine>;

export const BundleFile = z.object({
  /** the name the config gives it ("frontol.ini", "agent config") */
  name: text(64),
  path: text(300),
  /** redacted text; null when it could not be read (see `error`) */
  content: z.string().max(512 * 1024).nullable(),
  /** content was cut at the per-file cap */
  truncated: z.boolean().default(false),
  error: text(200).optional(),
});
export type BundleFile = z.infer<typeof BundleFile>;

export const OutboxState = z.object({
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  oldestAt: z.iso.datetime().nullable(),
  byType: z.record(z.string().max(32), z.number().int().nonnegative()),
});
export type OutboxState = z.infer<typeof OutboxState>;

export const DiagnosticsBundle = z.object({
  format: z.literal('tillscope-bundle/1'),
  createdAt: z.iso.datetime(),
  storeId: text(64),
  registerId: text(64),
  agentVersion: text(32),
  /** why it was collected: the ticket it was asked from */
  ticketId: z.number().int().positive().optional(),
  requestedBy: text(64).optional(),
  /** the latest report of every host probe (kind 'host') */
  host: z.array(DeviceReport).max(16),
  /** the latest report of every configured device, with identities */
  devices: z.array(DeviceReport).max(64),
  inventory: z.array(InventoryItem).max(64),
  /** the agent's own recent log, oldest first */
  agentLog: z.array(AgentLogLine).max(2000),
  /** recent OS log entries (print service, applications), newest first */
  osEvents: z.array(OsEvent).max(200),
  outbox: OutboxState,
  /** the agent's config (secrets removed) and the configuration files it names */
  files: z.array(BundleFile).max(17),
  /** how many of each kind were removed */
  redactions: z.record(RedactionKind, z.number().int().nonnegative()),
  /** what was cut to fit BUNDLE_MAX_JSON_BYTES ("agentLog: kept the last 800 of 2000 lines") */
  truncated: z.array(text(200)).max(16).default([]),
});
export type DiagnosticsBundle = z.infer<typeof DiagnosticsBundle>;

/** What the agent says of a bundle it collected and uploaded (CommandResult.bundle). */
export const BundleSummary = z.object({
  bundleId: z.string().min(1).max(64),
  /** the gzipped upload */
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  redactions: z.record(RedactionKind, z.number().int().nonnegative()),
  truncated: z.array(text(200)).max(16).default([]),
});
export type BundleSummary = z.infer<typeof BundleSummary>;

/** The console's answer to an agent's bundle upload. */
export const BundleUploaded = z.object({ ok: z.literal(true), bundleId: z.string() });
export type BundleUploaded = z.infer<typeof BundleUploaded>;

import { z } from 'zod';
import { RegisterId, StoreId } from './protocol/agent-messages';
import { CommandVerb } from './protocol/server-messages';

// Remote actions as a queue (docs/api.md "Remote actions and the audit log"): REST shapes between
// the console server and its renderer.

/**
 * Where an action stands. `queued`: recorded, not yet handed to the register (it is offline, or was
 * when asked); `sent`: handed to the register's socket, no answer yet; `running`: the agent said it
 * started (command_started); `done` / `failed`: its result came (ok / not ok); `expired`: its time
 * ran out before it could be sent (or before a sent one was answered); `cancelled`: an engineer
 * withdrew it while it was still queued. The last four are final, except that a result arriving
 * late for an `expired` sent action still records what really happened.
 */
export const ActionState = z.enum(['queued', 'sent', 'running', 'done', 'failed', 'expired', 'cancelled']);
export type ActionState = z.infer<typeof ActionState>;

export const FINAL_ACTION_STATES: readonly ActionState[] = ['done', 'failed', 'expired', 'cancelled'];

/** Body of POST /api/tickets/:id/actions and POST /api/registers/:agentId/actions. */
export const ActionRequest = z.object({
  verb: CommandVerb,
  /** the device the action is about; a ticket's own device when omitted (test_print needs one) */
  deviceId: z.string().min(1).max(64).optional(),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

/** One action as the audit log and the ticket's "Actions" block show it. */
export const RemoteAction = z.object({
  /** the command id the agent sees (`cmd-…`) */
  id: z.string(),
  agentId: z.string(),
  storeId: StoreId,
  registerId: RegisterId,
  ticketId: z.number().int().positive().nullable(),
  verb: CommandVerb,
  deviceId: z.string().nullable(),
  /** the engineer's username */
  requestedBy: z.string(),
  requestedAt: z.iso.datetime(),
  /** after this instant a queued action is not sent any more */
  expiresAt: z.iso.datetime().nullable(),
  state: ActionState,
  /** the last time it was handed to the register's socket (a re-send after a reconnection moves it) */
  sentAt: z.iso.datetime().nullable(),
  /** how many times it was handed to the socket (the agent runs one commandId at most once) */
  sendCount: z.number().int().min(0),
  startedAt: z.iso.datetime().nullable(),
  /** when it reached a final state */
  completedAt: z.iso.datetime().nullable(),
  /** `ok`, or the error code of the failure (`forbidden`, `expired`, `disabled`, `timeout`, …) */
  resultCode: z.string().nullable(),
  resultMessage: z.string().nullable(),
  cancelledBy: z.string().nullable(),
});
export type RemoteAction = z.infer<typeof RemoteAction>;

/** 202 answer of the POST routes: the action as recorded (queued or already sent). */
export const ActionAccepted = z.object({ ok: z.literal(true), commandId: z.string(), action: RemoteAction });
export type ActionAccepted = z.infer<typeof ActionAccepted>;

/** Why a verb cannot be asked now from this ticket. */
export const ActionUnavailable = z.enum(['disabled', 'needs_receipt_printer', 'pending']);
export type ActionUnavailable = z.infer<typeof ActionUnavailable>;

/** GET /api/tickets/:id/actions: what the ticket page's "Actions" block shows. */
export const TicketActions = z.object({
  ticketId: z.number().int().positive(),
  agentId: z.string(),
  /** false: an action asked now is queued and sent once the register reconnects (unless it expires) */
  registerConnected: z.boolean(),
  expiryMinutes: z.number().int().positive(),
  verbs: z.array(z.object({ verb: CommandVerb, available: z.boolean(), reason: ActionUnavailable.optional() })),
  /** this ticket's actions, newest first (at most 50) */
  actions: z.array(RemoteAction),
});
export type TicketActions = z.infer<typeof TicketActions>;

/** `requestedAt~id` of the last row of a page; pass it back as `after`. */
export const AuditCursor = z.string().max(120).regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~cmd-[A-Za-z0-9-]{1,64}$/, 'a nextCursor from the previous page');

/** Query of GET /api/audit: every filter optional, newest first. */
export const AuditQuery = z.object({
  storeId: StoreId.optional(),
  /** the register by its name in its store (pos-1): with storeId one register, without it that name in every store */
  registerId: RegisterId.optional(),
  /** one register by its agent id (the register page's link) */
  agentId: z.string().min(1).max(64).optional(),
  verb: CommandVerb.optional(),
  engineer: z.string().min(1).max(64).optional(),
  state: ActionState.optional(),
  ticketId: z.coerce.number().int().positive().optional(),
  /** requested at or after (ISO) */
  from: z.iso.datetime().optional(),
  /** requested before (ISO) */
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: AuditCursor.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({ actions: z.array(RemoteAction), nextCursor: AuditCursor.nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const DEFAULT_ACTION_EXPIRY_MINUTES = 240;

/** GET/PUT /api/actions/settings (PUT: admins): how long a queued action waits for its register. */
export const ActionSettings = z.object({
  expiryMinutes: z.number().int().min(1).max(7 * 24 * 60).default(DEFAULT_ACTION_EXPIRY_MINUTES),
});
export type ActionSettings = z.infer<typeof ActionSettings>;

/** The verbs an admin turned off in one store. */
export const StoreActionBlocks = z.object({
  storeId: StoreId,
  disabled: z.array(CommandVerb),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type StoreActionBlocks = z.infer<typeof StoreActionBlocks>;

/** GET /api/actions/stores: every store with at least one register, and what is off there. */
export const StoreActionBlockList = z.object({ stores: z.array(StoreActionBlocks) });
export type StoreActionBlockList = z.infer<typeof StoreActionBlockList>;

/** Body of PUT /api/actions/stores/:storeId (admins): the full list of verbs off in that store. */
export const PutStoreActionBlocks = z.object({ disabled: z.array(CommandVerb).max(CommandVerb.options.length) });
export type PutStoreActionBlocks = z.infer<typeof PutStoreActionBlocks>;

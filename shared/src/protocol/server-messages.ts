import { z } from 'zod';
import { ErrorCode } from '../errors';
import { envelope, MessageId } from './envelope';

export const TicketStatus = z.enum(['open', 'in_progress', 'resolved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;

/**
 * Where the ticket stands, in the cashier's words (derived by the console from status, assignee and
 * waiting_on): `queued` nobody has taken it yet; `taken` an engineer has it and is working on it;
 * `waiting_vendor` / `waiting_store` it waits on a vendor (service centre) or on the store itself;
 * `resolved` the engineer says it is fixed and the cashier is asked "is it working?"; `closed` settled.
 */
export const TicketProgress = z.enum(['queued', 'taken', 'waiting_vendor', 'waiting_store', 'resolved', 'closed']);
export type TicketProgress = z.infer<typeof TicketProgress>;

/**
 * What the cashier page shows about a ticket: its number, the promised reaction time, its state.
 * `progress` and `autoCloseAt` are optional so an agent still understands an older console (and an
 * older agent ignores them): `autoCloseAt`, on a resolved ticket, is when it closes by itself if
 * nobody answers "is it working?" (the console's cashier setting).
 */
export const TicketRef = z.object({
  ticketId: z.number().int().positive(),
  status: TicketStatus,
  reactBy: z.iso.datetime(),
  reactMinutes: z.number().int().positive(),
  progress: TicketProgress.optional(),
  autoCloseAt: z.iso.datetime().optional(),
});
export type TicketRef = z.infer<typeof TicketRef>;

/**
 * The server processed (or had already processed) message `ackOf`. Sent only after the effect is
 * durably committed, so the agent may drop the message from its outbox. A rejected message is
 * acked with ok=false: resending it would fail the same way.
 */
export const AckPayload = z.discriminatedUnion('ok', [
  z.object({ ackOf: MessageId, ok: z.literal(true), ticket: TicketRef.optional() }),
  z.object({ ackOf: MessageId, ok: z.literal(false), code: ErrorCode, message: z.string().max(500) }),
]);
export const Ack = envelope('ack', AckPayload);
export type Ack = z.infer<typeof Ack>;

/**
 * Remote actions come from this allow-list only; the agent has no shell and runs nothing else.
 * - `probe_now`: probe every device (or one) and answer with fresh reports;
 * - `test_print`: print a short test receipt on one receipt printer (`deviceId` required), then
 *   re-read its status; refused while a receipt is printing, on a busy port or on a fiscal device;
 * - `discover`: list serial ports, USB printers and configured network printers, classify each
 *   with a harmless identification exchange and propose config (busy ports are reported, never taken);
 * - `collect_bundle`: build the diagnostics bundle (protocol/bundle.ts), redact it, upload it to
 *   POST /api/agent/bundles with `commandId`, then answer with its BundleSummary;
 * - `restart_print_service`: restart the OS print service (Windows: the `Spooler` service; Linux:
 *   CUPS), with a fixed argument vector, never a shell; refused while a receipt is printing.
 *
 * The agent keeps its own allow-list (config `actions.allow`, default every verb) and refuses a verb
 * that is not on it with `forbidden`, even when the server sends it. A verb it does not know is
 * refused with `unsupported`.
 */
export const CommandVerb = z.enum(['probe_now', 'test_print', 'discover', 'collect_bundle', 'restart_print_service']);
export type CommandVerb = z.infer<typeof CommandVerb>;

export const CommandPayload = z.object({
  commandId: MessageId,
  verb: CommandVerb,
  deviceId: z.string().max(64).optional(),
  /** the ticket an engineer asked from (test_print, collect_bundle): its timeline gets the result */
  ticketId: z.number().int().positive().optional(),
  /** who asked (collect_bundle writes it into the bundle) */
  requestedBy: z.string().max(64).optional(),
  /**
   * The console queued this action for a register that was offline: after this instant it must not
   * run. The console never sends an expired action; the agent refuses one with `expired` as a
   * second guard (its clock may be wrong, so the console's decision is the one that counts).
   */
  expiresAt: z.iso.datetime().optional(),
});
export const Command = envelope('command', CommandPayload);
export type Command = z.infer<typeof Command>;

/** Live status of a ticket the register's cashier opened, so the cashier page can follow it. */
export const TicketUpdate = envelope('ticket_update', z.object({ reportId: MessageId.optional(), ticket: TicketRef }));
export type TicketUpdate = z.infer<typeof TicketUpdate>;

export const ServerMessage = z.discriminatedUnion('type', [Ack, Command, TicketUpdate]);
export type ServerMessage = z.infer<typeof ServerMessage>;

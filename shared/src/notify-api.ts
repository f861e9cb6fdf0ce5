import { z } from 'zod';
import { DiagnosisCode } from './catalogue/codes';
import { GroupId } from './catalogue/service';
import { TimeOfDay } from './service-api';

// REST shapes of notifications (issue 12): channels (Telegram, e-mail, webhook), rules (which
// triggers of which group go to which channel, quiet hours), the deliveries admins watch, and the
// JSON body a webhook receives. Every route is admin-only; docs/api.md lists them.
// Secrets (bot token, SMTP password, webhook signing secret) go in, never back out in full: a
// channel's view says only whether one is set and its last 4 characters.

/**
 * What raises a notification: a new P1 ticket (not a store incident's symptom: the incident itself
 * is the one message), an SLA clock about to breach (the SLA watch's `sla_warning`), an escalation
 * (to the third line or a vendor).
 */
export const NotifyTrigger = z.enum(['p1_opened', 'sla_warning', 'escalated']);
export type NotifyTrigger = z.infer<typeof NotifyTrigger>;

export const ChannelKind = z.enum(['telegram', 'email', 'webhook']);
export type ChannelKind = z.infer<typeof ChannelKind>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http or https URL' }).max(2048);

export const TelegramConfig = z.object({
  /** chat, group or channel id (a number, negative for groups) or @channelusername */
  chatId: z.string().trim().regex(/^(?:-?\d{1,20}|@[A-Za-z0-9_]{5,64})$/, 'a numeric chat id or @channel'),
});
export type TelegramConfig = z.infer<typeof TelegramConfig>;

export const EmailConfig = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65_535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it */
  secure: z.boolean().default(false),
  /** SMTP login; the password is the channel's secret. Empty: no authentication */
  user: z.string().trim().max(254).default(''),
  from: z.email().max(254),
  to: z.array(z.email().max(254)).min(1).max(20),
});
export type EmailConfig = z.infer<typeof EmailConfig>;

export const WebhookConfig = z.object({ url: httpUrl });
export type WebhookConfig = z.infer<typeof WebhookConfig>;

/** Messages per minute a channel sends at most; the rest wait their turn (none are dropped). */
const PerMinute = z.number().int().min(1).max(600);

const channelFields = {
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  perMinute: PerMinute.default(20),
};

/**
 * POST /api/notify/channels and PUT /api/notify/channels/:id (admin). `secret`: the bot token, the
 * SMTP password or the webhook signing secret; left out on PUT it keeps the stored one, "" clears it.
 */
export const UpsertChannelRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('telegram'), ...channelFields, config: TelegramConfig, secret: z.string().max(256).optional() }),
  z.object({ kind: z.literal('email'), ...channelFields, config: EmailConfig, secret: z.string().max(256).optional() }),
  z.object({ kind: z.literal('webhook'), ...channelFields, config: WebhookConfig, secret: z.string().max(256).optional() }),
]);
export type UpsertChannelRequest = z.input<typeof UpsertChannelRequest>;
export type ChannelSettings = z.output<typeof UpsertChannelRequest>;

export const SecretHint = z.object({
  set: z.boolean(),
  /** the last 4 characters, when the secret is longer than 8; never more */
  last4: z.string().max(4).nullable(),
});
export type SecretHint = z.infer<typeof SecretHint>;

const channelView = { id: z.number().int().positive(), ...channelFields, enabled: z.boolean(), perMinute: PerMinute, secret: SecretHint };
export const NotifyChannel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('telegram'), ...channelView, config: TelegramConfig }),
  z.object({ kind: z.literal('email'), ...channelView, config: EmailConfig }),
  z.object({ kind: z.literal('webhook'), ...channelView, config: WebhookConfig }),
]);
export type NotifyChannel = z.infer<typeof NotifyChannel>;

/** GET /api/notify/channels */
export const ChannelList = z.object({ channels: z.array(NotifyChannel) });
export type ChannelList = z.infer<typeof ChannelList>;

/**
 * Quiet hours of a rule, in a time zone: from `from` to `to` local time (over midnight when `to`
 * is earlier). A message raised then waits until `to`, and is dropped if its ticket was resolved
 * meanwhile. `p1Overrides`: a new P1 goes out at once anyway.
 */
export const QuietHours = z.object({
  from: TimeOfDay,
  to: TimeOfDay,
  /** IANA zone, e.g. Europe/Moscow; the server checks it is one it knows */
  timeZone: z.string().min(1).max(64),
  p1Overrides: z.boolean().default(true),
});
export type QuietHours = z.infer<typeof QuietHours>;

const ruleFields = {
  channelId: z.number().int().positive(),
  /** the support group whose tickets this rule covers; null: every group */
  group: GroupId.nullable(),
  triggers: z.array(NotifyTrigger).min(1).max(NotifyTrigger.options.length),
  quiet: QuietHours.nullable().default(null),
  enabled: z.boolean().default(true),
};

/** POST /api/notify/rules and PUT /api/notify/rules/:id (admin). */
export const UpsertRuleRequest = z.object(ruleFields);
export type UpsertRuleRequest = z.input<typeof UpsertRuleRequest>;

export const NotifyRule = z.object({ id: z.number().int().positive(), ...ruleFields, quiet: QuietHours.nullable(), enabled: z.boolean() });
export type NotifyRule = z.infer<typeof NotifyRule>;

/** GET /api/notify/rules */
export const RuleList = z.object({ rules: z.array(NotifyRule) });
export type RuleList = z.infer<typeof RuleList>;

/**
 * pending: waiting for its time (first try, a retry after a failure, quiet hours, the channel's
 * per-minute cap); sent; failed: gave up after the last retry; skipped: not sent on purpose (its
 * ticket became a store incident's symptom, or was resolved during quiet hours).
 */
export const DeliveryStatus = z.enum(['pending', 'sent', 'failed', 'skipped']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const NotifyDelivery = z.object({
  id: z.number().int().positive(),
  channelId: z.number().int().positive(),
  channelName: z.string(),
  channelKind: ChannelKind,
  ticketId: z.number().int().positive(),
  trigger: NotifyTrigger,
  status: DeliveryStatus,
  attempts: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  /** the next try (pending) */
  nextAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  /** the last failure or why it was skipped, in the channel's words */
  lastError: z.string().nullable(),
  /** waiting for the end of a rule's quiet hours */
  quiet: z.boolean(),
});
export type NotifyDelivery = z.infer<typeof NotifyDelivery>;

/** GET /api/notify/deliveries?status=&channelId=&limit= (newest first) */
export const DeliveryListQuery = z.object({
  status: DeliveryStatus.optional(),
  channelId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

export const DeliveryList = z.object({
  deliveries: z.array(NotifyDelivery),
  /** every delivery by status, per channel id */
  counts: z.array(z.object({ channelId: z.number().int().positive(), status: DeliveryStatus, count: z.number().int().nonnegative() })),
});
export type DeliveryList = z.infer<typeof DeliveryList>;

/**
 * The JSON body POSTed to a webhook (Content-Type application/json). Headers:
 * `X-Tillscope-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the channel's secret>`,
 * `X-Tillscope-Timestamp: <unix seconds>` (equal to `timestamp` in the signed body: a receiver
 * rejects a body older than a few minutes, so a captured request cannot be replayed later),
 * `X-Tillscope-Delivery: <id>` (the same on every retry of one message: de-duplicate by it).
 */
export const WebhookBody = z.object({
  version: z.literal(1),
  deliveryId: z.number().int().positive(),
  /** unix seconds when this attempt was sent */
  timestamp: z.number().int().positive(),
  trigger: NotifyTrigger,
  /** when the trigger happened (the timeline event's time) */
  at: z.iso.datetime(),
  ticket: z.object({
    id: z.number().int().positive(),
    code: DiagnosisCode,
    priority: z.number().int().min(1).max(4),
    group: z.string(),
    storeId: z.string(),
    /** the store's name as set in Сервис → Магазины; '' when it has none (bodies before it had none either) */
    storeName: z.string().default(''),
    registerId: z.string(),
    deviceId: z.string().nullable(),
    /** 'store': a store incident; `symptoms` registers are part of it */
    scope: z.enum(['register', 'store']),
    symptoms: z.number().int().nonnegative(),
  }),
  /** the human message, Russian and English */
  text: z.object({ ru: z.string(), en: z.string() }),
  /** the ticket in the console, when the console's address is configured */
  url: z.string().nullable(),
});
export type WebhookBody = z.infer<typeof WebhookBody>;

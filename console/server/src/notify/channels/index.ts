import { EmailConfig, TelegramConfig, WebhookConfig, type ChannelKind } from '@tillscope/shared';
import type { z } from 'zod';
import { emailSender, type EmailDeps } from './email';
import type { ChannelSend, ChannelSenders } from './sender';
import { telegramSender, type TelegramDeps } from './telegram';
import { webhookSender, type WebhookDeps } from './webhook';

export interface SenderOptions {
  telegram?: TelegramDeps;
  email?: EmailDeps;
  webhook?: WebhookDeps;
}

const CONFIGS: Record<ChannelKind, z.ZodType> = { telegram: TelegramConfig, email: EmailConfig, webhook: WebhookConfig };

/** Parses the stored config of its kind before the sender sees it (a row is input like any other). */
function parsing<C>(kind: ChannelKind, send: ChannelSend<C>): ChannelSend<unknown> {
  return (target, message) => send({ ...target, config: CONFIGS[kind].parse(target.config) as C }, message);
}

/** The real senders of every channel kind. */
export function createSenders(options: SenderOptions = {}): ChannelSenders {
  return {
    telegram: parsing('telegram', telegramSender(options.telegram)),
    email: parsing('email', emailSender(options.email)),
    webhook: parsing('webhook', webhookSender(options.webhook)),
  };
}

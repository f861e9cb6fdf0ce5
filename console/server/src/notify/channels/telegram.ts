import type { TelegramConfig } from '@tillscope/shared';
import { Api, GrammyError, HttpError } from 'grammy';
import { plainText, type OutgoingMessage } from '../message';
import { DeliveryFailure, SEND_TIMEOUT_MS, type ChannelSend } from './sender';

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

export interface TelegramDeps {
  /** The Bot API's address; a local fake of it in tests. */
  apiRoot?: string;
}

/**
 * Sends the message as plain text (no parse_mode: ticket and device strings are never read as
 * markup) with grammY's Api client; the bot token is the channel's secret.
 */
export function telegramSender({ apiRoot = TELEGRAM_API_ROOT }: TelegramDeps = {}): ChannelSend<TelegramConfig> {
  return async ({ config, secret }, message: OutgoingMessage) => {
    if (!secret) throw new DeliveryFailure('Telegram: no bot token');
    const api = new Api(secret, { apiRoot, timeoutSeconds: SEND_TIMEOUT_MS / 1000 });
    try {
      await api.sendMessage(config.chatId, plainText(message), { link_preview_options: { is_disabled: true } });
    } catch (error) {
      if (error instanceof GrammyError) throw new DeliveryFailure(`Telegram ${error.error_code}: ${error.description}`);
      // grammY's HttpError message names the method, never the token
      if (error instanceof HttpError) throw new DeliveryFailure(`Telegram unreachable: ${error.message}`);
      throw error;
    }
  };
}

import type { ChannelKind } from '@tillscope/shared';
import type { OutgoingMessage } from '../message';

/** A channel as its sender needs it: the kind's parsed settings and the secret. */
export interface ChannelTarget<Config> {
  id: number;
  config: Config;
  /** bot token, SMTP password or webhook signing secret ('' when none) */
  secret: string;
}

/**
 * Sends one message; resolves when the channel accepted it, rejects with a DeliveryFailure (or any
 * error: its message is recorded) otherwise. Never retries itself: the delivery sweep does.
 */
export type ChannelSend<Config> = (target: ChannelTarget<Config>, message: OutgoingMessage) => Promise<void>;

/** A channel said no, in words an admin can act on (recorded as the delivery's last error). */
export class DeliveryFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

/** Seconds a channel may take to accept one message before the try counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;

export type ChannelSenders = Record<ChannelKind, ChannelSend<unknown>>;

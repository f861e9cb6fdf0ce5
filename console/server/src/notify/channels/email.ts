import type { EmailConfig } from '@tillscope/shared';
import nodemailer from 'nodemailer';
import { plainText, type OutgoingMessage } from '../message';
import { DeliveryFailure, SEND_TIMEOUT_MS, type ChannelSend } from './sender';

export interface EmailDeps {
  /** nodemailer's createTransport (a seam for tests of the sender's own logic; the real one by default) */
  createTransport?: typeof nodemailer.createTransport;
}

/**
 * Sends a plain-text e-mail over SMTP (nodemailer). The subject is the Russian headline, then the
 * English one; the body is Russian, then English, then the link. STARTTLS when the server offers
 * it, TLS from the start when `secure`; the password is the channel's secret.
 */
export function emailSender({ createTransport = nodemailer.createTransport }: EmailDeps = {}): ChannelSend<EmailConfig> {
  return async ({ config, secret }, message: OutgoingMessage) => {
    const transport = createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: secret } : undefined,
      connectionTimeout: SEND_TIMEOUT_MS,
      greetingTimeout: SEND_TIMEOUT_MS,
      socketTimeout: SEND_TIMEOUT_MS,
    });
    const subject = `${firstLine(message.text.ru)} / ${firstLine(message.text.en)}`;
    try {
      await transport.sendMail({ from: config.from, to: config.to, subject, text: plainText(message) });
    } catch (error) {
      throw new DeliveryFailure(`SMTP ${config.host}:${config.port}: ${(error as Error).message}`);
    } finally {
      transport.close();
    }
  };
}

const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';

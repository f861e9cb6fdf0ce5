import { createHmac } from 'node:crypto';
import type { WebhookBody, WebhookConfig } from '@tillscope/shared';
import type { OutgoingMessage } from '../message';
import { DeliveryFailure, SEND_TIMEOUT_MS, type ChannelSend } from './sender';

export const SIGNATURE_HEADER = 'X-Tillscope-Signature';
export const TIMESTAMP_HEADER = 'X-Tillscope-Timestamp';
export const DELIVERY_HEADER = 'X-Tillscope-Delivery';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, keyed with the channel's secret. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

export interface WebhookDeps {
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * POSTs the documented JSON body (WebhookBody) with the signature, timestamp and delivery id
 * headers. The timestamp is inside the signed body too, so it cannot be changed to replay an old
 * request. Any answer but 2xx (a redirect included: it is not followed) is a failure.
 */
export function webhookSender({ fetch: fetchImpl = globalThis.fetch, now = () => new Date() }: WebhookDeps = {}): ChannelSend<WebhookConfig> {
  return async ({ config, secret }, message: OutgoingMessage) => {
    const body: WebhookBody = { ...message, timestamp: Math.floor(now().getTime() / 1000) };
    const raw = JSON.stringify(body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Tillscope-Notify/1',
      [TIMESTAMP_HEADER]: String(body.timestamp),
      [DELIVERY_HEADER]: String(body.deliveryId),
    };
    if (secret) headers[SIGNATURE_HEADER] = webhookSignature(secret, raw);
    let response: Response;
    try {
      response = await fetchImpl(config.url, { method: 'POST', headers, body: raw, redirect: 'manual', signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    } catch (error) {
      throw new DeliveryFailure(`webhook unreachable: ${causeOf(error)}`);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status > 299) throw new DeliveryFailure(`webhook answered HTTP ${response.status}`);
  };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookBody } from '@tillscope/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { mailText, startFakeTelegram, startHttpSink, startSmtpSink, type HttpSink, type SmtpSink } from '../../test-support/notify-sinks';
import { composeMessage } from '../message';
import { emailSender } from './email';
import { telegramSender } from './telegram';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSender } from './webhook';

// Each channel against a real local server: a webhook receiver that checks the signature the way a
// receiver should, an SMTP sink (smtp-server) with AUTH, and a fake of the Telegram Bot API.

const message = composeMessage({
  deliveryId: 41, trigger: 'p1_opened', eventAt: '2026-11-22T10:00:00.000Z', eventText: '', consoleUrl: 'https://support.example.ru/', timeZone: 'Europe/Moscow',
  ticket: { id: 7, code: 'printer.no_reply', priority: 1, group: 'printers', storeId: 'msk-001', storeName: 'Тверская, 12', registerId: 'pos-2', deviceId: 'printer-1', scope: 'register', symptoms: 0 },
});

let sinks: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  sinks = [];
});
const track = <T extends { close(): Promise<void> }>(sink: T): T => {
  sinks.push(sink);
  return sink;
};

/** What a receiver does: HMAC of the raw body with the shared secret, compared in constant time, and a fresh timestamp. */
function receiverAccepts(secret: string, raw: string, signature: string | undefined, timestamp: string | undefined, nowSec: number): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const body = WebhookBody.parse(JSON.parse(raw));
  return String(body.timestamp) === timestamp && Math.abs(nowSec - body.timestamp) <= 300;
}

describe('webhook', () => {
  const at = new Date('2026-11-22T10:00:05.000Z');
  const nowSec = at.getTime() / 1000;

  it('POSTs the documented body, signed with the secret, with the timestamp inside the signed body', async () => {
    const sink: HttpSink = track(await startHttpSink());
    await webhookSender({ now: () => at })({ id: 1, config: { url: `${sink.url}/hook` }, secret: 'hook-secret-123' }, message);
    expect(sink.received).toHaveLength(1);
    const [request] = sink.received;
    const headers = request!.headers;
    const signature = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    const timestamp = headers[TIMESTAMP_HEADER.toLowerCase()] as string;
    expect(receiverAccepts('hook-secret-123', request!.raw, signature, timestamp, nowSec)).toBe(true);
    expect(headers[DELIVERY_HEADER.toLowerCase()]).toBe('41');
    const body = WebhookBody.parse(JSON.parse(request!.raw));
    expect(body).toMatchObject({ version: 1, deliveryId: 41, trigger: 'p1_opened', timestamp: nowSec, url: 'https://support.example.ru/#/tickets/7' });
    expect(body.text.ru).toContain('P1: новая заявка #7');
    expect(body.ticket.storeName).toBe('Тверская, 12');
    expect(body.text.ru).toContain('магазин «Тверская, 12» (msk-001), касса pos-2, устройство printer-1');
    expect(body.text.en).toContain('store "Тверская, 12" (msk-001), register pos-2, device printer-1');
    expect(body.text.en).toContain('P1: new ticket #7');
    // Another secret, a tampered body, or the body replayed later are all refused.
    expect(receiverAccepts('other-secret', request!.raw, signature, timestamp, nowSec)).toBe(false);
    expect(receiverAccepts('hook-secret-123', request!.raw.replace('"id":7', '"id":8'), signature, timestamp, nowSec)).toBe(false);
    expect(receiverAccepts('hook-secret-123', request!.raw, signature, timestamp, nowSec + 3600)).toBe(false);
  });

  it('an answer other than 2xx, a redirect or nobody listening is a failure with words', async () => {
    const sink = track(await startHttpSink());
    const send = webhookSender({ now: () => at });
    sink.answer = 500;
    await expect(send({ id: 1, config: { url: sink.url }, secret: 's' }, message)).rejects.toThrow('webhook answered HTTP 500');
    sink.answer = 302;
    await expect(send({ id: 1, config: { url: sink.url }, secret: 's' }, message)).rejects.toThrow('HTTP 302');
    const closed = track(await startHttpSink());
    const url = closed.url;
    await closed.close();
    await expect(send({ id: 1, config: { url }, secret: 's' }, message)).rejects.toThrow(/webhook unreachable: ECONNREFUSED/);
  });
});

describe('e-mail', () => {
  it('sends a plain-text mail with the Russian and English headline as subject, logging in with the secret', async () => {
    const sink: SmtpSink = track(await startSmtpSink({ user: 'notify', password: 'smtp-pass-1' }));
    const config = { host: sink.host, port: sink.port, secure: false, user: 'notify', from: 'tillscope@example.ru', to: ['duty@example.ru', 'lead@example.ru'] };
    await emailSender()({ id: 1, config, secret: 'smtp-pass-1' }, message);
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail).toMatchObject({ from: 'tillscope@example.ru', to: ['duty@example.ru', 'lead@example.ru'], user: 'notify' });
    const { headers, text } = mailText(mail!.raw);
    expect(headers).toMatch(/^Subject: /m);
    expect(text.indexOf('P1: новая заявка #7')).toBeLessThan(text.indexOf('P1: new ticket #7'));
    expect(text).toContain('https://support.example.ru/#/tickets/7');
    // A wrong password is the channel's failure, in words.
    await expect(emailSender()({ id: 1, config, secret: 'wrong' }, message)).rejects.toThrow(/SMTP 127\.0\.0\.1:\d+: .*Invalid username or password/);
    expect(sink.mails).toHaveLength(1);
  });
});

describe('Telegram', () => {
  it('calls sendMessage of the Bot API with the token, the chat and the plain text', async () => {
    const api = track(await startFakeTelegram());
    await telegramSender({ apiRoot: api.url })({ id: 1, config: { chatId: '-100123' }, secret: '123456:bot-token' }, message);
    expect(api.received).toHaveLength(1);
    const [request] = api.received;
    expect(request!.path).toBe('/bot123456:bot-token/sendMessage');
    const body = JSON.parse(request!.raw) as { chat_id: string; text: string; parse_mode?: string };
    expect(body.chat_id).toBe('-100123');
    expect(body.parse_mode).toBeUndefined();
    expect(body.text.indexOf('P1: новая заявка #7')).toBeLessThan(body.text.indexOf('P1: new ticket #7'));
  });

  it('a refusal of the Bot API is a failure with its code and description; no token is a failure before any call', async () => {
    const api = track(await startHttpSink(() => ({ ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the group chat' })));
    api.answer = 403;
    const send = telegramSender({ apiRoot: api.url });
    await expect(send({ id: 1, config: { chatId: '-100123' }, secret: '1:t' }, message)).rejects.toThrow('Telegram 403: Forbidden: bot was kicked from the group chat');
    await expect(send({ id: 1, config: { chatId: '-100123' }, secret: '' }, message)).rejects.toThrow('Telegram: no bot token');
    expect(api.received).toHaveLength(1);
  });
});

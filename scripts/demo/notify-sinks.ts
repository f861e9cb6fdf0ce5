// Where the demo's notification channels deliver, started by the demo itself on loopback: a webhook
// receiver that checks each delivery's HMAC signature (the documented `X-Tillscope-Signature:
// sha256=<hex HMAC of the raw body>`), a second receiver that always answers 503 (a channel the
// console keeps retrying with backoff), and an SMTP sink (smtp-server) that accepts the console's
// e-mail. Each counts what it received, so the demo can say what got through.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface WebhookDelivery {
  at: string;
  /** whether the signature header matched the HMAC of the raw body with the shared secret */
  signed: boolean;
  body: unknown;
}

export interface WebhookReceiver {
  url: string;
  deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

/** `sha256=<hex>` of the raw body: what a receiver recomputes to trust a delivery. */
export function signatureOf(secret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function signatureMatches(expected: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || header.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Listens on a free loopback port; resolves with it. */
function listen(server: Server | SMTPServer): Promise<number> {
  const net = server instanceof SMTPServer ? server.server : server;
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      net.off('error', reject);
      resolve((net.address() as AddressInfo).port);
    });
  });
}

/**
 * A webhook endpoint on loopback. `status` 200 accepts (recording the delivery, signed or not: the
 * demo reports the unsigned ones); any other status refuses every delivery, so the channel retries.
 */
export async function startWebhookReceiver(options: { secret: string; status?: number }): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const status = options.status ?? 200;
  const server = createServer((request, response) => {
    readBody(request, 1_000_000).then(
      (raw) => {
        if (status === 200) {
          let body: unknown = null;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            body = raw.toString('utf8');
          }
          deliveries.push({ at: new Date().toISOString(), signed: signatureMatches(signatureOf(options.secret, raw), request.headers['x-tillscope-signature']), body });
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'unavailable (demo: a failing receiver)');
      },
      () => response.writeHead(413).end(),
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/tillscope`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SmtpSink {
  host: string;
  port: number;
  /** the raw messages received (headers and body), newest last */
  messages: { at: string; from: string; to: string[]; raw: string }[];
  close(): Promise<void>;
}

/** An SMTP server on loopback that takes any message (no TLS, any login): the demo's mailbox. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'demo' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ at: new Date().toISOString(), from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  const port = await listen(server);
  return {
    host: '127.0.0.1',
    port,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

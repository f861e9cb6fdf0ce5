import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// Local stand-ins for what notifications talk to, all real servers on loopback: a webhook
// receiver, an SMTP sink (smtp-server) and a fake of the Telegram Bot API's HTTP interface. For
// the notify tests and the demo.

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface HttpSink {
  url: string;
  received: ReceivedRequest[];
  /** The status to answer the next requests with (default 200); a function decides per request. */
  answer: number | 'hang' | ((request: ReceivedRequest) => number | 'hang');
  /** Answers the requests held by 'hang' with this status. */
  release(status: number): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An HTTP server that records every request's body and answers `answer` (a JSON body `reply(request)`), or never answers ('hang'). */
export async function startHttpSink(reply: (request: ReceivedRequest) => unknown = () => ({ ok: true })): Promise<HttpSink> {
  const held: (() => void)[] = [];
  let releaseStatus = 200;
  const sink: HttpSink = {
    url: '', received: [], answer: 200, close: async () => undefined,
    release(status) {
      releaseStatus = status;
      for (const answer of held.splice(0)) answer();
    },
  };
  const respond = (res: ServerResponse, status: number, request: ReceivedRequest) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply(request)));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      sink.received.push(request);
      const status = typeof sink.answer === 'function' ? sink.answer(request) : sink.answer;
      if (status === 'hang') held.push(() => respond(res, releaseStatus, request));
      else respond(res, status, request);
    });
  });
  sink.url = await listen(server);
  sink.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return sink;
}

/** A fake Telegram Bot API: records sendMessage calls (token from the path, JSON body) and answers like the real one. */
export async function startFakeTelegram(): Promise<HttpSink> {
  let messageId = 0;
  return startHttpSink((request) => {
    messageId += 1;
    const body = JSON.parse(request.raw || '{}') as { chat_id?: unknown; text?: unknown };
    return request.path.endsWith('/sendMessage')
      ? { ok: true, result: { message_id: messageId, date: 0, chat: { id: Number(body.chat_id) || 0, type: 'group' }, text: body.text } }
      : { ok: false, error_code: 404, description: 'Not Found' };
  });
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | null;
  raw: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on loopback that accepts every message (AUTH PLAIN/LOGIN with `password` when given) and keeps it. */
export async function startSmtpSink({ user, password }: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: user === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((to) => to.address),
          user: typeof session.user === 'string' ? session.user : null,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { host: '127.0.0.1', port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A received mail's headers (unfolded, as sent) and its text body decoded from quoted-printable (what nodemailer sends for non-ASCII text). */
export function mailText(raw: string): { headers: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(headers)) return { headers, text: body };
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
  return { headers, text: decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25')) };
}

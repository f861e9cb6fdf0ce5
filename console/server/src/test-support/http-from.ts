import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Set-Cookie lines, as sent. */
  setCookies: string[];
  json: any;
}

export interface HttpFromOptions {
  /** Source address of the connection: any of 127.0.0.0/8 works on loopback, so tests and benches play many clients. */
  from?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** For https: URLs, the certificate to trust (a test's self-signed one). */
  ca?: string;
}

/** One JSON request over a fresh connection (no keep-alive), optionally from a given source address. */
export function httpJson(baseUrl: string, method: string, route: string, body?: unknown, { from, cookie, headers = {}, ca }: HttpFromOptions = {}): Promise<HttpAnswer> {
  const url = new URL(route, baseUrl);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: from,
        agent: false,
        ...(ca ? { ca } : {}),
        headers: {
          ...headers,
          ...(cookie ? { cookie } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: res.headers['set-cookie'] ?? [], json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `name=value` pairs of Set-Cookie lines, joined for a Cookie header. */
export function cookieHeaderOf(setCookies: string[], namePrefix = ''): string {
  return setCookies.map((line) => line.split(';')[0]!).filter((pair) => pair.startsWith(namePrefix)).join('; ');
}

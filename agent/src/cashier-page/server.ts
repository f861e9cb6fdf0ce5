import {
  Locale,
  MessageId,
  Symptom,
  type DeviceHealth,
  type ErrorBody,
  type ErrorCode,
  type TicketRef,
} from '@tillscope/shared';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { errorText, moduleLogger, silentLogger, type Logger } from '../logger';
import { PAGE_CSS, PAGE_HTML, pageScript } from './assets';
import { JsonBodyReader } from './request-body';
import type { CashierTestPrintResult } from '../test-print/cashier-test-print';

export const ReportRequest = z.object({
  symptom: Symptom,
  // Control characters have no place in one line typed at a till and only confuse displays.
  note: z.string().max(500).default('').transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()),
  locale: Locale.default('ru'),
});
export type ReportRequest = z.infer<typeof ReportRequest>;

export const AnswerRequest = z.object({ working: z.boolean() });

/**
 * What the page shows: `delivered` means sent to support; `queued` with `saved` means saved on this
 * register and sent when the connection allows; `queued` without `saved` means NOT saved: held in
 * memory only (the disk refused it), lost if the agent stops.
 */
export interface ReportStatus {
  state: 'queued' | 'delivered' | 'rejected';
  saved: boolean;
  ticket?: TicketRef;
  working: boolean | null;
  connected: boolean;
}

/**
 * `no_ticket`: the report has no ticket yet, so there is nothing to confirm. `not_saved`: the disk
 * refused the answer; it is held in memory and retried, but the cashier must not be told it is saved.
 */
export type AnswerOutcome = 'recorded' | 'not_found' | 'no_ticket' | 'not_saved';

/**
 * The 503 body of a report the agent could not store durably. Carries the report's id (the agent
 * keeps retrying it; the page follows its state) and the register's id for the helpdesk call.
 */
export interface NotSavedBody extends ErrorBody {
  code: 'not_saved';
  reportId: string;
  registerId: string;
}

/** What the page needs from the rest of the agent. */
export interface CashierPageDeps {
  /**
   * Takes a fresh diagnosis and queues the report; resolves with its id and `saved`: true only
   * once it is on this register's disk. Not saved, it is held in memory and retried.
   */
  submitReport(request: ReportRequest): Promise<{ reportId: string; saved: boolean }>;
  reportStatus(reportId: string): Promise<ReportStatus | null>;
  /** Records the cashier's "is it working?" answer and queues it for the console server. */
  recordAnswer(reportId: string, working: boolean): Promise<AnswerOutcome>;
  /**
   * Runs the test print the cashier agreed to after reporting `reportId`, and queues its result
   * for the console (cashier-test-print.ts); `saved` only when the result is on disk.
   */
  testPrint(reportId: string): Promise<CashierTestPrintResult>;
  status(): { connected: boolean; devices: { deviceId: string; health: DeviceHealth }[]; canTestPrint: boolean };
}

export interface CashierPageOptions extends CashierPageDeps {
  /** Shown to the cashier to name this till when calling the helpdesk. */
  registerId: string;
  /** 0 picks a free port (tests). */
  port: number;
  logger?: Logger;
  /** Reports accepted per minute before 429: a stuck finger must not flood the support queue. */
  maxReportsPerMinute?: number;
}

/**
 * The cashier's "report a problem" page on http://127.0.0.1:<port>/.
 *
 * Bound to the loopback interface only. Requests whose Host is not 127.0.0.1:<port> or
 * localhost:<port> get 403 (DNS rebinding), and so do requests with a foreign Origin or a
 * cross-site Sec-Fetch-Site (another web page open on the register posting to us). POST bodies
 * must be application/json, which a cross-site form cannot send without a preflight we never grant.
 *
 * POST /api/reports answers 201 `{ reportId }` only for a report saved on disk; one held in memory
 * only gets 503 `NotSavedBody` (code `not_saved`), never 201.
 *
 * Routes: GET / · GET /page.js · GET /page.css · GET /api/status · POST /api/reports ·
 * GET /api/reports/:id · POST /api/reports/:id/answer · POST /api/reports/:id/test-print
 */
export interface CashierPage {
  /** Listens and resolves with the page URL; rejects (e.g. EADDRINUSE) with a clear message. */
  start(): Promise<string>;
  stop(): Promise<void>;
  url(): string | null;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function createCashierPage(options: CashierPageOptions): CashierPage {
  const log = moduleLogger(options.logger ?? silentLogger, 'cashier-page');
  const maxPerMinute = options.maxReportsPerMinute ?? 10;
  const script = pageScript();
  const recentReports: number[] = [];
  let server: http.Server | undefined;
  let port = 0;

  function send(res: http.ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
  function json(res: http.ServerResponse, status: number, body: unknown): void {
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }

  function checkOrigin(req: http.IncomingMessage): void {
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowed.includes(host)) throw new HttpError(403, 'forbidden', `Host "${host.slice(0, 100)}" is not this register's page`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.some((a) => origin.toLowerCase() === `http://${a}`)) {
      throw new HttpError(403, 'forbidden', 'requests from other pages are not accepted');
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'forbidden', 'requests from other sites are not accepted');
  }

  /** The request's JSON body, validated; refused by type, size, JSON or schema as request-body.ts says. */
  async function readBody<S extends z.ZodTypeAny>(req: http.IncomingMessage, schema: S): Promise<z.output<S>> {
    const reader = new JsonBodyReader(req.headers['content-type']);
    if (!reader.error) {
      for await (const chunk of req) if (reader.push(chunk as Buffer)) break;
    }
    const result = reader.finish(schema);
    if (!result.ok) throw new HttpError(result.error.status, result.error.code, result.error.message, result.error.issues);
    return result.value;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    checkOrigin(req);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' && (path === '/' || path === '/index.html')) return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (method === 'GET' && path === '/page.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (method === 'GET' && path === '/page.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS);
    if (method === 'GET' && path === '/api/status') {
      const status = options.status();
      return json(res, 200, {
        registerId: options.registerId, connected: status.connected, canTestPrint: status.canTestPrint,
        devices: status.devices.map((d) => ({ deviceId: d.deviceId, health: d.health })),
      });
    }
    if (path === '/api/reports') {
      if (method !== 'POST') throw new HttpError(405, 'bad_request', 'use POST');
      const request = await readBody(req, ReportRequest);
      const minuteAgo = Date.now() - 60_000;
      while (recentReports.length > 0 && recentReports[0]! < minuteAgo) recentReports.shift();
      if (recentReports.length >= maxPerMinute) throw new HttpError(429, 'rate_limited', 'too many reports in a minute; the earlier ones are saved');
      recentReports.push(Date.now());
      const { reportId, saved } = await options.submitReport(request);
      if (!saved) {
        log.error(`cashier reported "${request.symptom}" as ${reportId}, but it could NOT be saved on disk; the page says so`);
        const body: NotSavedBody = {
          ok: false,
          code: 'not_saved',
          message: 'the report was NOT saved on this register (its disk refuses writes); it is kept in memory and retried while the agent runs; call the helpdesk',
          reportId,
          registerId: options.registerId,
        };
        return json(res, 503, body);
      }
      log.info(`cashier reported "${request.symptom}" as ${reportId}`);
      return json(res, 201, { reportId });
    }
    const match = /^\/api\/reports\/([^/]+)(\/answer|\/test-print)?$/.exec(path);
    if (match) {
      const id = decodeURIComponent(match[1]!);
      if (!MessageId.safeParse(id).success) throw new HttpError(404, 'not_found', 'no such report');
      if (match[2] === '/test-print') return testPrint(req, res, id);
      if (match[2]) {
        if (method !== 'POST') throw new HttpError(405, 'bad_request', 'use POST');
        const { working } = await readBody(req, AnswerRequest);
        const outcome = await options.recordAnswer(id, working);
        if (outcome === 'not_found') throw new HttpError(404, 'not_found', 'no such report');
        if (outcome === 'no_ticket') throw new HttpError(409, 'conflict', 'the report has no ticket yet');
        if (outcome === 'not_saved') throw new HttpError(503, 'not_saved', 'the answer was NOT saved on this register (its disk refuses writes); try again or call the helpdesk');
        log.info(`cashier answered "${working ? 'working' : 'not working'}" for ${id}`);
        return json(res, 200, { ok: true });
      }
      if (method !== 'GET') throw new HttpError(405, 'bad_request', 'use GET');
      const status = await options.reportStatus(id);
      if (!status) throw new HttpError(404, 'not_found', 'no such report');
      return json(res, 200, status);
    }
    throw new HttpError(404, 'not_found', 'not found');
  }

  /** POST /api/reports/:id/test-print `{}`: 200 `{ outcome, saved }`; 404 no report; 409 no printer or one runs. */
  async function testPrint(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    if (req.method !== 'POST') throw new HttpError(405, 'bad_request', 'use POST');
    await readBody(req, z.strictObject({}));
    const result = await options.testPrint(id);
    if (result.kind === 'not_found') throw new HttpError(404, 'not_found', 'no such report');
    if (result.kind !== 'done') throw new HttpError(409, 'conflict', result.kind === 'busy' ? 'a test print is running' : 'this register has no receipt printer');
    log.info(`cashier test print for ${id}: ${result.outcome}${result.saved ? '' : ' (result NOT saved on disk)'}`);
    return json(res, 200, { outcome: result.outcome, saved: result.saved });
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        const body: ErrorBody = { ok: false, code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
        json(res, error.status, body);
        return;
      }
      log.error(`request ${req.method} ${req.url?.slice(0, 100)} failed: ${errorText(error)}`);
      json(res, 500, { ok: false, code: 'internal', message: 'internal error' } satisfies ErrorBody);
    });
  }

  return {
    start() {
      return new Promise((resolve, reject) => {
        const s = http.createServer(handle);
        s.headersTimeout = 10_000;
        s.requestTimeout = 30_000;
        s.once('error', (error: NodeJS.ErrnoException) => {
          const hint = error.code === 'EADDRINUSE' ? `: port ${options.port} is taken; set cashierPage.port in the config` : '';
          reject(new Error(`cashier page cannot listen on 127.0.0.1:${options.port} (${errorText(error)})${hint}`));
        });
        // Loopback only: the page is for the person at this register, never for the store network.
        s.listen(options.port, '127.0.0.1', () => {
          port = (s.address() as AddressInfo).port;
          server = s;
          s.on('error', (error) => log.error(`cashier page server error: ${errorText(error)}`));
          resolve(`http://127.0.0.1:${port}/`);
        });
      });
    },
    stop() {
      const s = server;
      server = undefined;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    url() {
      return server ? `http://127.0.0.1:${port}/` : null;
    },
  };
}

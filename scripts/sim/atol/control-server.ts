import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeIssues } from '@tillscope/shared';
import { readBody, sendJson, startJsonServer, type JsonServer } from '../lib/http-json';
import { AtolStatePatch, type AtolRegisterState } from './register-state';

/** What the control interface drives; the simulator implements it. */
export interface AtolControl {
  getState(): AtolRegisterState;
  setState(patch: AtolStatePatch): AtolRegisterState;
  resetState(): AtolRegisterState;
  log(): unknown;
  clearLog(): void;
  stats(): unknown;
}

const MAX_BODY_BYTES = 16 * 1024;

type Route = (control: AtolControl, req: IncomingMessage) => Promise<[number, unknown]> | [number, unknown];

/**
 * The simulated register's control interface, HTTP JSON on 127.0.0.1 (demo scripts, tests in
 * other processes, a human with curl):
 *
 *   GET  /state         → 200 the state
 *   PUT  /state         → 200 the state after a JSON partial; 400 { error, issues } on bad input
 *   POST /state/reset   → 200 the healthy register
 *   GET  /log           → 200 { requests, tasks }: every HTTP request and task type received
 *   POST /log/clear     → 200 {}
 *   GET  /stats         → 200 counters and bytes on the wire
 */
const ROUTES: Record<string, Route> = {
  'GET /state': (control) => [200, control.getState()],
  'PUT /state': async (control, req) => {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return [413, { error: `body larger than ${MAX_BODY_BYTES} bytes` }];
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return [400, { error: 'body is not valid JSON' }];
    }
    const parsed = AtolStatePatch.safeParse(json);
    if (!parsed.success) return [400, { error: 'invalid state patch: send a JSON object with known state names only', issues: describeIssues(parsed.error) }];
    return [200, control.setState(parsed.data)];
  },
  'POST /state/reset': (control) => [200, control.resetState()],
  'GET /log': (control) => [200, control.log()],
  'POST /log/clear': (control) => {
    control.clearLog();
    return [200, {}];
  },
  'GET /stats': (control) => [200, control.stats()],
};

export function startAtolControlServer(control: AtolControl, options: { host?: string; port?: number } = {}): Promise<JsonServer> {
  return startJsonServer((req, res) => route(control, req, res), options);
}

async function route(control: AtolControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = ROUTES[`${req.method} ${path}`];
  if (!handler) {
    const known = Object.keys(ROUTES).some((key) => key.endsWith(` ${path}`));
    return sendJson(res, known ? 405 : 404, { error: known ? `${req.method} not allowed on ${path}` : `no such path ${path}` });
  }
  const [status, body] = await handler(control, req);
  sendJson(res, status, body);
}

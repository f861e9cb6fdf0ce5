// The HTTP side of the simulated ATOL web requests server: POST/GET/DELETE /api/v2/requests on the
// task queue, optional Basic auth and deviceID, garbage answers, and the log of every request and
// task type received. simulator.ts owns the listener, the state and the faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../lib/http-json';
import { SIM_READ_ONLY_TASKS, type AtolRegisterState } from './register-state';
import type { SimRequest, TaskQueue } from './task-queue';

const MAX_POST_BYTES = 64 * 1024;
const MAX_LOG = 10_000;
const HUGE_BYTES = 50 * 2 ** 20;

export interface LoggedHttpRequest {
  at: string;
  method: string;
  path: string;
  status: number;
  deviceId?: string;
  deviceIdIn?: 'header' | 'query';
}

export interface LoggedTask {
  at: string;
  uuid: string;
  /** the task's `type` as received (non-strings as JSON text) */
  type: string;
  readOnly: boolean;
}

export interface AtolSimulatorLog {
  requests: LoggedHttpRequest[];
  tasks: LoggedTask[];
}

/** Counters the handler keeps; simulator.ts adds the socket byte counts. */
export interface RequestCounts {
  posts: number;
  gets: number;
  deletes: number;
}

export interface WebRequestsDeps {
  auth: { user: string; password: string } | undefined;
  deviceIds: string[] | undefined;
  now: () => Date;
  state: () => AtolRegisterState;
  queue: TaskQueue;
  log: AtolSimulatorLog;
  counts: RequestCounts;
}

/** One HTTP request in, one answer out; rejects only on a failure of the simulator itself. */
export function createWebRequestsHandler(deps: WebRequestsDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { now, queue, log, counts } = deps;
  const remember = <T>(list: T[], entry: T) => {
    list.push(entry);
    if (list.length > MAX_LOG) list.splice(0, list.length - MAX_LOG);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headerId = req.headers.deviceid;
    const queryId = url.searchParams.get('deviceID');
    const deviceId = typeof headerId === 'string' ? headerId : (queryId ?? undefined);
    const entry: LoggedHttpRequest = { at: now().toISOString(), method: req.method ?? '?', path: url.pathname, status: 0 };
    if (deviceId !== undefined) Object.assign(entry, { deviceId, deviceIdIn: typeof headerId === 'string' ? 'header' : 'query' });
    remember(log.requests, entry);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      sendJson(res, status, body, headers);
    };

    if (deps.auth && !authorized(req.headers.authorization, deps.auth)) return reply(401, { error: 'unauthorized' }, { 'www-authenticate': 'Basic realm="ATOL web server (simulator)"' });
    // simulator's choice: a missing or unknown deviceID is 400 (the real server's answer is not known)
    if (deps.deviceIds && (deviceId === undefined || !deps.deviceIds.includes(deviceId))) return reply(400, { error: `unknown deviceID ${JSON.stringify(deviceId ?? null)}` });

    const match = /^\/api\/v2\/requests(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return reply(404, { error: `no such path ${url.pathname}` });
    const uuid = match[1] === undefined ? undefined : decodeURIComponent(match[1]);

    if (req.method === 'POST' && uuid === undefined) {
      counts.posts += 1;
      const text = await readBody(req, MAX_POST_BYTES);
      if (text === undefined) return reply(413, { error: `body larger than ${MAX_POST_BYTES} bytes` });
      const body = parseRequestBody(text);
      if (typeof body === 'string') return reply(400, { error: body });
      for (const type of body.types) remember(log.tasks, { at: entry.at, uuid: body.uuid, type, readOnly: (SIM_READ_ONLY_TASKS as readonly string[]).includes(type) });
      const queued = queue.submit(body.uuid, body.types);
      if (!queued) return reply(409, { error: `request ${body.uuid} already exists` });
      return reply(201, { uuid: body.uuid, ...queued });
    }
    if (req.method === 'GET' && uuid !== undefined) {
      counts.gets += 1;
      const garbage = deps.state().garbage;
      if (garbage !== 'off') return sendGarbage(res, entry, garbage);
      const request = queue.get(uuid);
      if (!request) return reply(404, { error: `no request ${uuid}` });
      return reply(200, { results: resultsOf(request) });
    }
    if (req.method === 'DELETE' && uuid !== undefined) {
      counts.deletes += 1;
      return queue.cancel(uuid) ? reply(200, {}) : reply(404, { error: `no request ${uuid}` });
    }
    return reply(405, { error: `${req.method} not allowed on ${url.pathname}` });
  }
  return handle;
}

function authorized(header: string | undefined, auth: { user: string; password: string }): boolean {
  const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
  return header === expected;
}

/** `{uuid, request: [tasks] | task}`, each task's type as text; or why not, for a 400. */
function parseRequestBody(text: string): { uuid: string; types: string[] } | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof json !== 'object' || json === null) return 'body must be a JSON object';
  const { uuid, request } = json as { uuid?: unknown; request?: unknown };
  if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > 200) return 'uuid must be a non-empty string';
  const tasks = Array.isArray(request) ? (request as unknown[]) : request === undefined ? [] : [request];
  if (tasks.length === 0 || tasks.length > 64) return 'request must hold 1..64 tasks';
  return { uuid, types: tasks.map((task) => (typeof task === 'object' && task !== null && typeof (task as { type?: unknown }).type === 'string' ? (task as { type: string }).type : JSON.stringify(task).slice(0, 200))) };
}

function resultsOf(request: SimRequest): unknown[] {
  return request.tasks.map((task) => ({
    status: task.status,
    error: task.error ?? { code: 0, description: 'Ошибок нет' },
    ...(task.status === 'ready' ? { result: task.result } : {}),
  }));
}

function sendGarbage(res: ServerResponse, entry: LoggedHttpRequest, mode: 'bytes' | 'json' | 'huge'): void {
  entry.status = 200;
  if (mode === 'json') return sendJson(res, 200, { hello: 'not an ATOL answer', results: 'none' });
  if (mode === 'bytes') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(Buffer.from([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x00, 0xff, 0xfe, 0x7b, 0x22]));
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < HUGE_BYTES && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

// A simulated ATOL Driver v10 web requests server (docs/devices.md §3.2 [S]) on HTTP, default
// 127.0.0.1:16732: POST/GET/DELETE /api/v2/requests, the task queue of task-queue.ts, results of
// register-state.ts, optional Basic auth and deviceID, and the faults the control interface sets.
// It logs every HTTP request and every task type received, so tests can check the never-fiscal
// rule against what actually arrived.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenOn, readBody, sendJson } from '../lib/http-json';
import { startAtolControlServer } from './control-server';
import { AtolStatePatch, healthyRegister, SIM_READ_ONLY_TASKS, type AtolRegisterState } from './register-state';
import { TaskQueue, type SimRequest } from './task-queue';

export const DEFAULT_ATOL_PORT = 16732;
const MAX_POST_BYTES = 64 * 1024;
const MAX_LOG = 10_000;
const HUGE_BYTES = 50 * 2 ** 20;

export interface AtolSimulatorOptions {
  host?: string;
  /** default 16732 (the driver's); tests use 0 */
  port?: number;
  /** start the HTTP control interface too; port 0 = any free port */
  control?: { port?: number };
  /** initial state over the healthy register's */
  state?: AtolStatePatch;
  /** require HTTP Basic with these credentials */
  auth?: { user: string; password: string };
  /** require a deviceID (header or query parameter, both accepted) from this list */
  deviceIds?: string[];
  now?: () => Date;
}

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

export interface AtolSimulatorStats {
  posts: number;
  gets: number;
  deletes: number;
  /** bytes on the wire (headers included), measured on the server's sockets */
  bytesIn: number;
  bytesOut: number;
  connections: number;
}

export interface AtolSimulator {
  port: number;
  baseUrl: string;
  controlPort?: number;
  getState(): AtolRegisterState;
  setState(patch: AtolStatePatch): AtolRegisterState;
  resetState(): AtolRegisterState;
  log(): AtolSimulatorLog;
  clearLog(): void;
  stats(): AtolSimulatorStats;
  close(): Promise<void>;
}

/** Starts the simulator; everything it starts is stopped by close(). */
export async function startAtolSimulator(options: AtolSimulatorOptions = {}): Promise<AtolSimulator> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  let state: AtolRegisterState = { ...healthyRegister(now()), ...AtolStatePatch.parse(options.state ?? {}) };
  const log: AtolSimulatorLog = { requests: [], tasks: [] };
  const counts = { posts: 0, gets: 0, deletes: 0, connections: 0, closedBytesIn: 0, closedBytesOut: 0 };
  const sockets = new Set<Socket>();
  const queue = new TaskQueue({
    state: () => state,
    now,
    setTimer: (fn, ms) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  });
  queue.setForeignBlock(state.blockedQueue);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : 'internal error' });
    });
  });
  server.on('connection', (socket: Socket) => {
    counts.connections += 1;
    sockets.add(socket);
    socket.on('close', () => {
      counts.closedBytesIn += socket.bytesRead;
      counts.closedBytesOut += socket.bytesWritten;
      sockets.delete(socket);
    });
  });

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

    if (options.auth && !authorized(req.headers.authorization, options.auth)) return reply(401, { error: 'unauthorized' }, { 'www-authenticate': 'Basic realm="ATOL web server (simulator)"' });
    // simulator's choice: a missing or unknown deviceID is 400 (the real server's answer is not known)
    if (options.deviceIds && (deviceId === undefined || !options.deviceIds.includes(deviceId))) return reply(400, { error: `unknown deviceID ${JSON.stringify(deviceId ?? null)}` });

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
      if (state.garbage !== 'off') return sendGarbage(res, entry, state.garbage);
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

  // serverDown closes the listener (connection refused) and clearing it listens again on the same port.
  let listening = true;
  const port = await listenOn(server, host, options.port ?? DEFAULT_ATOL_PORT);
  const stopListening = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  let serverChange = Promise.resolve();
  const applyServerDown = (down: boolean) => {
    serverChange = serverChange.then(async () => {
      if (down) await stopListening();
      else if (!listening) {
        await listenOn(server, host, port);
        listening = true;
      }
    });
  };
  if (state.serverDown) applyServerDown(true);

  const setState = (patch: AtolStatePatch): AtolRegisterState => {
    state = { ...state, ...AtolStatePatch.parse(patch) };
    queue.setForeignBlock(state.blockedQueue);
    // Clearing every blocking fault is an operator cancelling the blocked task in the driver's own UI.
    if (!state.blockedQueue && !Object.values(state.taskFaults).some((f) => f?.blocked)) queue.unblockAll();
    applyServerDown(state.serverDown);
    return { ...state };
  };

  const sim: AtolSimulator = {
    port,
    baseUrl: `http://${host}:${port}`,
    getState: () => ({ ...state }),
    setState,
    resetState: () => setState(healthyRegister(now())),
    log: () => ({ requests: [...log.requests], tasks: [...log.tasks] }),
    clearLog: () => {
      log.requests.length = 0;
      log.tasks.length = 0;
    },
    stats: () => {
      const live = [...sockets];
      return {
        posts: counts.posts,
        gets: counts.gets,
        deletes: counts.deletes,
        connections: counts.connections,
        bytesIn: counts.closedBytesIn + live.reduce((sum, s) => sum + s.bytesRead, 0),
        bytesOut: counts.closedBytesOut + live.reduce((sum, s) => sum + s.bytesWritten, 0),
      };
    },
    close: async () => {
      queue.close();
      await serverChange;
      await controlServer?.close();
      await stopListening();
    },
  };
  const controlServer = options.control ? await startAtolControlServer(sim, { port: options.control.port ?? 0 }) : undefined;
  if (controlServer) sim.controlPort = controlServer.port;
  return sim;
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

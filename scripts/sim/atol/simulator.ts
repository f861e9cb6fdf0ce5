// A simulated ATOL Driver v10 web requests server (docs/devices.md §3.2 [S]) on HTTP, default
// 127.0.0.1:16732: POST/GET/DELETE /api/v2/requests, the task queue of task-queue.ts, results of
// register-state.ts, optional Basic auth and deviceID, and the faults the control interface sets.
// It logs every HTTP request and every task type received, so tests can check the never-fiscal
// rule against what actually arrived.
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { listenOn, sendJson } from '../lib/http-json';
import { startAtolControlServer } from './control-server';
import { AtolStatePatch, healthyRegister, type AtolRegisterState } from './register-state';
import { TaskQueue } from './task-queue';
import { createWebRequestsHandler, type AtolSimulatorLog } from './web-requests-handler';

export type { AtolSimulatorLog, LoggedHttpRequest, LoggedTask } from './web-requests-handler';

export const DEFAULT_ATOL_PORT = 16732;

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

  const handle = createWebRequestsHandler({ auth: options.auth, deviceIds: options.deviceIds, now, state: () => state, queue, log, counts });
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

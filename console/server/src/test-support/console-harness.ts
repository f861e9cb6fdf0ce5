import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ServerMessage, type Ack, type AgentMessage, type EnrollResponse } from '@tillscope/shared';
import { WebSocket } from 'ws';
import { openConsoleDatabase, type SqlConnection } from '../db/console-database';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from '../start-console-server';
import type { Logger } from '../logger';
import { NO_HOLDS } from '../noise/noise-settings';
import { MIN_SCRYPT_COST } from '../auth/passwords';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { helloMessage } from './device-reports';

/** A clock tests move by hand; time never passes on its own. */
export class ManualClock {
  private ms: number;
  constructor(start = '2026-11-22T10:00:00.000Z') {
    this.ms = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.ms);
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Keeps error logs so a test can assert the server did not hit an unexpected failure. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, warn() {}, error: (module, message) => void errors.push(`${module}: ${message}`) };
}

export interface TestConsole {
  server: ConsoleServer;
  dataDir: string;
  clock: ManualClock;
  logger: ReturnType<typeof recordingLogger>;
  /** Stops the server and removes the data dir. */
  dispose(): Promise<void>;
}

export const ADMIN = { username: 'admin', password: 'admin-password-1' } as const;
export const ENGINEER = { username: 'eve', password: 'engineer-password-1' } as const;

export async function startTestConsole(overrides: Partial<ConsoleServerOptions> = {}): Promise<TestConsole> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-console-'));
  const clock = new ManualClock();
  const logger = recordingLogger();
  const server = await startConsoleServer({
    dataDir,
    now: clock.now,
    logger,
    rendererDir: path.join(dataDir, 'no-renderer'),
    offlineSweepIntervalMs: 60 * 60_000, // tests call sweepOfflineAgents() themselves
    holdSweepIntervalMs: 60 * 60_000, // and sweepHeldFindings()
    notifySweepIntervalMs: 60 * 60_000, // and sweepNotifications()
    // Tickets open at once unless a test is about holding them (noise/noise-flow.test.ts).
    noise: NO_HOLDS,
    ...overrides,
    // Cheap password hashes (scrypt N = 2^10 instead of 2^15): two users and a login cost 0.6 s of
    // every test at full strength. Tests about the hashing pool still pick their own sizes.
    passwordHashing: { scryptCost: MIN_SCRYPT_COST, ...overrides.passwordHashing },
  });
  await server.createUser({ ...ADMIN, displayName: 'Admin', role: 'admin', groups: [] });
  await server.createUser({ ...ENGINEER, displayName: 'Eve Engineer', role: 'engineer', groups: ['printers'] });
  return {
    server,
    dataDir,
    clock,
    logger,
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a console (startTestConsole) before each test of the calling file and disposes it after.
 * Read `test` and `url` inside a test or hook, never at the file's top level (no console yet).
 */
export function consoleForEachTest(overrides: Partial<ConsoleServerOptions> = {}): { readonly test: TestConsole; readonly url: string } {
  let current: TestConsole | undefined;
  beforeEach(async () => {
    current = await startTestConsole(overrides);
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return {
    get test() {
      if (!current) throw new Error('consoleForEachTest: read it inside a test, not at the top level');
      return current;
    },
    get url() {
      return this.test.server.url;
    },
  };
}

/** Logs in and returns the `name=value` pair to send as the Cookie header. */
export async function login(baseUrl: string, user: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

export async function apiCall(baseUrl: string, method: string, route: string, cookie?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

export async function enroll(test: TestConsole, storeId: string, registerId: string): Promise<EnrollResponse> {
  const { token } = await test.server.createEnrollmentToken({ maxUses: 1, ttlHours: 1, note: 'test' });
  const { status, json } = await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, { token, storeId, registerId, hostname: 'till' });
  if (status !== 201) throw new Error(`enroll failed: ${status} ${JSON.stringify(json)}`);
  return json as EnrollResponse;
}

/** A minimal agent: a real `ws` client that records every server message in order. */
export class TestAgent {
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(ServerMessage.parse(JSON.parse(String(data))));
      this.wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    socket.on('error', () => undefined);
  }

  /**
   * `answerPings: false` plays a dead peer whose TCP session is still up; `localAddress`
   * (127.0.0.x) plays a register behind another address.
   */
  static async connect(baseUrl: string, credential: string, { answerPings = true, localAddress }: { answerPings?: boolean; localAddress?: string } = {}): Promise<TestAgent> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/agent`, {
      headers: { authorization: `Bearer ${credential}` },
      perMessageDeflate: false,
      autoPong: answerPings,
      ...(localAddress ? { localAddress } : {}),
    });
    const agent = new TestAgent(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
    return agent;
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  /** Sends a message and resolves with the ack for its id. */
  async request(message: AgentMessage): Promise<Ack['payload']> {
    this.socket.send(JSON.stringify(message));
    return this.ackFor(message.id);
  }

  async ackFor(id: string): Promise<Ack['payload']> {
    const ack = await this.waitFor((m): m is Ack => m.type === 'ack' && m.payload.ackOf === id);
    return ack.payload;
  }

  /** Resolves with the first recorded message matching `predicate` (earlier ones included). */
  async waitFor<T extends ServerMessage>(predicate: (message: ServerMessage) => message is T): Promise<T>;
  async waitFor(predicate: (message: ServerMessage) => boolean): Promise<ServerMessage>;
  async waitFor(predicate: (message: ServerMessage) => boolean): Promise<ServerMessage> {
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

/** Polls `read` until `accept` holds (vi.waitFor retries while the callback throws). */
export function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!accept(value)) throw new Error(`not yet: ${JSON.stringify(value)?.slice(0, 200)}`);
      return value;
    },
    { timeout: 15_000, interval: 20 },
  );
}

/**
 * Runs `work` on a second connection to the running server's file and closes it: WAL lets it see
 * committed rows (to check what the API does not show) or change them (to sabotage the server).
 */
export async function onSecondConnection<T>(dataDir: string, work: (sql: SqlConnection) => Promise<T>): Promise<T> {
  const second = await openConsoleDatabase(dataDir);
  try {
    return await work(second.sql);
  } finally {
    await second.close();
  }
}

export interface RegisterFlow {
  test: TestConsole;
  cookie: string;
  agent: TestAgent;
  /** the agent's Bearer credential (for its HTTP calls: bundle uploads) */
  credential: string;
}

/**
 * The hooks of a flow test. Before each test: a console, the engineer logged in, an agent enrolled
 * for store-7 / till-2, connected and greeted (hello with `deviceIds`), handed to `use`. After
 * each: the agent and console closed, and nothing logged as an error.
 */
export function registerFlowForEachTest(use: (flow: RegisterFlow) => void, deviceIds?: string[]): void {
  let flow: RegisterFlow | undefined;
  beforeEach(async () => {
    const test = await startTestConsole();
    const cookie = await login(test.server.url, ENGINEER);
    const { credential } = await enroll(test, 'store-7', 'till-2');
    flow = { test, cookie, credential, agent: await TestAgent.connect(test.server.url, credential) };
    expect(await flow.agent.request(helloMessage('hello-1', deviceIds))).toEqual({ ackOf: 'hello-1', ok: true });
    use(flow);
  });
  afterEach(async () => {
    flow?.agent.close();
    await flow?.test.dispose();
    expect(flow?.test.logger.errors).toEqual([]);
    flow = undefined;
  });
}

import { CLOSE_TOO_SLOW, Command, CommandResultPayload, EnrollRequest, HelloPayload, MAX_FRAME_BYTES } from '@tillscope/shared';
import { setTimeout as delay } from 'node:timers/promises';
import WebSocket from 'ws';
import type { z } from 'zod';
import type { CredentialStore, StoredCredential } from '../credential-store';
import { errorText, moduleLogger, silentLogger, type Logger, type ModuleLogger } from '../logger';
import type { Outbox } from '../outbox/outbox';
import { requestEnrollment } from './enroll';
import { LinkConnection } from './link-connection';
import { agentMessage, handleServerFrame, MAX_LOGGED_BAD_FRAMES, type ServerFrameDeps } from './server-frames';
import { classifyAttempt, isUpstreamDown, parseRetryAfter, ReconnectPolicy, type AttemptOutcome, type ReconnectPolicyOptions } from './reconnect-policy';

export type HelloPayload = z.infer<typeof HelloPayload>;
export type CommandPayload = Command['payload'];
export type CommandResultPayload = z.infer<typeof CommandResultPayload>;
/**
 * Sends a message now on the connection a command came in on, outside the outbox (command_started,
 * which only matters while that connection lives); false when it is closed.
 */
export type SendLive = (message: { type: string; id: string }) => boolean;

/**
 * The agent's one connection to the console server.
 *
 * Contract:
 * - `start` returns at once; the link then keeps itself connected until `stop`, enrolling first
 *   when there is no stored credential for this server (or the server answered 401 and the config
 *   still has an enrollment token);
 * - every failure (DNS, refused, TLS, 401, server closing with 1007, garbage frames, a dead socket)
 *   is logged and retried with full-jitter exponential backoff (reconnect-policy.ts): capped at
 *   8 s while the server cannot be reached, so the agent is back within seconds of its return;
 *   longer after refusals (401, 429); a 503 with Retry-After is honoured as asked (plus jitter)
 *   and does not count as a failure; nothing escapes as an exception or an unhandled rejection;
 * - on each connection: `hello` first, then the outbox oldest first with at most `maxInFlight`
 *   unacknowledged; a message leaves the outbox only on the server's ack; after a reconnect the
 *   unacked ones are sent again with the same ids;
 * - `stop` closes the socket and resolves when the link is idle; it never rejects.
 */
export interface Link {
  start(): void;
  stop(): Promise<void>;
  isConnected(): boolean;
  /** The outbox has something new: send it now if connected. */
  notify(): void;
  /** The credential the link connects with, when it was issued by the configured server (for HTTP uploads). */
  credential(): Promise<StoredCredential | null>;
}

export interface LinkOptions {
  server: string;
  storeId: string;
  registerId: string;
  enrollmentToken?: string;
  hostname: string;
  credentials: CredentialStore;
  outbox: Outbox;
  hello: () => HelloPayload;
  /**
   * Takes a command the server sent (schema-valid; an unknown verb is refused before) and answers
   * it: live through `live`, or through the outbox. A rejection is logged.
   */
  onCommand: (command: CommandPayload, live: SendLive) => Promise<void>;
  logger?: Logger;
  fetch?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
  /**
   * Waits `ms` or until `signal` aborts, whichever first; never rejects. Default: a real timer.
   * Tests pass a virtual one to play long outages in no time.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Full-jitter backoff: wait random(0, min(cap, baseMs * 2^failures)); cap `capMs` (default 5 min)
   * after refusals, min(capMs, unreachableCapMs) (default 8 s) while the server is unreachable.
   */
  backoff?: Partial<ReconnectPolicyOptions>;
  /** A random delay up to this before the first connection, so registers rebooted together spread out. */
  initialDelayMs?: number;
  /** Terminate when nothing (ping or message) came from the server for this long (default 2.5 × 30 s). */
  heartbeatTimeoutMs?: number;
  maxInFlight?: number;
  /** A message not acked within this is sent again on the same connection (default 60 s). */
  ackTimeoutMs?: number;
  /** A connection that lasted this long resets the backoff (default 30 s). */
  stableAfterMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts (the abort is the caller's business, not an error). */
function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

function httpToWs(server: string): string {
  return `${server.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws/agent`;
}

export { agentMessage } from './server-frames';

/** How a connection attempt ended, as the support engineer reading the register's log needs it. */
interface AttemptEndLog {
  outcome: AttemptOutcome;
  url: string;
  /** WebSocket close code and reason (reason already cut to 200 characters). */
  code: number;
  reason: string;
  wasOpen: boolean;
  httpStatus?: number;
  lastError?: string;
  badFrames: number;
  /** The config has an enrollment token to enroll again with. */
  canEnroll: boolean;
}

/** Logs one line saying how an attempt ended and what happens next. */
function logAttemptEnd(log: ModuleLogger, end: AttemptEndLog): void {
  const { outcome, url, code, reason, wasOpen, httpStatus, lastError, badFrames } = end;
  if (outcome.kind === 'busy') {
    log.info(`server busy with other registers reconnecting (HTTP 503); retrying in ${Math.round(outcome.retryAfterMs / 1000)} s as it asked`);
  } else if (httpStatus === 401) {
    if (end.canEnroll) log.warn(`server rejected the credential (HTTP 401); enrolling again with the enrollment token`);
    else log.error(`server rejected the credential (HTTP 401) and the config has no enrollmentToken: ask for a new enrollment token and add it to the config; retrying`);
  } else if (httpStatus !== undefined && isUpstreamDown(httpStatus)) {
    log.warn(`console unavailable (HTTP ${httpStatus}); retrying`);
  } else if (httpStatus !== undefined) {
    log.warn(`server refused the connection (HTTP ${httpStatus}); retrying`);
  } else if (!wasOpen) {
    log.warn(`cannot connect to ${url}: ${lastError ?? `closed (${code})`}; retrying`);
  } else if (code === 1007) {
    log.error(`server closed the connection: it found a frame of ours malformed (1007 ${reason}); reconnecting`);
  } else if (code === CLOSE_TOO_SLOW) {
    log.warn(`server closed the connection: this agent did not read its socket in time (${code} ${reason}; was the process frozen or the network stalled?); reconnecting, unacked messages will be sent again`);
  } else {
    log.warn(`disconnected from the server (${code}${reason ? ` ${reason}` : ''}${badFrames ? `, ${badFrames} bad frame(s) ignored` : ''}); reconnecting`);
  }
}

export function createLink(options: LinkOptions): Link {
  const log = moduleLogger(options.logger ?? silentLogger, 'link');
  const fetchImpl = options.fetch ?? fetch;
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket;
  const random = options.random ?? Math.random;
  const sleepFor = options.sleep ?? realSleep;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 75_000;
  const maxInFlight = options.maxInFlight ?? 32;
  const ackTimeoutMs = options.ackTimeoutMs ?? 60_000;
  const stableAfterMs = options.stableAfterMs ?? 30_000;
  const server = options.server.replace(/\/+$/, '');

  const frameDeps: ServerFrameDeps = { outbox: options.outbox, onCommand: options.onCommand, log };
  let stopController = new AbortController();
  let loop: Promise<void> | undefined;
  let connection: LinkConnection | undefined;
  /** Set after a 401 on upgrade: the stored credential is no longer accepted. */
  let credentialRejected = false;
  /** Used when the credential could not be written to disk: good for this run at least. */
  let unsavedCredential: StoredCredential | undefined;

  function sleep(ms: number): Promise<void> {
    return sleepFor(ms, stopController.signal);
  }

  async function currentCredential(): Promise<StoredCredential | null> {
    const stored = (await options.credentials.load()) ?? unsavedCredential ?? null;
    // A credential is only ever shown to the server that issued it.
    return stored && stored.server === server ? stored : null;
  }

  /** A fresh credential, or how the attempt ended when there is none. */
  async function enroll(token: string): Promise<StoredCredential | AttemptOutcome> {
    const request: EnrollRequest = { token, storeId: options.storeId, registerId: options.registerId, hostname: options.hostname.slice(0, 128) };
    const enrolled = await requestEnrollment({ server, request, fetch: fetchImpl, signal: stopController.signal, log });
    if ('kind' in enrolled) return enrolled;
    const credential: StoredCredential = { agentId: enrolled.agentId, credential: enrolled.credential, server };
    try {
      await options.credentials.save(credential);
      unsavedCredential = undefined;
    } catch (error) {
      unsavedCredential = credential;
      log.error(`enrolled, but cannot store the credential in ${options.credentials.file} (${errorText(error)}); the agent will need to enroll again after a restart`);
    }
    log.info(`enrolled with ${server} as agent ${credential.agentId}`);
    return credential;
  }

  /** The credential to connect with (enrolling when needed), or how the attempt ended when there is none. */
  async function credentialForAttempt(): Promise<StoredCredential | AttemptOutcome> {
    const stored = await currentCredential();
    if (stored && !credentialRejected) return stored;
    const token = options.enrollmentToken;
    if (token) {
      const enrolled = await enroll(token);
      if (!('kind' in enrolled)) credentialRejected = false;
      return enrolled;
    }
    // Rejected before and nothing to enroll with: keep trying, the server may recognise it again.
    if (stored) return stored;
    log.error(`not enrolled with ${server} and the config has no enrollmentToken: add one to the config file`);
    return { kind: 'refused' };
  }

  /** One connection attempt, until its connection (if any) closes; says how it ended. */
  async function attempt(): Promise<AttemptOutcome> {
    const credential = await credentialForAttempt();
    return 'kind' in credential ? credential : connect(credential);
  }

  /** One WebSocket with `credential`, until it closes; says how it ended. */
  function connect(credential: StoredCredential): Promise<AttemptOutcome> {
    const url = httpToWs(server);
    return new Promise<AttemptOutcome>((resolve) => {
      let httpStatus: number | undefined;
      let retryAfterMs: number | undefined;
      let lastError: string | undefined;
      let errorCode: string | undefined;
      let heardValid = false;
      const badFrames = { count: 0 };
      let ws: WebSocket;
      try {
        ws = new WebSocketImpl(url, {
          headers: { authorization: `Bearer ${credential.credential}` },
          // Compression costs threads and memory on the register for frames of a few KB.
          perMessageDeflate: false,
          maxPayload: MAX_FRAME_BYTES,
          handshakeTimeout: 15_000,
        });
      } catch (error) {
        log.error(`cannot open ${url}: ${errorText(error)}`);
        resolve({ kind: 'refused' });
        return;
      }
      const conn = new LinkConnection(ws, { outbox: options.outbox, log, maxInFlight, heartbeatTimeoutMs, ackTimeoutMs });
      connection = conn;

      ws.on('unexpected-response', (_request, response) => {
        httpStatus = response.statusCode;
        retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
        response.resume();
        ws.terminate();
      });
      ws.on('error', (error: NodeJS.ErrnoException) => {
        lastError = errorText(error);
        errorCode = error.code;
      });
      ws.on('ping', () => conn.heard());
      ws.on('open', () => {
        conn.opened();
        log.info(`connected to ${url}`);
        try {
          conn.send(JSON.stringify(agentMessage('hello', options.hello())));
        } catch (error) {
          log.error(`cannot build hello: ${errorText(error)}`);
        }
        void conn.pump();
      });
      ws.on('message', (data, isBinary) => {
        conn.heard();
        if (isBinary) {
          badFrames.count += 1;
          if (badFrames.count <= MAX_LOGGED_BAD_FRAMES) log.warn('ignored a binary frame from the server');
          return;
        }
        const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        handleServerFrame(conn, raw, badFrames, frameDeps).then(
          (valid) => {
            heardValid ||= valid;
          },
          (error) => log.error(`failed to handle a server message: ${errorText(error)}`),
        );
      });
      ws.on('close', (code, reasonBuffer) => {
        const wasOpen = conn.closed();
        if (connection === conn) connection = undefined;
        const reason = reasonBuffer.toString('utf8').slice(0, 200);
        if (stopController.signal.aborted) {
          resolve({ kind: 'refused' });
          return;
        }
        const outcome = classifyAttempt({ opened: wasOpen, stable: wasOpen && (heardValid || Date.now() - conn.openedAt >= stableAfterMs), httpStatus, retryAfterMs, errorCode });
        if (httpStatus === 401) credentialRejected = true; // 401 is never 'busy' (503 only)
        logAttemptEnd(log, { outcome, url, code, reason, wasOpen, httpStatus, lastError, badFrames: badFrames.count, canEnroll: Boolean(options.enrollmentToken) });
        resolve(outcome);
      });
    });
  }

  async function run(): Promise<void> {
    const policy = new ReconnectPolicy(options.backoff, random);
    if (options.initialDelayMs) await sleep(random() * options.initialDelayMs);
    while (!stopController.signal.aborted) {
      let outcome: AttemptOutcome = { kind: 'refused' };
      try {
        outcome = await attempt();
      } catch (error) {
        log.error(`connection attempt failed: ${errorText(error)}`);
      }
      if (stopController.signal.aborted) break;
      await sleep(policy.delayAfter(outcome));
    }
  }

  return {
    start() {
      if (loop) return;
      stopController = new AbortController();
      loop = run().catch((error) => log.error(`link stopped unexpectedly: ${errorText(error)}`));
    },
    async stop() {
      stopController.abort();
      const conn = connection;
      if (conn) {
        conn.ws.close(1001, 'agent stopping');
        // A peer that never answers the close handshake must not hold the agent's shutdown.
        const force = setTimeout(() => conn.ws.terminate(), 2_000);
        await loop;
        clearTimeout(force);
      } else {
        await loop;
      }
      loop = undefined;
    },
    isConnected() {
      return connection?.open === true;
    },
    notify() {
      if (connection?.open) void connection.pump();
    },
    credential: currentCredential,
  };
}

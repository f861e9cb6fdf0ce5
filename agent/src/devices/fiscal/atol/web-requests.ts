// One request's life on the ATOL web requests server (docs/devices.md §3.2, [S]): POST the tasks
// to /api/v2/requests, poll GET /api/v2/requests/{uuid} until every result is final, a task is
// blocked, or the deadline passes. The agent never sends DELETE: it never cancels or resumes a
// task, its own included (they only read, so leaving them is harmless), and never touches another
// client's request. Every HTTP call is abortable and its answer bounded in size.
import { randomUUID } from 'node:crypto';
import { tiedAbortController } from '../../../tied-abort';
import { abortableSleep } from '../../common/wait';
import {
  buildRequestBody,
  isFinalStatus,
  parseRequestAnswer,
  PostAnswer,
  type ReadOnlyTask,
  type TaskResultEnvelope,
} from './protocol';

/** The part of WHATWG fetch this module uses; the real one is the default. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface WebServerAccess {
  /** e.g. http://127.0.0.1:16732 (the driver's default port) */
  baseUrl: string;
  /** Selects one of several registers configured in the driver. */
  deviceId?: string;
  /**
   * Where deviceID goes [S]: an HTTP header in F-Lab Market 6, a query parameter in a
   * re-implementation of the server. Default `header` (a shipping POS against the real server).
   */
  deviceIdIn?: 'header' | 'query';
  /** HTTP Basic credentials, when the web server is set to ask for them. */
  credentials?: { user: string; password: string };
}

export interface RequestTiming {
  /** From the POST until every result must be final (also bounds each HTTP call). */
  deadlineMs: number;
  /** Between two GETs of the request's results. */
  pollIntervalMs: number;
  /** An answer larger than this is refused (the real ones are a few KB). */
  maxResponseBytes?: number;
}

export interface WebRequestsDeps {
  fetch?: FetchLike;
  /** milliseconds, for deadlines and elapsed times */
  monotonicMs?: () => number;
  /** the host's wall clock: when a result was read (clock drift) */
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  newUuid?: () => string;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Why a request produced no results: `cannot_connect` (refused, unreachable: nothing listens),
 * `unauthorized` (401/403: credentials), `http_status` (any other unexpected status), `bad_answer`
 * (not JSON, or not an ATOL answer), `too_large`, `no_answer` (the server accepted the connection
 * but did not answer an HTTP call before the deadline), `canceled` (the agent gave up).
 */
export type RequestFailureKind = 'cannot_connect' | 'unauthorized' | 'http_status' | 'bad_answer' | 'too_large' | 'no_answer' | 'canceled';

export interface RequestFailure {
  kind: RequestFailureKind;
  /** plain English for a finding's detail */
  detail: string;
  httpStatus?: number;
  /** 'POST' or 'GET': which call failed */
  during: 'POST' | 'GET';
}

/**
 * How a request ended: `done` every result final; `blocked` a result came back blocked, or the
 * server said at POST that another client's task stopped the queue and ours never ran;
 * `queue_timeout` results still wait/inProgress at the deadline; `failed` see `failure`.
 */
export type RequestOutcome = 'done' | 'blocked' | 'queue_timeout' | 'failed';

export interface RequestRun {
  uuid: string;
  tasks: readonly ReadOnlyTask[];
  outcome: RequestOutcome;
  failure?: RequestFailure;
  /** The last result seen per task, in task order; undefined where none was seen. */
  results: (TaskResultEnvelope | undefined)[];
  /** Per task: ms from the POST until its result was first seen final (or the last look). */
  elapsedMs: number[];
  /** Per task: the host's time when its result was first seen final. */
  readAt: (Date | undefined)[];
  /** The POST answer, when it was JSON of the expected shape. */
  posted?: PostAnswer;
  /** HTTP bodies only (headers not counted): what this request sent and received. */
  bytesSent: number;
  bytesReceived: number;
  httpCalls: number;
}

export function requestsUrl(access: WebServerAccess, uuid?: string): string {
  const url = new URL(`/api/v2/requests${uuid === undefined ? '' : `/${encodeURIComponent(uuid)}`}`, access.baseUrl);
  if (access.deviceId !== undefined && (access.deviceIdIn ?? 'header') === 'query') url.searchParams.set('deviceID', access.deviceId);
  return url.toString();
}

export function requestHeaders(access: WebServerAccess, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (json) headers['content-type'] = 'application/json; charset=utf-8';
  if (access.credentials) headers.authorization = `Basic ${Buffer.from(`${access.credentials.user}:${access.credentials.password}`, 'utf8').toString('base64')}`;
  if (access.deviceId !== undefined && (access.deviceIdIn ?? 'header') === 'header') headers.deviceID = access.deviceId;
  return headers;
}

/**
 * Runs one request of read-only tasks to its end. Never throws for server trouble (refused,
 * hung, 401, 50 MB of garbage): that is the run's `failure`. Throws only ForbiddenTaskError, for
 * a task type that is not on the allow-list, before anything is sent.
 */
export async function runWebRequest(access: WebServerAccess, tasks: readonly ReadOnlyTask[], timing: RequestTiming, signal: AbortSignal, deps: WebRequestsDeps = {}): Promise<RequestRun> {
  const fetchFn = deps.fetch ?? ((url, init) => fetch(url, init));
  const monotonic = deps.monotonicMs ?? (() => performance.now());
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? abortableSleep;
  const uuid = (deps.newUuid ?? randomUUID)();
  const body = JSON.stringify(buildRequestBody(uuid, tasks));
  const maxBytes = timing.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const started = monotonic();
  const deadline = started + timing.deadlineMs;

  const run: RequestRun = { uuid, tasks, outcome: 'failed', results: tasks.map(() => undefined), elapsedMs: tasks.map(() => 0), readAt: tasks.map(() => undefined), bytesSent: 0, bytesReceived: 0, httpCalls: 0 };
  const call = async (method: 'POST' | 'GET', url: string, payload?: string) => {
    run.httpCalls += 1;
    if (payload !== undefined) run.bytesSent += Buffer.byteLength(payload);
    const answer = await httpCall(fetchFn, { method, url, headers: requestHeaders(access, payload !== undefined), ...(payload !== undefined ? { body: payload } : {}) }, { maxBytes, signal, timeoutMs: Math.max(1, deadline - monotonic()) });
    run.bytesReceived += answer.bytes;
    return answer;
  };
  const fail = (failure: RequestFailure): RequestRun => Object.assign(run, { outcome: 'failed' as const, failure });

  const posted = await call('POST', requestsUrl(access), body);
  if (!posted.ok) return fail({ ...posted.failure, during: 'POST' });
  if (posted.status === 401 || posted.status === 403) return fail(unauthorized(posted.status, 'POST'));
  if (posted.status < 200 || posted.status > 299) return fail({ kind: 'http_status', httpStatus: posted.status, during: 'POST', detail: `POST /api/v2/requests answered HTTP ${posted.status} (201 expected)${snippet(posted.text)}` });
  const postAnswer = PostAnswer.safeParse(safeJson(posted.text));
  if (postAnswer.success) run.posted = postAnswer.data;

  const timedOut = (): RequestRun => {
    const neverRan = run.results.every((r) => r === undefined || r.status === 'wait');
    return Object.assign(run, { outcome: neverRan && run.posted?.isBlocked === true ? ('blocked' as const) : ('queue_timeout' as const) });
  };
  for (;;) {
    const polled = await call('GET', requestsUrl(access, uuid));
    // The server took the request: a GET still unanswered at the deadline is a slow queue, not a dead server.
    if (!polled.ok && polled.failure.kind === 'no_answer') return timedOut();
    if (!polled.ok) return fail({ ...polled.failure, during: 'GET' });
    if (polled.status === 401 || polled.status === 403) return fail(unauthorized(polled.status, 'GET'));
    if (polled.status !== 200) return fail({ kind: 'http_status', httpStatus: polled.status, during: 'GET', detail: `GET /api/v2/requests/{uuid} answered HTTP ${polled.status} (200 expected)${snippet(polled.text)}` });
    const json = safeJson(polled.text);
    if (json === undefined) return fail({ kind: 'bad_answer', during: 'GET', detail: `the web server's answer is not JSON${snippet(polled.text)}` });
    const parsed = parseRequestAnswer(json, tasks.length);
    if (!parsed.ok) return fail({ kind: 'bad_answer', during: 'GET', detail: `the web server's answer is ${parsed.reason}` });

    const at = monotonic();
    parsed.results.forEach((result, i) => {
      const wasFinal = run.results[i] !== undefined && isFinalStatus(run.results[i]!.status);
      if (wasFinal) return;
      run.results[i] = result;
      run.elapsedMs[i] = Math.max(0, at - started);
      if (isFinalStatus(result.status)) run.readAt[i] = now();
    });
    const statuses = run.results.map((r) => r?.status);
    if (statuses.includes('blocked')) return Object.assign(run, { outcome: 'blocked' as const });
    if (statuses.every((s) => s !== undefined && isFinalStatus(s))) return Object.assign(run, { outcome: 'done' as const });
    if (signal.aborted) return fail({ kind: 'canceled', during: 'GET', detail: 'probe canceled (agent stopping or probe deadline passed)' });
    if (monotonic() + timing.pollIntervalMs >= deadline) return timedOut();
    await sleep(timing.pollIntervalMs, signal);
  }
}

function unauthorized(status: number, during: 'POST' | 'GET'): RequestFailure {
  return {
    kind: 'unauthorized',
    httpStatus: status,
    during,
    detail: `the ATOL web server refused the agent (HTTP ${status}): check the user and password in the device config against the web server's settings`,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const clean = text.replace(/[^\x20-\x7e\u0400-\u04ff]+/g, ' ').trim().slice(0, 120);
  return clean ? `: "${clean}"` : '';
}

type HttpAnswer = { ok: true; status: number; text: string; bytes: number } | { ok: false; failure: Omit<RequestFailure, 'during'>; bytes: number };

/** One HTTP call, aborted at `timeoutMs` or with `signal`, its body read up to `maxBytes`. Never throws. */
async function httpCall(fetchFn: FetchLike, request: { method: string; url: string; headers: Record<string, string>; body?: string }, limits: { maxBytes: number; signal: AbortSignal; timeoutMs: number }): Promise<HttpAnswer> {
  const tied = tiedAbortController(limits.signal);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    tied.controller.abort(new Error('deadline'));
  }, limits.timeoutMs);
  const what = `${request.method} ${new URL(request.url).pathname}`;
  try {
    const response = await fetchFn(request.url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), signal: tied.controller.signal, redirect: 'error' });
    const read = await readBounded(response, limits.maxBytes);
    if (!read.ok) return { ok: false, bytes: read.bytes, failure: { kind: 'too_large', httpStatus: response.status, detail: `${what}: the answer is larger than ${limits.maxBytes} bytes; an ATOL answer is a few KB, so this is not the ATOL web server, or it is broken` } };
    return { ok: true, status: response.status, text: read.text, bytes: read.bytes };
  } catch (error) {
    if (limits.signal.aborted) return { ok: false, bytes: 0, failure: { kind: 'canceled', detail: 'probe canceled (agent stopping or probe deadline passed)' } };
    if (timedOut) return { ok: false, bytes: 0, failure: { kind: 'no_answer', detail: `${what}: the web server accepted the connection but did not answer within ${Math.round(limits.timeoutMs)} ms` } };
    return { ok: false, bytes: 0, failure: connectFailure(error, request.url, what) };
  } finally {
    clearTimeout(timer);
    tied.release();
    // Drops the connection of an answer left unread (too large); a no-op after a complete one.
    tied.controller.abort(new Error('done'));
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

function connectFailure(error: unknown, url: string, what: string): Omit<RequestFailure, 'during'> {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  if (code !== undefined && UNREACHABLE.has(code)) {
    return { kind: 'cannot_connect', detail: `nothing answers at ${new URL(url).origin} (${code}): the ATOL driver's web server is not running, or the address in the config is wrong` };
  }
  return { kind: 'cannot_connect', detail: `${what} failed: ${code ?? ''} ${message}`.replace(/\s+/g, ' ').trim().slice(0, 300) };
}

/** The body as text, or not ok once it passes maxBytes (the rest is not read; cancel is not awaited: a stuck stream must not hang the probe). */
async function readBounded(response: Response, maxBytes: number): Promise<{ ok: true; text: string; bytes: number } | { ok: false; bytes: number }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    return { ok: false, bytes: 0 };
  }
  if (!response.body) return { ok: true, text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      void reader.cancel().catch(() => undefined);
      return { ok: false, bytes };
    }
    chunks.push(value);
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)), bytes };
}

// ATOL Driver v10 web requests server (docs/devices.md §3.2): the read-only task allow-list, the
// one function that builds a request body, the task status vocabulary, the answer envelopes and
// the evidence of one task. Pure: JSON in, values out; never throws on what a server sends.
// Field lists and the envelope are [S] (third-party clients, no ATOL PDF retrieved): every schema
// tolerates extra fields, and README.md / quality.yaml say what is unverified.
import type { DecodedField, StructuredExchange } from '@tillscope/shared';
import { z } from 'zod';

/**
 * The only task types the agent may ever send: each one only reads. Anything else (a sale, a shift
 * open or close, reportX, reportOfdExchangeStatus which prints a fiscal report, continuePrint,
 * cancel, registration …) is refused by `buildRequestBody`, at compile time and at run time.
 */
export const READ_ONLY_TASKS = ['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'ismExchangeStatus', 'getDeviceInfo'] as const;
export type ReadOnlyTask = (typeof READ_ONLY_TASKS)[number];

const READ_ONLY = new Set<string>(READ_ONLY_TASKS);

export function isReadOnlyTask(type: unknown): type is ReadOnlyTask {
  return typeof type === 'string' && READ_ONLY.has(type);
}

/** Thrown when code asks to send a task that is not on the allow-list: a programming error. */
export class ForbiddenTaskError extends Error {
  constructor(readonly task: unknown) {
    super(`refusing to send ATOL task ${JSON.stringify(task)}: only ${READ_ONLY_TASKS.join(', ')} may be sent (docs/devices.md §3.2)`);
    this.name = 'ForbiddenTaskError';
  }
}

/** One task as sent: the type only; none of the read-only tasks takes parameters. */
export interface TaskRequest {
  type: ReadOnlyTask;
}

export interface RequestBody {
  uuid: string;
  request: TaskRequest[];
}

/**
 * The body of `POST /api/v2/requests`. The only place a request is built: every task type is
 * checked against the allow-list here, whatever the caller's types said (a cast, JSON from a
 * config file), and an empty list is refused too.
 */
export function buildRequestBody(uuid: string, tasks: readonly ReadOnlyTask[]): RequestBody {
  if (tasks.length === 0) throw new ForbiddenTaskError([]);
  for (const type of tasks as readonly unknown[]) if (!isReadOnlyTask(type)) throw new ForbiddenTaskError(type);
  return { uuid, request: tasks.map((type) => ({ type })) };
}

/**
 * Task statuses [S, two sources]: `wait` and `inProgress` are still running; the others are
 * final. `blocked`: the result is unknown and the queue stopped behind it, which needs an
 * operator (the agent never resumes or cancels); `interrupted`: an earlier task of the same
 * request failed, so this one did not run.
 */
export const TaskStatus = z.enum(['wait', 'inProgress', 'ready', 'error', 'interrupted', 'blocked', 'canceled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export function isFinalStatus(status: TaskStatus): boolean {
  return status !== 'wait' && status !== 'inProgress';
}

const ErrorObject = z.looseObject({ code: z.number().int(), description: z.string().max(2000).optional() });

/** One entry of `results[]`, in the order the tasks were sent. */
export const TaskResultEnvelope = z.looseObject({
  status: TaskStatus,
  error: ErrorObject.optional(),
  result: z.unknown().optional(),
});
export type TaskResultEnvelope = z.infer<typeof TaskResultEnvelope>;

/** The answer of `GET /api/v2/requests/{uuid}`. */
export const RequestAnswer = z.looseObject({ results: z.array(TaskResultEnvelope).max(64) });
export type RequestAnswer = z.infer<typeof RequestAnswer>;

/**
 * The answer of `POST /api/v2/requests` (201). Only the HTTP status is relied on; `isBlocked` and
 * `blockedUUID` (a task of another client stopped the queue ahead of ours) are read when present:
 * [S] Bedunkevich/atol `src/types.ts` TaskResponce, not in devices.md.
 */
export const PostAnswer = z.looseObject({
  uuid: z.string().max(200).optional(),
  number: z.number().optional(),
  isBlocked: z.boolean().optional(),
  blockedUUID: z.string().max(200).optional(),
  error: ErrorObject.optional(),
});
export type PostAnswer = z.infer<typeof PostAnswer>;

/** A decoded answer's envelope: the results, or why the body is not one. Never throws. */
export function parseRequestAnswer(json: unknown, expectedTasks: number): { ok: true; results: TaskResultEnvelope[] } | { ok: false; reason: string } {
  const parsed = RequestAnswer.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not an ATOL requests answer (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'schema'})` };
  }
  if (parsed.data.results.length !== expectedTasks) {
    return { ok: false, reason: `the answer has ${parsed.data.results.length} results for ${expectedTasks} tasks` };
  }
  return { ok: true, results: parsed.data.results };
}

/** Evidence JSON is bounded by shared (8 KiB); a larger answer is replaced by its size and head. */
export const EVIDENCE_JSON_MAX = 8 * 1024;

export function boundedJson(value: unknown): z.core.util.JSONType {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { unserialisable: true };
  if (text.length <= EVIDENCE_JSON_MAX - 512) return JSON.parse(text) as z.core.util.JSONType;
  return { truncated: true, chars: text.length, head: text.slice(0, 1024) };
}

/** The evidence of one task: what was asked, what came back, its decoding. */
export function taskExchange(input: {
  type: ReadOnlyTask;
  /** the task's result entry as the server sent it; undefined when no answer arrived */
  reply: unknown;
  status?: string;
  valid: boolean;
  decoded: DecodedField[];
  elapsedMs: number;
}): StructuredExchange {
  return {
    type: 'structured',
    label: input.type,
    request: { type: input.type },
    reply: input.reply === undefined ? null : boundedJson(input.reply),
    ...(input.status !== undefined ? { status: input.status.slice(0, 200) } : {}),
    valid: input.valid,
    decoded: input.decoded.slice(0, 48),
    elapsedMs: Math.max(0, input.elapsedMs),
  };
}

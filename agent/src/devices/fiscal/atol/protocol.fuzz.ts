// Fuzz targets for the ATOL answer decoder: whole GET answers (the healthy fixture mutated at
// random paths, random JSON, random text) through the envelope check, every task decoder, the
// merge and the evidence builder; and the device date-time parser on any string. Run by
// `npm run fuzz` and, at a CI size, by `npm test`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceIdentity, FiscalFacts, StructuredExchange } from '@tillscope/shared';
import fc from 'fast-check';
import { DEFAULT_DOCUMENT_OPEN_FIELD, decodeTaskResult, mergeReading, type TaskDecoding } from './answers';
import { parseDeviceDateTime } from './device-time';
import { parseRequestAnswer, taskExchange, type ReadOnlyTask } from './protocol';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'healthy-results.json'), 'utf8')) as { tasks: ReadOnlyTask[]; answer: unknown };
const TASKS = fixture.tasks;

// The oracle, written again plainly from devices.md §3.2 and not from the schemas: what a
// result must hold before anything read from it may count, and what a healthy one says.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBool = (v: unknown) => typeof v === 'boolean';
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const SHIFT_WORDS = ['closed', 'opened', 'expired'];

function wellFormed(type: ReadOnlyTask, r: unknown): boolean {
  if (!isObject(r)) return false;
  switch (type) {
    case 'getDeviceStatus': {
      const s = r.deviceStatus;
      return isObject(s) && SHIFT_WORDS.includes(s.shift as string) && isBool(s.paperPresent) && isBool(s.coverOpened) && optional(s.currentDateTime, (v) => typeof v === 'string');
    }
    case 'getShiftStatus':
      return isObject(r.shiftStatus) && SHIFT_WORDS.includes(r.shiftStatus.state as string) && optional(r.shiftStatus.number, isCount);
    case 'getFnStatus': {
      const w = isObject(r.fnStatus) ? r.fnStatus.warnings : undefined;
      return isObject(w) && ['needReplacement', 'resourceExhausted', 'memoryOverflow', 'ofdTimeout', 'criticalError'].every((k) => isBool(w[k]));
    }
    case 'getFnInfo':
      return isObject(r.fnInfo) && typeof r.fnInfo.validityDate === 'string' && /^\d{4}-\d{2}-\d{2}/.test(r.fnInfo.validityDate);
    case 'ofdExchangeStatus':
      return isObject(r.status) && isCount(r.status.notSentCount) && optional(r.errors, isObject);
    case 'getDeviceInfo':
      return isObject(r.deviceInfo);
    case 'ismExchangeStatus':
      return true;
  }
}

function healthyValues(type: ReadOnlyTask, result: unknown): boolean {
  const r = result as Record<string, Record<string, unknown>>;
  switch (type) {
    case 'getDeviceStatus': {
      const s = r.deviceStatus!;
      return s.paperPresent === true && s.coverOpened === false && s.shift !== 'expired' && s.blocked !== true && s.fnPresent !== false;
    }
    case 'getShiftStatus':
      return r.shiftStatus!.state !== 'expired';
    case 'getFnStatus': {
      const w = r.fnStatus!.warnings as Record<string, unknown>;
      return ['needReplacement', 'resourceExhausted', 'memoryOverflow', 'ofdTimeout', 'criticalError'].every((k) => w[k] === false);
    }
    case 'ofdExchangeStatus': {
      const errors = r.errors;
      return ['network', 'ofd', 'fn'].every((k) => !isObject(errors?.[k]) || errors[k].code === 0);
    }
    default:
      return true;
  }
}

type Path = (string | number)[];
type Container = Record<string | number, unknown>;

/** The value at a path, undefined where the path leads nowhere. */
function valueAt(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Container)[key] : undefined), doc);
}

/** Every path into a JSON value (objects and arrays), the root included. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

type Mutation = { at: number; kind: 'delete' } | { at: number; kind: 'set'; value: unknown } | { at: number; kind: 'rename'; name: string } | { at: number; kind: 'flip' } | { at: number; kind: 'status'; status: string };

const STATUSES = ['wait', 'inProgress', 'ready', 'error', 'interrupted', 'blocked', 'canceled'];

/** The fault-looking changes a register really makes: a flag flipped, a task's status. */
function mutateValue(doc: unknown, m: Extract<Mutation, { kind: 'flip' | 'status' }>): void {
  if (m.kind === 'status') {
    const results: unknown[] = isObject(doc) && Array.isArray(doc.results) ? doc.results : [];
    const entry = results[m.at % Math.max(1, results.length)];
    if (isObject(entry)) entry.status = m.status;
    return;
  }
  const flags = paths(doc).filter((path) => path.length > 0 && typeof valueAt(doc, path) === 'boolean');
  const path = flags[m.at % Math.max(1, flags.length)];
  if (!path) return;
  const parent = valueAt(doc, path.slice(0, -1)) as Container;
  const key = path[path.length - 1]!;
  parent[key] = !parent[key];
}

function mutate(root: unknown, mutations: Mutation[]): unknown {
  let doc: unknown = structuredClone(root);
  for (const m of mutations) {
    if (m.kind === 'flip' || m.kind === 'status') {
      mutateValue(doc, m);
      continue;
    }
    const all = paths(doc);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      if (m.kind === 'set') doc = m.value;
      continue;
    }
    const parent = valueAt(doc, path.slice(0, -1)) as Container;
    const key = path[path.length - 1]!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) (parent as unknown[]).splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === 'set') parent[key] = m.value;
    else if (!Array.isArray(parent)) {
      parent[m.name] = parent[key];
      delete parent[key];
    }
  }
  return doc;
}

const FIELD_NAMES = ['shift', 'paperPresent', 'coverOpened', 'state', 'expiredTime', 'warnings', 'criticalError', 'validityDate', 'notSentCount', 'notSentFirstDocDateTime', 'status', 'result', 'results', 'code', DEFAULT_DOCUMENT_OPEN_FIELD, '__proto__', 'constructor'];
const dateLike = fc.oneof(
  fc.constantFrom('2026-03-02T10:00:00+03:00', '2026-02-30', '1970-01-01T00:00:00', '2099-12-31T23:59:59Z', '2026-03-02 25:00', '2026-03-02T10:00:00+99:00', ''),
  fc.string({ maxLength: 40 }),
);
const swapValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  dateLike,
  fc.constantFrom(true, false, null, 0, -1, 1.5, 2 ** 53, 'opened', 'expired', 'ready', 'blocked', 'wait', [], {}),
  fc.string({ maxLength: 5000 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), kind: fc.constant('delete' as const) }),
  fc.record({ at: fc.nat(), kind: fc.constant('set' as const), value: swapValue }),
  fc.record({ at: fc.nat(), kind: fc.constant('rename' as const), name: fc.constantFrom(...FIELD_NAMES) }),
  fc.record({ at: fc.nat(), kind: fc.constant('flip' as const) }),
  fc.record({ at: fc.nat(), kind: fc.constant('status' as const), status: fc.constantFrom(...STATUSES) }),
);

/** What a server may answer to GET: the fixture mutated, any JSON, any text. */
const answerBody = fc.oneof(
  { arbitrary: fc.array(mutation, { maxLength: 4 }).map((ms) => JSON.stringify(mutate(fixture.answer, ms))), weight: 8 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
);

function decodeAll(body: string): { results: unknown[]; decodings: TaskDecoding[] } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = parseRequestAnswer(json, TASKS.length);
  if (!parsed.ok) return undefined;
  const readAt = new Date('2026-03-02T07:00:00Z');
  return { results: parsed.results, decodings: TASKS.map((type, i) => decodeTaskResult(type, parsed.results[i], { readAt, documentOpenField: DEFAULT_DOCUMENT_OPEN_FIELD })) };
}

/**
 * Any answer body: never throws; every exchange and the merged reading pass shared's schemas; a
 * task decodes as valid only when the oracle finds it ready and well-formed; and the whole is
 * healthy (every task valid, no alarm) only when the oracle finds every value healthy.
 */
function answerProperty() {
  return fc.property(answerBody, (body) => {
    const decoded = decodeAll(body);
    if (!decoded) return;
    const { results, decodings } = decoded;
    decodings.forEach((decoding, i) => {
      const type = TASKS[i]!;
      const envelope = results[i] as { status: string; result?: unknown };
      const exchange = taskExchange({ type, reply: envelope, status: envelope.status, valid: decoding.valid, decoded: decoding.decoded, elapsedMs: 0 });
      const checked = StructuredExchange.safeParse(exchange);
      if (!checked.success) throw new Error(`${type}: evidence fails shared's schema: ${checked.error.issues[0]?.message}`);
      if (decoding.valid && (envelope.status !== 'ready' || !wellFormed(type, envelope.result))) throw new Error(`${type}: garbage decoded as valid: ${JSON.stringify(envelope).slice(0, 300)}`);
      if (!decoding.valid && decoding.part !== undefined) throw new Error(`${type}: an invalid answer gave facts`);
    });
    const reading = mergeReading(decodings.map((d) => d.part));
    const facts = FiscalFacts.safeParse(reading.fiscal);
    if (!facts.success) throw new Error(`reading fails FiscalFacts: ${facts.error.issues[0]?.path.join('.')} ${facts.error.issues[0]?.message}`);
    if (!DeviceIdentity.safeParse(reading.identity).success) throw new Error('reading fails DeviceIdentity');
    const healthy = decodings.every((d) => d.valid && !d.decoded.some((f) => f.alarm));
    if (healthy && !TASKS.every((type, i) => healthyValues(type, (results[i] as { result: unknown }).result))) throw new Error(`garbage reported as healthy: ${body.slice(0, 400)}`);
  });
}

/** Any string: parsed or not, never thrown; a parsed one is a real instant in 2000..2099 (± a day of zone). */
function dateTimeProperty() {
  return fc.property(fc.oneof(dateLike, fc.string({ maxLength: 64 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), (text) => {
    const parsed = parseDeviceDateTime(text);
    if (!parsed) return;
    const t = parsed.instant.getTime();
    if (!Number.isFinite(t)) throw new Error(`${text}: an invalid instant`);
    const year = parsed.instant.getUTCFullYear();
    if (year < 1999 || year > 2100) throw new Error(`${text}: year ${year} out of range`);
    const { month, day } = parsed.date;
    if (month < 1 || month > 12 || day < 1 || day > 31) throw new Error(`${text}: date ${month}/${day}`);
  });
}

export const atolFuzzTargets = [
  { name: 'atol-answer', about: 'ATOL GET answers (the healthy fixture mutated, any JSON, any text) through envelope, decoders, merge, evidence; garbage is never valid nor healthy', property: answerProperty, ciRuns: 1_500 },
  { name: 'atol-date-time', about: 'parseDeviceDateTime on any string: never throws, parsed values are real dates in range', property: dateTimeProperty },
];

// Fuzz targets for the envelope parser (parseFrame) on both directions of the agent socket: what
// the console parses from agents (AgentMessage) and what the agent parses from the console
// (ServerMessage). Run by `npm run fuzz` (10⁶ inputs each) and, at a CI size, by `npm test`
// (scripts/fuzz/fuzz.test.ts). Pure: no Node, DOM or Electron API.
import fc from 'fast-check';
import type { z } from 'zod';
import { ErrorCode } from '../errors';
import { AGENT_MESSAGE_TYPES, AgentMessage } from './agent-messages';
import { agentMessage, serverMessage } from './arbitraries.fuzz';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './envelope';
import { parseFrame } from './parse';
import { ServerMessage } from './server-messages';

export const SERVER_MESSAGE_TYPES = ['ack', 'command', 'ticket_update'] as const;

/** The codes parseFrame documents; anything else (or a throw) fails the property. */
const FRAME_ERROR_CODES: ReadonlySet<ErrorCode> = new Set(['frame_too_large', 'malformed_json', 'bad_request', 'unsupported_version', 'unknown_type']);
const MESSAGE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const knownType = (type: unknown, types: readonly string[]) => typeof type === 'string' && types.includes(type);

type TextMutation = { kind: 'cut'; at: number; length: number } | { kind: 'insert'; at: number; what: string } | { kind: 'truncate'; at: number };

/** Changes to a valid frame's text: a byte-level fuzzer's view (cuts, inserts, truncation). */
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), what: fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('{', '}', '"', ',', ':', '[', ']', '\\', 'null', '1e999', '-0', '"v":2')) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Changes to a valid frame's structure: one value anywhere replaced by any JSON, or removed. */
const treeMutation = fc.record({ pick: fc.nat(), replaceWith: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }) });

/** Changes to the envelope itself, where parseFrame decides before the schema: v, type and id. */
const envelopeMutation = fc.oneof(
  fc.record({ key: fc.constant('v'), value: fc.constantFrom<unknown>(0, 2, '1', 1.5, null, true, [1], undefined) }),
  fc.record({ key: fc.constant('type'), value: fc.oneof(fc.constantFrom<unknown>(...AGENT_MESSAGE_TYPES, ...SERVER_MESSAGE_TYPES, 'rm_rf', '', null, 7, undefined), fc.string({ maxLength: 12 })) }),
  fc.record({ key: fc.constant('id'), value: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{60,70}$/), fc.constantFrom<unknown>('', 'has space', 5, null, undefined), fc.string({ maxLength: 70 })) }),
);

function mutateText(raw: string, m: TextMutation): string {
  const at = raw.length === 0 ? 0 : m.at % raw.length;
  if (m.kind === 'cut') return raw.slice(0, at) + raw.slice(at + m.length);
  if (m.kind === 'insert') return raw.slice(0, at) + m.what + raw.slice(at);
  return raw.slice(0, at);
}

/** Replaces (or with `undefined`, deletes) the `pick`-th value of a depth-first walk of `value`. */
function mutateTree(value: unknown, pick: number, replaceWith: unknown): unknown {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      const parent = node as Record<string, unknown>;
      slots.push({ parent, key: Array.isArray(node) ? Number(key) : key });
      walk(parent[key]);
    }
  };
  const copy: unknown = JSON.parse(JSON.stringify(value));
  walk(copy);
  const slot = slots[pick % Math.max(1, slots.length)];
  if (!slot) return replaceWith;
  if (replaceWith === undefined && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
  else (slot.parent as Record<string | number, unknown>)[slot.key] = replaceWith ?? null;
  return copy;
}

interface Direction {
  schema: z.ZodTypeAny;
  types: readonly string[];
  valid: fc.Arbitrary<unknown>;
}

/**
 * The outcome of parsing `raw` must be one of the documented ones and must agree with the raw
 * text: an accepted frame is a JSON object with v 1, a known type and a well-formed id, and it
 * re-validates and survives another round trip unchanged; a refused one carries the documented
 * code for the first thing wrong (size, JSON, object, version, type, body) and the frame's id when
 * it had a usable one.
 */
function checkOutcome(raw: string, { schema, types }: Direction): void {
  const result = parseFrame(raw, schema, types);
  if (raw.length > MAX_FRAME_BYTES) {
    if (result.ok || result.code !== 'frame_too_large') throw new Error(`an oversized frame (${raw.length}) was not refused by size`);
    return;
  }
  let json: unknown;
  let jsonOk = true;
  try {
    json = JSON.parse(raw);
  } catch {
    jsonOk = false;
  }
  const record = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (result.ok) {
    if (!record || record.v !== PROTOCOL_VERSION || !knownType(record.type, types) || typeof record.id !== 'string' || !MESSAGE_ID.test(record.id)) {
      throw new Error('accepted a frame that is not a v1 object with a known type and a valid id');
    }
    if (!schema.safeParse(result.value).success) throw new Error('the accepted value does not re-validate');
    const again = parseFrame(JSON.stringify(result.value), schema, types);
    if (!again.ok || JSON.stringify(again.value) !== JSON.stringify(result.value)) throw new Error('the accepted value changes on a second round trip');
    return;
  }
  if (!FRAME_ERROR_CODES.has(result.code)) throw new Error(`undocumented code ${result.code}`);
  if (result.message.length === 0) throw new Error('an error without a message');
  // The checks run in a documented order; the first that fails names the code.
  const expected = !jsonOk
    ? 'malformed_json'
    : !record
      ? 'bad_request'
      : record.v !== PROTOCOL_VERSION
        ? 'unsupported_version'
        : !knownType(record.type, types)
          ? 'unknown_type'
          : 'bad_request';
  if (result.code !== expected) throw new Error(`code ${result.code} where ${expected} was due`);
  const id = typeof record?.id === 'string' && record.id.length <= 64 ? record.id : undefined;
  if (result.id !== id) throw new Error(`returned id ${result.id} for a frame whose usable id is ${id}`);
}

/** Every kind of input: random text, random JSON, valid frames, mutated valid frames, oversized frames. */
function frameInput(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  // One shared padding string: concatenating it makes a rope, so an oversized input costs nothing
  // to build, and parseFrame must refuse it by length before reading it.
  const padding = ' '.repeat(MAX_FRAME_BYTES);
  const validText = valid.map((m) => JSON.stringify(m));
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 2 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
    { arbitrary: validText, weight: 2 },
    { arbitrary: fc.tuple(validText, textMutation).map(([raw, m]) => mutateText(raw, m)), weight: 4 },
    { arbitrary: fc.tuple(valid, treeMutation).map(([m, t]) => JSON.stringify(mutateTree(m, t.pick, t.replaceWith))), weight: 4 },
    { arbitrary: fc.tuple(valid, fc.array(envelopeMutation, { minLength: 1, maxLength: 3 })).map(([m, changes]) => JSON.stringify(Object.assign({}, m, ...changes.map((c) => ({ [c.key]: c.value }))))), weight: 3 },
    { arbitrary: fc.tuple(validText, fc.integer({ min: 1, max: 64 })).map(([raw, extra]) => padding.slice(0, MAX_FRAME_BYTES - raw.length + extra) + raw), weight: 1 },
  );
}

function frameTarget(name: string, about: string, direction: Direction) {
  return {
    name,
    about,
    property: () =>
      fc.property(frameInput(direction.valid), (raw) => {
        checkOutcome(raw, direction);
      }),
  };
}

function roundTripTarget(name: string, about: string, direction: Direction) {
  return {
    name,
    about,
    property: () =>
      fc.property(direction.valid, (message) => {
        const result = parseFrame(JSON.stringify(message), direction.schema, direction.types);
        if (!result.ok) throw new Error(`a valid frame was refused: ${result.code}: ${result.message}`);
        if (JSON.stringify(result.value) !== JSON.stringify(message)) throw new Error('a valid frame did not round-trip unchanged');
      }),
  };
}

const agentSide: Direction = { schema: AgentMessage, types: AGENT_MESSAGE_TYPES, valid: agentMessage };
const serverSide: Direction = { schema: ServerMessage, types: SERVER_MESSAGE_TYPES, valid: serverMessage };

export const parseFrameFuzzTargets = [
  frameTarget('frame-agent', 'parseFrame(AgentMessage): random text, random JSON, valid and mutated frames, oversized frames', agentSide),
  roundTripTarget('frame-agent-roundtrip', 'parseFrame(AgentMessage): every valid agent message round-trips unchanged', agentSide),
  frameTarget('frame-server', 'parseFrame(ServerMessage) as the agent parses the console: random, valid, mutated, oversized', serverSide),
  roundTripTarget('frame-server-roundtrip', 'parseFrame(ServerMessage): every valid server message round-trips unchanged', serverSide),
];

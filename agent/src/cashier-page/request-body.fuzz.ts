// Fuzz target for the cashier page's body reader (JsonBodyReader) with both bodies the page reads:
// a report and a "working?" answer. Run by `npm run fuzz` and, at a CI size, by `npm test`.
import { Locale, Symptom } from '@tillscope/shared';
import fc from 'fast-check';
import { z } from 'zod';
import { JsonBodyReader, MAX_BODY_BYTES, type BodyError } from './request-body';
import { AnswerRequest, ReportRequest } from './server';

const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', ' Application/JSON ;x=1'), weight: 6 },
  { arbitrary: fc.constantFrom(undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);

const validReport = fc.record(
  { symptom: fc.constantFrom(...Symptom.options), note: fc.string({ unit: 'binary', maxLength: 120 }), locale: fc.constantFrom(...Locale.options) },
  { requiredKeys: ['symptom'] },
);
const validAnswer = fc.record({ working: fc.boolean() });

/** Bodies as bytes: valid ones, valid ones with a value swapped for any JSON, any JSON, any bytes, oversized ones. */
function bodyBytes(valid: fc.Arbitrary<object>): fc.Arbitrary<Uint8Array> {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const swapped = fc.tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map(([v, key, value]) => {
    const keys = Object.keys(v);
    return { ...v, [keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length]! : key]: value };
  });
  return fc.oneof(
    { arbitrary: valid.map((v) => utf8(JSON.stringify(v))), weight: 4 },
    { arbitrary: swapped.map((v) => utf8(JSON.stringify(v))), weight: 4 },
    { arbitrary: fc.json({ maxDepth: 3 }).map(utf8), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 2 },
    { arbitrary: fc.tuple(valid, fc.integer({ min: 1, max: 2_000 })).map(([v, extra]) => utf8(JSON.stringify(v).padEnd(MAX_BODY_BYTES + extra, ' '))), weight: 1 },
  );
}

/** Cut points: the body arrives in any number of chunks, split anywhere (mid code point too). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...points, bytes.length].map((to, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], to));
}

const expectedErrors: Record<number, readonly string[]> = { 400: ['malformed_json', 'bad_request'], 413: ['bad_request'], 415: ['bad_request'] };

function checkError(error: BodyError): void {
  if (!expectedErrors[error.status]?.includes(error.code) || error.message.length === 0) throw new Error(`undocumented refusal ${error.status} ${error.code}`);
}

/**
 * Never throws; refuses with a documented status and code, by type first, then by size as the
 * chunks arrive (stops keeping them); accepts only what re-validates against the schema, and a
 * valid body sent as JSON with a JSON type is always accepted however it is split.
 */
function bodyProperty(schema: z.ZodTypeAny, valid: fc.Arbitrary<object>) {
  const isJsonType = (type: string | undefined) => (type ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
  return fc.property(contentType, fc.oneof(bodyBytes(valid), valid.map((v) => ({ valid: v }))), fc.array(fc.nat(), { maxLength: 4 }), (type, input, cuts) => {
    const bytes = input instanceof Uint8Array ? input : new TextEncoder().encode(JSON.stringify(input.valid));
    const reader = new JsonBodyReader(type);
    let pushed = 0;
    for (const chunk of split(bytes, cuts)) {
      if (reader.push(chunk)) break;
      pushed += chunk.length;
    }
    if (pushed > MAX_BODY_BYTES) throw new Error(`kept ${pushed} bytes, over the limit`);
    const result = reader.finish(schema);
    if (!isJsonType(type)) {
      if (result.ok || result.error.status !== 415) throw new Error(`content type ${JSON.stringify(type)} was not refused first`);
      return;
    }
    if (bytes.length > MAX_BODY_BYTES) {
      if (result.ok || result.error.status !== 413) throw new Error(`a ${bytes.length}-byte body was not refused by size`);
      return;
    }
    if (!result.ok) {
      checkError(result.error);
      if (!(input instanceof Uint8Array)) throw new Error(`a valid body was refused: ${result.error.message}`);
      return;
    }
    const again = schema.safeParse(result.value);
    if (!again.success || JSON.stringify(again.data) !== JSON.stringify(result.value)) throw new Error('the accepted body does not re-validate unchanged');
  });
}

export const cashierBodyFuzzTargets = [
  { name: 'cashier-report-body', about: 'JsonBodyReader + ReportRequest: any content type, valid/mutated/random/oversized bodies split anywhere', property: () => bodyProperty(ReportRequest, validReport) },
  { name: 'cashier-answer-body', about: 'JsonBodyReader + AnswerRequest: any content type, valid/mutated/random/oversized bodies split anywhere', property: () => bodyProperty(AnswerRequest, validAnswer) },
];

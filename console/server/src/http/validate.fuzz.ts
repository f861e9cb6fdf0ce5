// Fuzz target for the REST validators: the `validate(part, schema)` middleware with every schema a
// route mounts, fed what express hands it (a JSON body from express.json, a query from the
// "simple" parser: strings and string arrays, route params: strings). Run by `npm run fuzz` and,
// at a CI size, by `npm test`.
import {
  CreateEnrollmentTokenRequest,
  CreateUserRequest,
  DeviceHealth,
  EnrollRequest,
  LoginRequest,
  NoteRequest,
  ProbeRequest,
  RegisterListQuery,
  ResolveRequest,
  Role,
  RoutingGroup,
  TicketListQuery,
} from '@tillscope/shared';
import type { Request, Response } from 'express';
import fc from 'fast-check';
import type { z } from 'zod';
import { RegisterParams } from '../routes/register-routes';
import { TicketParams } from '../routes/ticket-routes';
import { HttpError } from './http-error';
import { validate } from './validate';

type Part = 'body' | 'query' | 'params';
interface Route {
  route: string;
  part: Part;
  schema: z.ZodTypeAny;
  valid: fc.Arbitrary<Record<string, unknown>>;
}

const str = (min: number, max: number) => fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }).filter((s) => s.length >= min && s.length <= max);
const ident = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);
/** fc.record with every key optional, the way a client may leave fields out. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { requiredKeys: [] });

const ticketCursor = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.date({ min: new Date('2020-01-01Z'), max: new Date('2090-01-01Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 2 ** 40 }))
  .map(([p, d, id]) => `${p}~${d.toISOString()}~${id}`);

const ROUTES: readonly Route[] = [
  { route: 'POST /api/auth/login', part: 'body', schema: LoginRequest, valid: fc.record({ username: str(1, 64), password: str(1, 256) }) },
  {
    route: 'POST /api/users',
    part: 'body',
    schema: CreateUserRequest,
    valid: fc.record(
      { username: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/), password: str(8, 256), displayName: str(1, 128), role: fc.constantFrom(...Role.options), groups: fc.uniqueArray(fc.constantFrom(...RoutingGroup.options), { maxLength: 5 }) },
      { requiredKeys: ['username', 'password', 'displayName', 'role'] },
    ),
  },
  { route: 'POST /api/agents/enroll', part: 'body', schema: EnrollRequest, valid: fc.record({ token: str(8, 128), storeId: ident, registerId: ident, hostname: str(0, 128) }, { requiredKeys: ['token', 'storeId', 'registerId'] }) },
  {
    route: 'POST /api/enrollment-tokens',
    part: 'body',
    schema: CreateEnrollmentTokenRequest,
    valid: partial({ maxUses: fc.integer({ min: 1, max: 10_000 }), ttlHours: fc.double({ min: 0.1, max: 720, noNaN: true }), note: str(0, 200) }),
  },
  { route: 'POST /api/tickets/:id/notes', part: 'body', schema: NoteRequest, valid: fc.record({ text: str(1, 2000) }) },
  { route: 'POST /api/tickets/:id/resolve', part: 'body', schema: ResolveRequest, valid: partial({ note: str(0, 2000) }) },
  { route: 'POST /api/registers/:agentId/probe', part: 'body', schema: ProbeRequest, valid: partial({ deviceId: str(1, 64) }) },
  {
    route: 'GET /api/tickets',
    part: 'query',
    schema: TicketListQuery,
    valid: partial({ status: fc.constantFrom('active', 'resolved', 'all'), group: fc.constantFrom(...RoutingGroup.options), storeId: str(0, 64), mine: fc.constantFrom('1', '0'), after: ticketCursor, limit: digits(1, 20_000) }),
  },
  {
    route: 'GET /api/registers',
    part: 'query',
    schema: RegisterListQuery,
    valid: partial({
      storeId: ident,
      connected: fc.constantFrom('1', '0'),
      health: fc.constantFrom(...DeviceHealth.options.filter((h) => h !== 'ok')),
      openTickets: fc.constantFrom('1', '0'),
      after: fc.tuple(ident, ident).map(([s, r]) => `${s}/${r}`),
      limit: digits(1, 1_000),
    }),
  },
  { route: 'GET /api/tickets/:id', part: 'params', schema: TicketParams, valid: fc.record({ id: digits(1, Number.MAX_SAFE_INTEGER) }) },
  { route: 'POST /api/registers/:agentId/probe', part: 'params', schema: RegisterParams, valid: fc.record({ agentId: str(1, 64) }) },
];

/** What express can hand the middleware for a part: JSON for a body, strings (and arrays) for a query or params. */
function anyValueFor(part: Part): fc.Arbitrary<unknown> {
  if (part === 'body') return fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 3_000 }));
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 3_000 }), digits(-5, 30_000), fc.constantFrom('', 'NaN', '1e3', '0x10', ' 5', '9007199254740993'));
  return part === 'query' ? fc.oneof(text, fc.array(text, { maxLength: 3 })) : text;
}

/** A valid request, one with a value swapped, a key dropped or a key added, or something else entirely. */
function input(route: Route): fc.Arbitrary<{ value: unknown; valid: boolean }> {
  const keyOf = (v: Record<string, unknown>, pick: number) => Object.keys(v)[pick % Math.max(1, Object.keys(v).length)];
  return fc.oneof(
    { arbitrary: route.valid.map((value) => ({ value, valid: true })), weight: 3 },
    {
      arbitrary: fc.tuple(route.valid, fc.nat(), anyValueFor(route.part)).map(([v, pick, value]) => {
        const key = keyOf(v, pick) ?? 'x';
        return { value: { ...v, [key]: value }, valid: false };
      }),
      weight: 4,
    },
    { arbitrary: fc.tuple(route.valid, fc.nat()).map(([v, pick]) => ({ value: Object.fromEntries(Object.entries(v).filter(([k]) => k !== keyOf(v, pick))), valid: false })), weight: 1 },
    { arbitrary: fc.tuple(route.valid, fc.string({ maxLength: 12 }), anyValueFor(route.part)).map(([v, key, value]) => ({ value: { [key]: value, ...v }, valid: true })), weight: 1 },
    { arbitrary: fc.oneof(anyValueFor(route.part), fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 8 }), anyValueFor(route.part), { maxKeys: 4 })).map((value) => ({ value, valid: false })), weight: 2 },
  );
}

/**
 * The middleware never throws and calls next exactly once, at once: either with nothing, having
 * stored a value that re-validates unchanged, or with a 400 bad_request HttpError listing the
 * issues. A valid request (extra unknown keys included) is always accepted.
 */
function validateProperty() {
  const arb = fc.integer({ min: 0, max: ROUTES.length - 1 }).chain((i) => input(ROUTES[i]!).map((sample) => ({ route: ROUTES[i]!, ...sample })));
  return fc.property(arb, ({ route, value, valid }) => {
    const req = { [route.part]: value } as unknown as Request;
    const res = { locals: {} } as unknown as Response;
    const calls: unknown[][] = [];
    validate(route.part, route.schema)(req, res, (...args: unknown[]) => calls.push(args));
    if (calls.length !== 1) throw new Error(`${route.route}: next called ${calls.length} times`);
    const [error] = calls[0]!;
    if (error === undefined) {
      const stored = (res.locals.validated as Record<Part, unknown>)[route.part];
      const again = route.schema.safeParse(stored);
      if (!again.success || JSON.stringify(again.data) !== JSON.stringify(stored)) throw new Error(`${route.route}: the accepted ${route.part} does not re-validate unchanged`);
      return;
    }
    if (!(error instanceof HttpError) || error.status !== 400 || error.code !== 'bad_request') throw new Error(`${route.route}: refused with ${String(error)}`);
    if (!error.issues?.length || error.issues.some((i) => typeof i.path !== 'string' || typeof i.message !== 'string')) throw new Error(`${route.route}: a refusal without issues`);
    if (valid) throw new Error(`${route.route}: a valid ${route.part} was refused: ${JSON.stringify(error.issues).slice(0, 300)}`);
  });
}

export const restValidatorFuzzTargets = [
  { name: 'rest-validators', about: `validate(part, schema) for ${ROUTES.length} route schemas: valid, mutated and random bodies, queries and params`, property: validateProperty },
];

import { z } from 'zod';
import { FiscalThresholds } from '../../common/fiscal-rules';
import { DEFAULT_DOCUMENT_OPEN_FIELD } from './answers';

/** The ATOL driver's web requests server on the register itself (its documented default port). */
export const DEFAULT_ATOL_URL = 'http://127.0.0.1:16732';

const ServiceUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:16732"' })
  .max(500)
  .refine((text) => {
    const url = new URL(text);
    return url.username === '' && url.password === '';
  }, 'must not carry a user or password: put them in options.user and options.password')
  .refine((text) => ['', '/'].includes(new URL(text).pathname) && new URL(text).search === '', 'must be the server only (scheme, host, port), without a path or query');

/**
 * The atol driver's `options` in the agent config, e.g.
 * `"options": { "url": "http://127.0.0.1:16732", "deviceId": "kkt-1", "user": "agent", "password": "…" }`.
 * Every field has a default; several exist because the fact behind them is unverified ([S]/[U],
 * see README.md).
 */
export const AtolOptions = z
  .strictObject({
    /** The web requests server: scheme, host and port. */
    url: ServiceUrl.default(DEFAULT_ATOL_URL),
    /** Which register, when the driver has several configured (`deviceID`). */
    deviceId: z.string().min(1).max(100).optional(),
    /** Where deviceID is sent [S]: an HTTP header (default) or a query parameter. */
    deviceIdIn: z.enum(['header', 'query'], { error: 'must be "header" (the default) or "query"' }).default('header'),
    /** HTTP Basic credentials, when the web server asks for them. The config file then holds a secret. */
    user: z.string().min(1).max(200).optional(),
    password: z.string().max(200).optional(),
    /** How long one request (its tasks queued, run and read) may take before it is a slow queue. */
    taskDeadlineMs: z.number().int().min(200).max(30_000).default(2_000),
    /** How often the request's results are read while it runs. */
    pollIntervalMs: z.number().int().min(10).max(5_000).default(100),
    /** Also read ismExchangeStatus (marking notifications; ATOL firmware 5.x with FFD 1.2 only). */
    ismExchange: z.boolean().default(true),
    /** [U] The getDeviceStatus field that tells a receipt/document is open (see README). */
    documentOpenField: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a JSON field name (letters, digits, _)')
      .default(DEFAULT_DOCUMENT_OPEN_FIELD),
    /** The 54-FZ thresholds (shift, FN, OFD, clock) shared by every fiscal driver. */
    thresholds: FiscalThresholds.prefault({}),
  })
  .refine((o) => (o.user === undefined) === (o.password === undefined), { message: 'user and password go together', path: ['password'] })
  .refine((o) => o.pollIntervalMs < o.taskDeadlineMs, { message: 'must be less than taskDeadlineMs', path: ['pollIntervalMs'] });
export type AtolOptions = z.output<typeof AtolOptions>;

/** The evidence target and inventory name: the server, and the register when one is named. */
export function atolServiceUrl(options: AtolOptions): string {
  const base = options.url.replace(/\/$/, '');
  return options.deviceId === undefined ? base : `${base} deviceID=${options.deviceId}`;
}

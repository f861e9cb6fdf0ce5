import { EnrollResponse, ErrorBody, type EnrollRequest } from '@tillscope/shared';
import { errorText, type ModuleLogger } from '../logger';
import { tiedAbortController } from '../tied-abort';
import { isUpstreamDown, type AttemptOutcome } from './reconnect-policy';

const ENROLL_TIMEOUT_MS = 15_000;

interface EnrollOptions {
  server: string;
  request: EnrollRequest;
  fetch: typeof fetch;
  /** The caller's stop: aborts the request. It may live for the agent's life. */
  signal: AbortSignal;
  log: ModuleLogger;
}

/**
 * `POST <server>/api/agents/enroll`: the new credential, or how the attempt ended (for the
 * backoff). Every failure is logged here; nothing is thrown.
 */
export async function requestEnrollment(options: EnrollOptions): Promise<EnrollResponse | AttemptOutcome> {
  // Aborted by the caller's (long-lived) signal or after 15 s, the answer's body included; not
  // AbortSignal.any() with the caller's signal (see tied-abort.ts).
  const { controller, release } = tiedAbortController(options.signal);
  const timeout = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ENROLL_TIMEOUT_MS);
  try {
    return await postEnrollment(options, controller.signal);
  } finally {
    clearTimeout(timeout);
    release();
  }
}

async function postEnrollment(options: EnrollOptions, signal: AbortSignal): Promise<EnrollResponse | AttemptOutcome> {
  const { server, log } = options;
  const url = `${server}/api/agents/enroll`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options.request),
      signal,
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    log.warn(`cannot reach ${url} to enroll: ${errorText(error)}${cause ? ` (${errorText(cause)})` : ''}`);
    return { kind: 'unreachable' };
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = ErrorBody.safeParse(body);
    const detail = error.success ? `${error.data.code}: ${error.data.message}` : text.slice(0, 200);
    log.error(`enrollment refused by ${server} (HTTP ${response.status} ${detail}); check enrollmentToken, storeId and registerId in the config`);
    return { kind: isUpstreamDown(response.status) ? 'unreachable' : 'refused' };
  }
  const parsed = EnrollResponse.safeParse(body);
  if (!parsed.success) {
    log.error(`enrollment answer from ${server} is not an EnrollResponse; will retry`);
    return { kind: 'refused' };
  }
  return parsed.data;
}

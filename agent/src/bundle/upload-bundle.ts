import { BundleUploaded, ErrorBody } from '@tillscope/shared';
import { errorText } from '../logger';
import { tiedAbortController } from '../tied-abort';
import { BundleError } from './bundle-error';

export const UPLOAD_TIMEOUT_MS = 60_000;

export interface UploadOptions {
  /** The server that issued the credential (the credential is never sent anywhere else). */
  server: string;
  credential: string;
  commandId: string;
  gzipped: Buffer;
  fetch?: typeof fetch;
  /** The agent's stop: aborts the upload. */
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * `POST <server>/api/agent/bundles?commandId=…` with the agent's Bearer credential and the gzipped
 * bundle as the body (docs/api.md). Resolves the console's bundle id; rejects with a BundleError
 * whose code is the console's (`unauthorized`, `frame_too_large`, …), `cannot_connect`, `timeout`
 * or `protocol` (an answer that is not the console's).
 */
export async function uploadBundle(options: UploadOptions): Promise<string> {
  const { controller, release } = tiedAbortController(options.signal);
  const timeout = setTimeout(() => controller.abort(new DOMException('upload timed out', 'TimeoutError')), options.timeoutMs ?? UPLOAD_TIMEOUT_MS);
  const url = `${options.server.replace(/\/+$/, '')}/api/agent/bundles?commandId=${encodeURIComponent(options.commandId)}`;
  try {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.credential}`, 'content-type': 'application/gzip' },
        body: new Uint8Array(options.gzipped),
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted && (controller.signal.reason as Error | undefined)?.name === 'TimeoutError') throw new BundleError('timeout', `the upload to ${url} took over ${options.timeoutMs ?? UPLOAD_TIMEOUT_MS} ms`);
      const cause = (error as { cause?: unknown }).cause;
      throw new BundleError(options.signal.aborted ? 'canceled' : 'cannot_connect', `cannot upload to ${url}: ${errorText(error)}${cause ? ` (${errorText(cause)})` : ''}`);
    }
    const body = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ErrorBody.safeParse(body);
      if (error.success) throw new BundleError(error.data.code, `the console refused the bundle (HTTP ${response.status}): ${error.data.message}`);
      throw new BundleError('protocol', `the console answered HTTP ${response.status} without an error body`);
    }
    const uploaded = BundleUploaded.safeParse(body);
    if (!uploaded.success) throw new BundleError('protocol', 'the console accepted the bundle but its answer has no bundle id');
    return uploaded.data.bundleId;
  } finally {
    clearTimeout(timeout);
    release();
  }
}

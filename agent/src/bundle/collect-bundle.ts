// The agent's side of `collect_bundle`: build, redact, fit, gzip, upload, then answer with the
// summary. One collection at a time: a bundle reads files and holds megabytes for a moment.
import type { BundleSummary } from '@tillscope/shared';
import { createHash } from 'node:crypto';
import type { CommandPayload, CommandResultPayload } from '../link/link';
import { errorText, type ModuleLogger } from '../logger';
import { BundleError } from './bundle-error';
import { buildBundle, type BundleSources } from './build-bundle';
import { packBundle, type BundleLimits } from './fit-bundle';
import { uploadBundle } from './upload-bundle';

export interface BundleCollectorOptions {
  sources: BundleSources;
  /** The agent's current credential and the server that issued it (the link's); null before enrollment. */
  credential: () => Promise<{ server: string; credential: string } | null>;
  /** Aborted when the agent stops: an upload in flight ends with it. */
  signal: AbortSignal;
  log: ModuleLogger;
  fetch?: typeof fetch;
  limits?: BundleLimits;
  uploadTimeoutMs?: number;
}

/** Answers one collect_bundle command; never rejects (every failure is an ok:false answer with a code). */
export type CollectBundle = (command: CommandPayload) => Promise<CommandResultPayload>;

export function createBundleCollector(options: BundleCollectorOptions): CollectBundle {
  let running = false;
  return async (command) => {
    const { commandId } = command;
    if (running) return { commandId, ok: false, code: 'busy', message: 'a diagnostics bundle is being collected already; ask again when it is done' };
    running = true;
    try {
      const summary = await collect(options, command);
      options.log.info(`diagnostics bundle ${summary.bundleId} uploaded (${summary.sizeBytes} bytes gzipped, redacted ${describeCounts(summary.redactions)})`);
      return { commandId, ok: true, devices: [], bundle: summary };
    } catch (error) {
      const code = error instanceof BundleError ? error.code : 'internal';
      options.log.warn(`diagnostics bundle for ${commandId} failed: ${errorText(error)}`);
      return { commandId, ok: false, code, message: errorText(error).slice(0, 500) };
    } finally {
      running = false;
    }
  };
}

async function collect(options: BundleCollectorOptions, command: CommandPayload): Promise<BundleSummary> {
  const credential = await options.credential();
  if (!credential) throw new BundleError('unauthorized', 'the agent has no credential for the console yet');
  const built = await buildBundle(options.sources, { ticketId: command.ticketId, requestedBy: command.requestedBy });
  const { bundle, gzipped } = packBundle(built, options.limits);
  const bundleId = await uploadBundle({
    server: credential.server,
    credential: credential.credential,
    commandId: command.commandId,
    gzipped,
    signal: options.signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.uploadTimeoutMs ? { timeoutMs: options.uploadTimeoutMs } : {}),
  });
  return {
    bundleId,
    sizeBytes: gzipped.length,
    sha256: createHash('sha256').update(gzipped).digest('hex'),
    createdAt: bundle.createdAt,
    redactions: bundle.redactions,
    truncated: bundle.truncated,
  };
}

function describeCounts(counts: BundleSummary['redactions']): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

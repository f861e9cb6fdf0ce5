// Cuts a bundle to its size caps (BUNDLE_MAX_JSON_BYTES before compression, BUNDLE_MAX_UPLOAD_BYTES
// gzipped) and says in `truncated` what was cut, least useful first: old agent log lines, then the
// longest file contents, then the raw exchanges of the reports, then OS events.
import { BUNDLE_MAX_JSON_BYTES, BUNDLE_MAX_UPLOAD_BYTES, type DiagnosticsBundle } from '@tillscope/shared';
import { gzipSync } from 'node:zlib';
import { BundleError } from './bundle-error';

export interface BundleLimits {
  maxJsonBytes: number;
  maxUploadBytes: number;
}

export interface PackedBundle {
  bundle: DiagnosticsBundle;
  /** the gzipped JSON: what is uploaded */
  gzipped: Buffer;
  jsonBytes: number;
}

const DEFAULT_LIMITS: BundleLimits = { maxJsonBytes: BUNDLE_MAX_JSON_BYTES, maxUploadBytes: BUNDLE_MAX_UPLOAD_BYTES };
/** Log lines kept before anything else is cut. */
const MIN_LOG_LINES = 100;
/** A file is not cut below this while others are longer. */
const MIN_FILE_CHARS = 16 * 1024;

/**
 * Fits the JSON cap, gzips, and when the gzipped form is still over its cap fits again to a
 * smaller JSON budget (in proportion, with a margin). Throws BundleError when even the bare
 * bundle is over (it cannot be: the caps are megabytes).
 */
export function packBundle(bundle: DiagnosticsBundle, limits: BundleLimits = DEFAULT_LIMITS): PackedBundle {
  let budget = limits.maxJsonBytes;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const fitted = fitJson(bundle, budget);
    const gzipped = gzipSync(fitted.json);
    if (gzipped.length <= limits.maxUploadBytes) return { bundle: fitted.bundle, gzipped, jsonBytes: Buffer.byteLength(fitted.json) };
    budget = Math.floor((Buffer.byteLength(fitted.json) * limits.maxUploadBytes * 0.9) / gzipped.length);
  }
  throw new BundleError('internal', `the bundle does not fit ${limits.maxUploadBytes} bytes gzipped`);
}

const size = (bundle: DiagnosticsBundle) => Buffer.byteLength(JSON.stringify(bundle));

/** A copy of `original` whose JSON is at most `budget` bytes, with a note for each part cut. */
export function fitJson(original: DiagnosticsBundle, budget: number): { bundle: DiagnosticsBundle; json: string } {
  const bundle: DiagnosticsBundle = { ...original, files: original.files.map((file) => ({ ...file })), truncated: [...original.truncated] };
  const fits = () => size(bundle) <= budget;
  const steps = [
    () => cutLog(bundle, original, fits, MIN_LOG_LINES),
    () => cutFiles(bundle, fits),
    () => dropExchanges(bundle),
    () => cutEvents(bundle, original, fits),
    () => cutLog(bundle, original, fits, 0),
    () => cutFiles(bundle, fits, 0),
  ];
  for (const step of steps) {
    if (fits()) break;
    const note = step();
    if (note) bundle.truncated = [...bundle.truncated.filter((n) => n.split(':')[0] !== note.split(':')[0]), note.slice(0, 200)].slice(-16);
  }
  const json = JSON.stringify(bundle);
  if (Buffer.byteLength(json) > budget) throw new BundleError('internal', `the bundle does not fit ${budget} bytes`);
  return { bundle, json };
}

function cutLog(bundle: DiagnosticsBundle, original: DiagnosticsBundle, fits: () => boolean, min: number): string | null {
  const total = original.agentLog.length;
  if (bundle.agentLog.length <= min) return null;
  while (!fits() && bundle.agentLog.length > min) {
    const keep = Math.max(min, Math.floor(bundle.agentLog.length / 2));
    bundle.agentLog = keep === 0 ? [] : bundle.agentLog.slice(-keep);
  }
  return `agentLog: kept the last ${bundle.agentLog.length} of ${total} lines`;
}

function cutFiles(bundle: DiagnosticsBundle, fits: () => boolean, min = MIN_FILE_CHARS): string | null {
  const cut = new Set<string>();
  while (!fits()) {
    const longest = bundle.files.reduce<(typeof bundle.files)[number] | undefined>(
      (best, file) => ((file.content?.length ?? 0) > (best?.content?.length ?? 0) ? file : best),
      undefined,
    );
    const length = longest?.content?.length ?? 0;
    if (!longest || length <= min || length === 0) break;
    longest.content = longest.content!.slice(0, Math.max(min, Math.floor(length / 2)));
    longest.truncated = true;
    cut.add(longest.name);
  }
  return cut.size ? `files: cut ${[...cut].join(', ')}` : null;
}

function dropExchanges(bundle: DiagnosticsBundle): string {
  const bare = (report: DiagnosticsBundle['host'][number]) => ({ ...report, evidence: { ...report.evidence, exchanges: [] } });
  bundle.host = bundle.host.map(bare);
  bundle.devices = bundle.devices.map(bare);
  return 'host, devices: raw exchanges left out';
}

function cutEvents(bundle: DiagnosticsBundle, original: DiagnosticsBundle, fits: () => boolean): string | null {
  if (bundle.osEvents.length === 0) return null;
  while (!fits() && bundle.osEvents.length > 0) bundle.osEvents = bundle.osEvents.slice(0, Math.floor(bundle.osEvents.length / 2));
  return `osEvents: kept the newest ${bundle.osEvents.length} of ${original.osEvents.length}`;
}

// Builds the diagnostics bundle (shared protocol/bundle.ts) from what the agent already knows, plus
// the configuration files the config names; every part is redacted (os/redact.ts) before it is put in.
import {
  DiagnosticsBundle,
  type AgentLogLine,
  type BundleFile,
  type DeviceReport,
  type InventoryItem,
  type OsEvent,
  type OutboxState,
} from '@tillscope/shared';
import { open } from 'node:fs/promises';
import type { z } from 'zod';
import { errorText } from '../logger';
import { createRedactor, type Redactor } from '../os/redact';

/** A file the config names (`host.configFiles`), by the name the console shows. */
export interface NamedFile {
  name: string;
  path: string;
}

/** The first `maxBytes + 1` bytes of a file (one more tells that it was longer). */
export type ReadHead = (file: string, maxBytes: number) => Promise<Buffer>;

export interface BundleSources {
  storeId: string;
  registerId: string;
  agentVersion: string;
  now: () => Date;
  /** The latest report of every device and host probe. */
  reports: () => DeviceReport[];
  inventory: () => InventoryItem[];
  logLines: () => AgentLogLine[];
  outboxState: () => Promise<OutboxState>;
  /** The agent's config as loaded: its secrets are removed here. */
  config: unknown;
  /** Where the config was read from (shown with it); default "agent config". */
  configPath?: string;
  configFiles: readonly NamedFile[];
  /** Default: node:fs, reading no more than asked. */
  readHead?: ReadHead;
  /** Cashier names to remove wherever they appear (besides the labelled ones redact.ts finds). */
  names?: readonly string[];
}

export interface BundleRequest {
  ticketId?: number | undefined;
  requestedBy?: string | undefined;
}

/** Per file, before redaction: what BundleFile.content takes. */
export const MAX_FILE_CHARS = 512 * 1024;
const MAX_CONFIG_FILES = 16;

/** The bundle, redacted and checked against its schema, not yet cut to size (fit-bundle.ts does). */
export async function buildBundle(sources: BundleSources, request: BundleRequest): Promise<DiagnosticsBundle> {
  const redactor = createRedactor({ names: sources.names ?? [] });
  const reports = sources.reports();
  const host = redactor.json(reports.filter((report) => report.kind === 'host').slice(0, 16)) as DeviceReport[];
  const devices = redactor.json(reports.filter((report) => report.kind !== 'host').slice(0, 64)) as DeviceReport[];
  const inventory = redactor.json(sources.inventory().slice(0, 64)) as InventoryItem[];
  const agentLog = sources.logLines().map((line) => ({ ...line, message: redactor.text(line.message) }));
  const files = [configFile(sources, redactor), ...(await readFiles(sources, redactor))];
  const draft = {
    format: 'tillscope-bundle/1',
    createdAt: sources.now().toISOString(),
    storeId: sources.storeId,
    registerId: sources.registerId,
    agentVersion: sources.agentVersion,
    ...(request.ticketId !== undefined ? { ticketId: request.ticketId } : {}),
    ...(request.requestedBy !== undefined ? { requestedBy: request.requestedBy } : {}),
    host,
    devices,
    inventory,
    agentLog: agentLog.slice(-2000),
    // the host-events probe's entries, already redacted with its report
    osEvents: host.flatMap((report): OsEvent[] => (report.host?.section === 'events' ? report.host.entries : [])).slice(0, 200),
    outbox: await sources.outboxState(),
    files,
    redactions: redactor.counts(),
    truncated: [],
  };
  return parseCuttingLongStrings(DiagnosticsBundle, draft);
}

/** The config with every secret-looking value replaced (the enrollment token, device passwords). */
function configFile(sources: BundleSources, redactor: Redactor): BundleFile {
  const content = JSON.stringify(redactor.json(sources.config), null, 2);
  return { name: 'agent config', path: (sources.configPath ?? 'agent config').slice(0, 300), content: content.slice(0, MAX_FILE_CHARS), truncated: content.length > MAX_FILE_CHARS };
}

async function readFiles(sources: BundleSources, redactor: Redactor): Promise<BundleFile[]> {
  const readHead = sources.readHead ?? readFileHead;
  const files: BundleFile[] = [];
  for (const file of sources.configFiles.slice(0, MAX_CONFIG_FILES)) {
    const base = { name: file.name.slice(0, 64), path: file.path.slice(0, 300) };
    try {
      const bytes = await readHead(file.path, MAX_FILE_CHARS);
      const cut = bytes.length > MAX_FILE_CHARS;
      const content = redactor.text(decodeText(cut ? bytes.subarray(0, MAX_FILE_CHARS) : bytes));
      files.push({ ...base, content: content.slice(0, MAX_FILE_CHARS), truncated: cut || content.length > MAX_FILE_CHARS });
    } catch (error) {
      files.push({ ...base, content: null, truncated: false, error: errorText(error).slice(0, 200) });
    }
  }
  return files;
}

/**
 * Config files on a Russian register are UTF-8, UTF-16 (with its BOM, Windows "Unicode") or
 * Windows-1251: text that is not valid UTF-8 is read as Windows-1251.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('windows-1251').decode(bytes);
    } catch {
      return new TextDecoder('utf-8').decode(bytes); // a Node without full ICU
    }
  }
}

export const readFileHead: ReadHead = async (file, maxBytes) => {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
};

/**
 * Parses `value`; a string over its schema's maximum (a placeholder is longer than the secret it
 * replaced) is cut to it and the parse tried again. Other failures throw.
 */
export function parseCuttingLongStrings<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const cuts = parsed.error.issues.filter((issue) => issue.code === 'too_big' && issue.origin === 'string');
    if (cuts.length !== parsed.error.issues.length) break;
    for (const issue of cuts) cutAt(value, issue.path, Number((issue as { maximum: number | bigint }).maximum));
  }
  return schema.parse(value);
}

function cutAt(root: unknown, path: readonly PropertyKey[], maximum: number): void {
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown>)[key];
  const last = path[path.length - 1]!;
  const container = parent as Record<PropertyKey, unknown>;
  const text = container[last];
  if (typeof text === 'string') container[last] = text.slice(0, maximum);
}

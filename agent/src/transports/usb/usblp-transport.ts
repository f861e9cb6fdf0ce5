// A USB printer through the Linux usblp character device /dev/usb/lpN: read/write on a
// non-blocking descriptor, read polled, so no libuv thread ever blocks on a silent printer.
import { constants as fsConstants } from 'node:fs';
import { open as fsOpen, stat as fsStat } from 'node:fs/promises';
import { errorText } from '../../logger';
import { TransportError, type TransportPort } from '../transport';
import { PolledPort } from './polled-port';

/** The part of a node:fs/promises FileHandle the usblp port uses. */
export interface UsblpFile {
  read(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesRead: number }>;
  write(buffer: Uint8Array): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

export interface UsblpDeps {
  /** opens the node read/write, non-blocking; default node:fs/promises open */
  open?: (path: string) => Promise<UsblpFile>;
  /** whether the node still exists (an unplugged printer's node is removed); default fs.stat */
  exists?: (path: string) => Promise<boolean>;
  /** pause between reads that found nothing (default 20 ms) */
  pollIntervalMs?: number;
  /** how long a write may wait for the printer to take bytes (default 2000 ms) */
  writeTimeoutMs?: number;
}

const O_FLAGS = fsConstants.O_RDWR | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0);
const defaultOpen = (path: string): Promise<UsblpFile> => fsOpen(path, O_FLAGS);
const defaultExists = (path: string): Promise<boolean> => fsStat(path).then(() => true, () => false);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const NOTHING_YET = new Set(['EAGAIN', 'EWOULDBLOCK']);

/**
 * Opens /dev/usb/lpN for one probe. usblp lets one program open a node at a time, so a node the POS
 * or CUPS holds fails with EBUSY: TransportError 'busy' (never waited for, never taken). A missing
 * node is 'absent' (unplugged, or the usblp module not loaded); no permission is 'cannot_connect'.
 */
export async function openUsblpTransport(path: string, signal?: AbortSignal, deps: UsblpDeps = {}): Promise<TransportPort> {
  if (signal?.aborted) throw new TransportError('canceled', `open ${path} canceled`);
  let file: UsblpFile;
  try {
    file = await (deps.open ?? defaultOpen)(path);
  } catch (error) {
    throw usblpOpenFailure(error, path);
  }
  if (signal?.aborted) {
    await file.close().catch(() => {});
    throw new TransportError('canceled', `open ${path} canceled`);
  }
  return new UsblpPort(file, path, { exists: deps.exists ?? defaultExists, pollIntervalMs: deps.pollIntervalMs ?? 20, writeTimeoutMs: deps.writeTimeoutMs ?? 2_000 });
}

export function usblpOpenFailure(error: unknown, path: string): TransportError {
  const code = errnoOf(error);
  const text = errorText(error);
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return new TransportError('absent', `${path} is not there (printer unplugged or off, or usblp not loaded): ${text}`, { cause: error });
  if (code === 'EBUSY') return new TransportError('busy', `${path} is held by another program (the POS application or CUPS): ${text}`, { cause: error });
  const hint = code === 'EACCES' || code === 'EPERM' ? ' (add the agent user to the lp group)' : '';
  return new TransportError('cannot_connect', `cannot open ${path}: ${text}${hint}`, { cause: error });
}

interface UsblpPortOptions {
  exists: (path: string) => Promise<boolean>;
  pollIntervalMs: number;
  writeTimeoutMs: number;
}

/** Contract: see TransportPort. A node that fails a read with ENODEV/EIO, or disappears, closes the port with TransportError('closed'). */
class UsblpPort extends PolledPort {
  constructor(
    private readonly file: UsblpFile,
    description: string,
    private readonly options: UsblpPortOptions,
  ) {
    super(description);
    this.polling = this.poll();
  }

  async write(data: Uint8Array): Promise<void> {
    const deadline = Date.now() + this.options.writeTimeoutMs;
    let sent = 0;
    while (sent < data.length) {
      if (!this.isOpen) throw new TransportError('closed', `${this.description} is closed`);
      try {
        sent += (await this.file.write(data.subarray(sent))).bytesWritten;
      } catch (error) {
        if (!NOTHING_YET.has(errnoOf(error) ?? '')) throw this.gone(error, 'write failed');
        if (Date.now() > deadline) throw new TransportError('timeout', `${this.description} took no data for ${this.options.writeTimeoutMs} ms`);
        await sleep(this.options.pollIntervalMs);
      }
    }
  }

  private async poll(): Promise<void> {
    const buffer = new Uint8Array(256);
    while (this.isOpen) {
      let bytesRead: number | undefined;
      try {
        ({ bytesRead } = await this.file.read(buffer, 0, buffer.length, null));
      } catch (error) {
        if (!this.isOpen) return;
        if (!NOTHING_YET.has(errnoOf(error) ?? '')) return void this.gone(error, 'read failed');
      }
      if (bytesRead) {
        this.events.emitData(buffer.slice(0, bytesRead));
        continue;
      }
      // usblp returns 0 for an empty USB packet, a hung-up tty for ever: only a vanished node is gone.
      if (bytesRead === 0 && !(await this.options.exists(this.description)) && this.isOpen) {
        return void this.gone(new Error('the device node disappeared'), 'was unplugged');
      }
      await sleep(this.options.pollIntervalMs);
    }
  }

  private gone(error: unknown, what: string): TransportError {
    return this.fail(new TransportError('closed', `${this.description} ${what}: ${errorText(error)}`, { cause: error }));
  }

  protected releaseHandle(): Promise<void> {
    return this.file.close();
  }
}

// The host probes' small persistent state (HostProbeStateStore): one JSON file per probe in
// `<dataDir>/host-state/`, so what a probe must remember across agent restarts (host-print's driver
// versions last seen) survives one. The agent's own data, never the register's.
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import type { HostProbeId } from '@tillscope/shared';
import type { HostProbeStateStore } from '../devices/host-probe';

/** The part of node:fs/promises the store uses; tests pass a real temp dir or a failing fake. */
export interface HostStateFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  writeFile(file: string, data: string, options: { mode: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true; mode?: number }): Promise<unknown>;
}

/** A state file larger than this is not read (a probe's state is a few KiB; anything larger is not ours). */
export const HOST_STATE_MAX_CHARS = 256 * 1024;

/**
 * The store of probe `id` in `<dataDir>/host-state/<id>.json`. `load` never rejects (a missing,
 * unreadable, oversized or corrupt file is undefined: the probe starts afresh); `save` writes a
 * temp file and renames it over the old one, so a power cut leaves one whole version.
 */
export function createHostStateStore(dataDir: string, id: HostProbeId, fs: HostStateFs = fsPromises): HostProbeStateStore & { readonly file: string } {
  const dir = path.join(dataDir, 'host-state');
  const file = path.join(dir, `${id}.json`);
  return {
    file,
    async load() {
      try {
        const text = await fs.readFile(file, 'utf8');
        return text.length > HOST_STATE_MAX_CHARS ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    async save(value) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temp, JSON.stringify(value), { mode: 0o600 });
      await fs.rename(temp, file);
    },
  };
}

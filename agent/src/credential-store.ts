import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const StoredCredential = z.object({
  agentId: z.string().min(1),
  credential: z.string().min(1),
  /** The server that issued it: a credential is never sent to a different server. */
  server: z.string().min(1),
});
export type StoredCredential = z.infer<typeof StoredCredential>;

/** The part of node:fs/promises the store uses; tests pass a fake to simulate failures. */
export interface CredentialFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  writeFile(file: string, data: string, options: { mode: number; flag?: string }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true; mode?: number }): Promise<unknown>;
  rm(file: string, options: { force: true }): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
}

/**
 * The agent's per-register credential, kept in `<dataDir>/credential.json`.
 *
 * - `load` resolves null when there is none or the file is unreadable/corrupt (the agent then
 *   re-enrolls if it can), never rejects;
 * - `save` replaces the file atomically (write to a temp file, then rename), so a power cut leaves
 *   either the old or the new credential, never half of one. The file is created with mode 0600.
 *   On Windows the mode is ignored (only the read-only bit maps); there the protection comes from
 *   installing dataDir under a folder whose ACL admits only the agent's service account.
 */
export interface CredentialStore {
  readonly file: string;
  load(): Promise<StoredCredential | null>;
  save(credential: StoredCredential): Promise<void>;
  clear(): Promise<void>;
}

export function createCredentialStore(dataDir: string, fs: CredentialFs = fsPromises): CredentialStore {
  const file = path.join(dataDir, 'credential.json');
  return {
    file,
    async load() {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        return null;
      }
      try {
        const parsed = StoredCredential.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async save(credential) {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      // 'w' with mode only applies the mode when the file is created; a leftover temp file from a
      // crash could have other bits, hence the explicit chmod.
      await fs.rm(temp, { force: true });
      await fs.writeFile(temp, JSON.stringify(StoredCredential.parse(credential)), { mode: 0o600, flag: 'wx' });
      await fs.chmod(temp, 0o600);
      await fs.rename(temp, file);
    },
    async clear() {
      await fs.rm(file, { force: true });
    },
  };
}

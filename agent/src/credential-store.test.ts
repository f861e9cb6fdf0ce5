import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from './credential-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cred-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('credential store', () => {
  it('saves atomically with mode 0600 and loads it back', async () => {
    const store = createCredentialStore(path.join(dir, 'data'));
    await store.save({ agentId: 'a1', credential: 'secret-1', server: 'https://c' });
    await store.save({ agentId: 'a1', credential: 'secret-2', server: 'https://c' });
    expect(await store.load()).toEqual({ agentId: 'a1', credential: 'secret-2', server: 'https://c' });
    expect(await readdir(path.join(dir, 'data'))).toEqual(['credential.json']);
    if (process.platform !== 'win32') expect((await stat(store.file)).mode & 0o777).toBe(0o600);
  });

  it('treats a missing or corrupt file as no credential', async () => {
    const store = createCredentialStore(dir);
    expect(await store.load()).toBeNull();
    await writeFile(store.file, '{"agentId": "a1", "credent');
    expect(await store.load()).toBeNull();
    await store.clear();
    expect(await store.load()).toBeNull();
  });
});

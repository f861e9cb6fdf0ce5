import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostStateStore, HOST_STATE_MAX_CHARS } from './host-state-store';

describe('host probe state store (a real temp dataDir)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tillscope-host-state-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps what was saved for a new store on the same dataDir (an agent restart)', async () => {
    const first = createHostStateStore(dataDir, 'host-print');
    expect(await first.load()).toBeUndefined();
    await first.save({ drivers: { 'EPSON TM-T20': '3.0.0.0' } });
    const afterRestart = createHostStateStore(dataDir, 'host-print');
    expect(await afterRestart.load()).toEqual({ drivers: { 'EPSON TM-T20': '3.0.0.0' } });
    expect(afterRestart.file).toBe(path.join(dataDir, 'host-state', 'host-print.json'));
    expect(JSON.parse(await readFile(afterRestart.file, 'utf8'))).toEqual({ drivers: { 'EPSON TM-T20': '3.0.0.0' } });
  });

  it('keeps each probe apart', async () => {
    await createHostStateStore(dataDir, 'host-print').save({ a: 1 });
    expect(await createHostStateStore(dataDir, 'host-peripherals').load()).toBeUndefined();
  });

  it('reads a corrupt or oversized file as nothing saved, and a save replaces it', async () => {
    const store = createHostStateStore(dataDir, 'host-print');
    await mkdir(path.dirname(store.file), { recursive: true });
    await writeFile(store.file, '{"drivers": {');
    expect(await store.load()).toBeUndefined();
    await writeFile(store.file, JSON.stringify({ pad: 'x'.repeat(HOST_STATE_MAX_CHARS) }));
    expect(await store.load()).toBeUndefined();
    await store.save({ ok: true });
    expect(await store.load()).toEqual({ ok: true });
  });

  it('leaves the old version whole when the write of the new one fails (save rejects, load gives the old)', async () => {
    const store = createHostStateStore(dataDir, 'host-print');
    await store.save({ version: 1 });
    const failing = createHostStateStore(dataDir, 'host-print', {
      readFile: (file, encoding) => readFile(file, encoding),
      mkdir: (dir, options) => mkdir(dir, options),
      // the disk fills halfway through: half the text lands in whatever file is being written
      writeFile: async (file, data) => {
        await writeFile(file, data.slice(0, data.length / 2));
        throw new Error('ENOSPC: no space left on device');
      },
      rename: () => Promise.reject(new Error('not reached')),
    });
    await expect(failing.save({ version: 2 })).rejects.toThrow('ENOSPC');
    expect(await store.load()).toEqual({ version: 1 });
  });
});

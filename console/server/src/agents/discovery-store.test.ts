import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DiscoveryResult } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { DISCOVERY_PENDING_MS, readDiscovery, saveDiscovery } from './discovery-store';

// The latest discovery per register on a real SQLite file: replaced by the next, pending while a
// request waits (not for ever), and an agent's refusal shown when it is newer than the result.

let dir: string;
let db: ConsoleDatabase;
const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const result = (target: string): DiscoveryResult => ({ startedAt: at(0), finishedAt: at(1), problems: [], ports: [{ transport: 'serial', target, classification: 'silent', steps: [] }] });

async function command(id: string, requestedAt: number, completed?: { at: number; code: string }): Promise<void> {
  await db.sql.run(
    "INSERT INTO commands (id, agent_id, verb, requested_by, requested_at, completed_at, result_code) VALUES (?, 'a1', 'discover', 'ivanov', ?, ?, ?)",
    id, at(requestedAt), completed ? at(completed.at) : null, completed?.code ?? null,
  );
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-discovery-'));
  db = await openConsoleDatabase(dir);
  await db.sql.run("INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at) VALUES ('a1', 's1', 'pos-1', 'h', 't')");
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('discovery store', () => {
  it('keeps the latest result per register, with who asked', async () => {
    await command('c1', 0, { at: 2, code: 'ok' });
    await saveDiscovery(db.sql, 'a1', 'c1', at(2), result('/dev/ttyS0'));
    await command('c2', 10, { at: 12, code: 'ok' });
    await saveDiscovery(db.sql, 'a1', 'c2', at(12), result('/dev/ttyUSB0'));
    const read = await readDiscovery(db.sql, 'a1', new Date(T0 + 20_000));
    expect(read.latest).toMatchObject({ commandId: 'c2', requestedBy: 'ivanov', receivedAt: at(12) });
    expect(read.latest?.result.ports.map((p) => p.target)).toEqual(['/dev/ttyUSB0']);
    expect(read.pending).toBeNull();
    expect(read.failed).toBeNull();
  });

  it('shows a request as pending until answered, but not once it is older than DISCOVERY_PENDING_MS', async () => {
    await command('c1', 0);
    expect((await readDiscovery(db.sql, 'a1', new Date(T0 + 5_000))).pending).toEqual({ commandId: 'c1', requestedBy: 'ivanov', requestedAt: at(0) });
    expect((await readDiscovery(db.sql, 'a1', new Date(T0 + DISCOVERY_PENDING_MS + 1_000))).pending).toBeNull();
  });

  it('shows an agent refusal newer than the latest result, not an older one', async () => {
    await command('c1', 0, { at: 1, code: 'unsupported' });
    expect((await readDiscovery(db.sql, 'a1', new Date(T0 + 5_000))).failed).toEqual({ commandId: 'c1', code: 'unsupported', completedAt: at(1) });
    await command('c2', 10, { at: 12, code: 'ok' });
    await saveDiscovery(db.sql, 'a1', 'c2', at(12), result('/dev/ttyS0'));
    expect((await readDiscovery(db.sql, 'a1', new Date(T0 + 20_000))).failed).toBeNull();
  });
});

// The command desk over a real ledger (SQLite file) with an in-memory outbox: what a resend gets
// while the command still runs, what happens when the database refuses the record, and the
// ledger's bound.
import { CommandStarted, type AgentMessage } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResultPayload } from '../link/link';
import { moduleLogger, silentLogger } from '../logger';
import type { OutboxMessage } from '../outbox/outbox';
import { openSqliteDb } from '../outbox/outbox-db';
import { createCommandDesk } from './command-desk';
import { openCommandLedger, type CommandLedger } from './command-ledger';

let dir: string;
let ledger: CommandLedger | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'command-desk-'));
});
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A desk whose commands finish when the test says so; records what it queued and sent live. */
async function deskWith(options: { failInserts?: boolean; keep?: number } = {}) {
  ledger = await openCommandLedger({
    file: path.join(dir, 'agent.db'),
    ...(options.keep ? { keep: options.keep } : {}),
    openDb: async (file) => {
      const db = await openSqliteDb(file);
      return options.failInserts ? { ...db, run: async (sql, ...params) => (sql.startsWith('INSERT') ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : db.run(sql, ...params)) } : db;
    },
  });
  const queued: OutboxMessage[] = [];
  const live: AgentMessage[] = [];
  const release = new Map<string, (result: CommandResultPayload) => void>();
  let runs = 0;
  const desk = createCommandDesk({
    ledger,
    outbox: { enqueue: async (message) => (queued.push(message), 'on_disk') },
    notify: () => undefined,
    run: (command) => {
      runs += 1;
      return new Promise((resolve) => release.set(command.commandId, resolve));
    },
    rules: () => ({ allow: ['probe_now', 'discover'], deviceKind: () => null, hostProbeIds: [] }),
    log: moduleLogger(silentLogger, 'actions'),
  });
  return { desk, queued, live, release, runs: () => runs };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('command desk', () => {
  it('answers a resend while the command runs with its command_started again, and runs it once', async () => {
    const { queued, live, release, runs, desk } = await deskWith();
    const sendLive = (message: { type: string; id: string }) => (live.push(message as AgentMessage), true);
    const first = desk.handle({ commandId: 'c-1', verb: 'discover' }, sendLive);
    await until(() => release.has('c-1'));
    await desk.handle({ commandId: 'c-1', verb: 'discover' }, sendLive);
    const started = live.map((message) => CommandStarted.parse(message).payload);
    expect(started).toHaveLength(2);
    expect(started[1]).toEqual(started[0]);
    expect(queued).toEqual([]);

    release.get('c-1')!({ commandId: 'c-1', ok: true, devices: [] });
    await first;
    await desk.handle({ commandId: 'c-1', verb: 'discover' }, sendLive);
    expect(runs()).toBe(1);
    expect(queued.map((m) => [m.type, m.payload])).toEqual([['command_result', { commandId: 'c-1', ok: true, devices: [] }]]);
    expect(live).toHaveLength(2);
  });

  it('refuses a command it cannot record (disk full) without running it', async () => {
    const { queued, live, runs, desk } = await deskWith({ failInserts: true });
    await desk.handle({ commandId: 'c-1', verb: 'probe_now' }, () => true);
    expect(runs()).toBe(0);
    expect(live).toEqual([]);
    expect(queued.map((m) => m.payload)).toEqual([
      { commandId: 'c-1', ok: false, code: 'not_saved', message: 'the register could not record the command (SQLITE_FULL: database or disk is full); not run' },
    ]);
  });

  it('keeps the last `keep` command ids: older answered ones are forgotten, so the table stays bounded', async () => {
    const { release, desk } = await deskWith({ keep: 3 });
    for (let i = 0; i < 10; i += 1) {
      const handled = desk.handle({ commandId: `c-${i}`, verb: 'probe_now' }, () => true);
      await until(() => release.has(`c-${i}`));
      release.get(`c-${i}`)!({ commandId: `c-${i}`, ok: true, devices: [] });
      await handled;
    }
    const db = await openSqliteDb(path.join(dir, 'agent.db'));
    const rows = await db.all<{ command_id: string }>('SELECT command_id FROM command_runs ORDER BY seq');
    await db.close();
    expect(rows.map((row) => row.command_id)).toEqual(['c-7', 'c-8', 'c-9']);
    expect(await ledger!.take('c-9', 'probe_now', new Date())).toEqual({ kind: 'done' });
  });
});

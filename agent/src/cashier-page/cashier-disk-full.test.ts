import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../create-agent';
import { startFakeConsoleServer, type FakeConsoleServer } from '../link/fake-console-server';
import { createTinyDisk, type TinyDisk } from '../test-support/tiny-disk';
import { waitFor } from '../test-support/wait-for';
import { request } from './http-test-client';
import { createTestAgent } from './test-agent';

// The cashier's promise on a full disk, through the real agent (page, outbox, link) and a real
// SQLite file that refuses to grow (tiny-disk.ts); then the same on a real tiny filesystem.

let dir: string;
let server: FakeConsoleServer | undefined;
const agents: Agent[] = [];
const ticket = { ticketId: 123, status: 'open', reactBy: new Date(Date.now() + 15 * 60_000).toISOString(), reactMinutes: 15 };
const report = { symptom: 'no_receipt', note: 'чек не идёт', locale: 'ru' };

async function stopAll(): Promise<void> {
  for (const agent of agents.splice(0)) await agent.stop();
  await server?.close();
  server = undefined;
}

/** A port with nothing listening: the console is down until a test starts it there. */
async function closedPort(): Promise<number> {
  const probe = await startFakeConsoleServer();
  await probe.close();
  return probe.port;
}

async function startAgent(port: number, extra: Parameters<typeof createTestAgent>[2]): Promise<string> {
  const agent = createTestAgent(dir, port, extra);
  agents.push(agent);
  await agent.start();
  return agent.cashierPageUrl()!;
}

async function consoleReturns(port: number): Promise<FakeConsoleServer> {
  server = await startFakeConsoleServer({ port, ticketFor: (frame) => (frame.type === 'cashier_report' ? (ticket as never) : undefined) });
  return server;
}

async function reportState(base: string, id: string): Promise<Record<string, unknown>> {
  return (await request(`${base}api/reports/${id}`)).json() as Record<string, unknown>;
}

describe('cashier report on a full disk (SQLite page limit)', () => {
  let disk: TinyDisk;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cashier-full-'));
    disk = createTinyDisk();
  });
  afterEach(async () => {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it('console down: the report lands in the released reserve, survives a restart and is sent when the console returns', async () => {
    const port = await closedPort();
    const seams = { reserveBytes: 64 * 1024, outbox: { openDb: disk.openDb }, reserveFs: disk.reserveFs };
    let base = await startAgent(port, seams);
    expect(existsSync(path.join(dir, 'reserve.bin'))).toBe(true);
    await disk.fill();

    const posted = await request(`${base}api/reports`, { method: 'POST', body: report });
    expect(posted.status).toBe(201);
    const { reportId } = posted.json() as { reportId: string };
    expect(existsSync(path.join(dir, 'reserve.bin'))).toBe(false);
    expect(await reportState(base, reportId)).toEqual({ state: 'queued', saved: true, working: null, connected: false });

    await agents.pop()!.stop();
    base = await startAgent(port, seams);
    expect(await reportState(base, reportId)).toMatchObject({ state: 'queued', saved: true });

    const console = await consoleReturns(port);
    await waitFor('ticket shown', async () => (await reportState(base, reportId)).state === 'delivered');
    expect(await reportState(base, reportId)).toMatchObject({ state: 'delivered', ticket: { ticketId: 123 } });
    expect(console.frames.filter((f) => f.type === 'cashier_report').map((f) => f.id)).toEqual([reportId]);
  });

  it('no reserve left: answers 503 not_saved (never 201), keeps retrying, stores the report when space returns and sends it', async () => {
    const port = await closedPort();
    const base = await startAgent(port, { reserveBytes: 0, outbox: { openDb: disk.openDb, retryEveryMs: 50 }, reserveFs: disk.reserveFs });
    await disk.fill();

    const posted = await request(`${base}api/reports`, { method: 'POST', body: report });
    expect(posted.status).toBe(503);
    const body = posted.json() as { code: string; reportId: string; registerId: string };
    expect(body).toMatchObject({ ok: false, code: 'not_saved', registerId: 'till-1' });
    expect(await reportState(base, body.reportId)).toEqual({ state: 'queued', saved: false, working: null, connected: false });

    await disk.free(1024 * 1024);
    await waitFor('stored once space returns', async () => (await reportState(base, body.reportId)).saved === true);
    const console = await consoleReturns(port);
    await waitFor('sent', async () => (await reportState(base, body.reportId)).state === 'delivered');
    expect(console.frames.filter((f) => f.type === 'cashier_report').map((f) => f.id)).toEqual([body.reportId]);
  });

  it('no reserve left but connected: says not saved, yet sends it from memory and shows the ticket', async () => {
    const port = await closedPort();
    // Acked by hand: an acked health row would leave free pages inside the database for the report.
    const console = await consoleReturns(port);
    console.autoAck = false;
    const base = await startAgent(port, { reserveBytes: 0, outbox: { openDb: disk.openDb }, reserveFs: disk.reserveFs });
    await waitFor('connected', async () => (await request(`${base}api/status`)).json().connected === true);
    await disk.fill();

    const posted = await request(`${base}api/reports`, { method: 'POST', body: report });
    expect(posted.status).toBe(503);
    const { reportId } = posted.json() as { reportId: string };
    await waitFor('sent from memory', () => console.frames.some((f) => f.id === reportId));
    console.ack(reportId, { ticket });
    await waitFor('delivered', async () => (await reportState(base, reportId)).state === 'delivered');
    expect(await reportState(base, reportId)).toMatchObject({ state: 'delivered', ticket: { ticketId: 123 } });
    expect(console.frames.filter((f) => f.type === 'cashier_report').map((f) => f.id)).toEqual([reportId]);
  });
});

/** Mounts a tmpfs of `bytes` on `target`; false where mounting is not allowed (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(target: string, bytes: number): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `file` until the filesystem says ENOSPC, in shrinking chunks, so not a page is left. */
async function fillFilesystem(file: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    for (const size of [256 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    await handle.close();
  }
}

const mountPoint = await mkdtemp(path.join(tmpdir(), 'tmpfs-probe-'));
const canMount = mountTmpfs(mountPoint, 1024 * 1024);
if (canMount) execFileSync('umount', [mountPoint]);
await rmdir(mountPoint);

describe.skipIf(!canMount)('cashier report on a real full filesystem (tmpfs; skipped where mounting is not allowed)', () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cashier-tmpfs-'));
    expect(mountTmpfs(dir, 3 * 1024 * 1024)).toBe(true);
  });
  afterEach(async () => {
    await stopAll();
    execFileSync('umount', [dir]);
    await rmdir(dir);
  });

  it('keeps the report through the reserve, says not saved once that is used up, and stores and sends both when space returns', async () => {
    const port = await closedPort();
    const seams = { reserveBytes: 512 * 1024, outbox: { retryEveryMs: 50 } };
    let base = await startAgent(port, seams);
    expect(existsSync(path.join(dir, 'reserve.bin'))).toBe(true);
    await fillFilesystem(path.join(dir, 'filler-1'));

    const saved = await request(`${base}api/reports`, { method: 'POST', body: report });
    expect(saved.status).toBe(201);
    const first = (saved.json() as { reportId: string }).reportId;
    expect(existsSync(path.join(dir, 'reserve.bin'))).toBe(false);

    await agents.pop()!.stop();
    base = await startAgent(port, seams);
    expect(await reportState(base, first)).toMatchObject({ state: 'queued', saved: true });

    await fillFilesystem(path.join(dir, 'filler-2'));
    const unsaved = await request(`${base}api/reports`, { method: 'POST', body: { ...report, note: 'x'.repeat(500) } });
    expect(unsaved.status).toBe(503);
    const second = (unsaved.json() as { reportId: string }).reportId;
    expect(await reportState(base, second)).toMatchObject({ state: 'queued', saved: false });

    await rm(path.join(dir, 'filler-1'));
    await rm(path.join(dir, 'filler-2'));
    await waitFor('stored once space returns', async () => (await reportState(base, second)).saved === true);
    await waitFor('reserve re-created', () => existsSync(path.join(dir, 'reserve.bin')));
    const console = await consoleReturns(port);
    await waitFor('both sent', () => console.frames.filter((f) => f.type === 'cashier_report').length >= 2);
    expect(console.frames.filter((f) => f.type === 'cashier_report').map((f) => f.id)).toEqual([first, second]);
  });
});

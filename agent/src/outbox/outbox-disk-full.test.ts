import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../logger';
import { fakeCashierReport, fakeHealth as health } from '../probe-loop/fake-driver';
import { createTinyDisk, type TinyDisk } from '../test-support/tiny-disk';
import { createDiskReserve } from './disk-reserve';
import { openOutbox, type Outbox } from './outbox';

// A disk that really fills: the SQLite file is real and refuses growth with its own SQLITE_FULL;
// the reserve is a real file whose deletion gives its pages back (test-support/tiny-disk.ts).

const cashier = fakeCashierReport;

const RESERVE_BYTES = 64 * 1024;
let dir: string;
let disk: TinyDisk;
const opened: Outbox[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outbox-full-'));
  disk = createTinyDisk();
});
afterEach(async () => {
  for (const outbox of opened.splice(0)) await outbox.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function open(logger = recordingLogger()): Promise<Outbox> {
  const reserve = createDiskReserve({ file: path.join(dir, 'reserve.bin'), bytes: RESERVE_BYTES, fs: disk.reserveFs, logger });
  // The retry timer is left to sleep: the tests retry by hand, so every step is deterministic.
  const outbox = await openOutbox({ file: path.join(dir, 'agent.db'), openDb: disk.openDb, reserve, logger, retryEveryMs: 3_600_000 });
  opened.push(outbox);
  return outbox;
}
const reserveFile = () => path.join(dir, 'reserve.bin');

describe('outbox on a full disk', () => {
  it('releases the reserve for a cashier report, never for health, and the report survives a reopen', async () => {
    const logger = recordingLogger();
    const outbox = await open(logger);
    expect(existsSync(reserveFile())).toBe(true);
    const before = health();
    expect(await outbox.enqueue(before)).toBe('on_disk');

    await disk.fill();
    const h1 = health();
    expect(await outbox.enqueue(h1)).toBe('in_memory');
    expect(existsSync(reserveFile())).toBe(true); // health never takes the reserve
    expect((await outbox.stats()).diskFull).toBe(true);

    const report = cashier('диск полон');
    expect(await outbox.enqueue(report)).toBe('on_disk');
    expect(existsSync(reserveFile())).toBe(false);
    expect(logger.lines.some((l) => l.startsWith('warn outbox:') && l.includes('released the') && l.includes('reserve'))).toBe(true);
    expect(await outbox.cashierReport(report.id)).toMatchObject({ state: 'queued', saved: true });

    // With the reserve's room free, health still stays in memory (the latest only): the room is for reports and acks.
    const free = await disk.freeBytes();
    const h2 = health();
    expect(await outbox.enqueue(h2)).toBe('in_memory');
    expect(await disk.freeBytes()).toBe(free);
    expect((await outbox.pending(10)).map((p) => p.id)).toEqual([report.id, before.id, h2.id]); // the cashier report first

    await outbox.close();
    opened.length = 0;
    const reopened = await open();
    expect((await reopened.pending(10)).map((p) => p.id)).toEqual([report.id, before.id]);
    expect(await reopened.cashierReport(report.id)).toMatchObject({ state: 'queued', saved: true });
  });

  it('holds a report in memory when even the reserve is used up, says so, and stores it once space returns', async () => {
    const outbox = await open();
    await disk.fill();
    const reports = [cashier('1'), cashier('2'.repeat(400))];
    // The first takes the reserve; the reserve's room then fills too.
    expect(await outbox.enqueue(reports[0]!)).toBe('on_disk');
    let filler = 0;
    for (; filler < 200 && (await outbox.enqueue(cashier('x'.repeat(400)))) === 'on_disk'; filler += 1);
    expect(filler).toBeLessThan(200);
    expect(await outbox.enqueue(reports[1]!)).toBe('in_memory');
    expect(await outbox.cashierReport(reports[1]!.id)).toMatchObject({ state: 'queued', saved: false });
    expect((await outbox.pending(500)).map((p) => p.id)).toContain(reports[1]!.id);

    await outbox.retryStorage(); // still full: still held, nothing lost
    expect(await outbox.cashierReport(reports[1]!.id)).toMatchObject({ saved: false });

    await disk.free(4 * RESERVE_BYTES);
    await outbox.retryStorage();
    expect(await outbox.cashierReport(reports[1]!.id)).toMatchObject({ state: 'queued', saved: true });
    expect(existsSync(reserveFile())).toBe(true); // re-created once the disk has room for it twice
    expect(await outbox.stats()).toMatchObject({ inMemory: 0, diskFull: false });
    expect(await outbox.enqueue(health())).toBe('on_disk');

    await outbox.close();
    opened.length = 0;
    const reopened = await open();
    const ids = (await reopened.pending(500)).map((p) => p.id);
    expect(ids).toContain(reports[0]!.id);
    expect(ids).toContain(reports[1]!.id);
  });

  it('records acks and tickets on a full disk: an acked message is not sent again and the ticket survives a reopen', async () => {
    const outbox = await open();
    const report = cashier();
    const h = health();
    await outbox.enqueue(report);
    await outbox.enqueue(h);
    await disk.fill();
    const ticket = { ticketId: 42, status: 'open' as const, reactBy: new Date().toISOString(), reactMinutes: 15 };
    await outbox.ack({ ackOf: report.id, ok: true, ticket });
    await outbox.ack({ ackOf: h.id, ok: true });
    expect(await outbox.updateTicket(report.id, { ...ticket, status: 'in_progress' })).toBe(true);
    expect(await outbox.pending(10)).toEqual([]);
    expect(await outbox.cashierReport(report.id)).toMatchObject({ state: 'delivered', ticket: { ticketId: 42, status: 'in_progress' } });

    await disk.free(4 * RESERVE_BYTES);
    await outbox.retryStorage();
    await outbox.close();
    opened.length = 0;
    const reopened = await open();
    expect(await reopened.pending(10)).toEqual([]);
    expect(await reopened.cashierReport(report.id)).toMatchObject({ state: 'delivered', saved: true, ticket: { ticketId: 42, status: 'in_progress' } });
  });

  it('writes the latest health snapshot again once the reserve is back', async () => {
    const outbox = await open();
    await disk.fill();
    await outbox.enqueue(cashier()); // takes the reserve
    const latest = [health(), health()];
    for (const h of latest) expect(await outbox.enqueue(h)).toBe('in_memory');
    await disk.free(RESERVE_BYTES); // not enough for the reserve and as much again
    await outbox.retryStorage();
    expect(await outbox.stats()).toMatchObject({ diskFull: true, inMemory: 1 });
    await disk.free(4 * RESERVE_BYTES);
    await outbox.retryStorage();
    expect(await outbox.stats()).toMatchObject({ diskFull: false, inMemory: 0 });
    expect((await outbox.pending(10)).map((p) => p.id)).toContain(latest[1]!.id);
    expect((await outbox.pending(10)).map((p) => p.id)).not.toContain(latest[0]!.id);
  });

  it('releases the reserve for the bookkeeping of an ack', async () => {
    const logger = recordingLogger();
    const outbox = await open(logger);
    const report = cashier();
    await outbox.enqueue(report);
    await disk.fill();
    const ticket = { ticketId: 7, status: 'open' as const, reactBy: new Date().toISOString(), reactMinutes: 15 };
    await outbox.ack({ ackOf: report.id, ok: true, ticket });
    expect(existsSync(reserveFile())).toBe(false);
    expect(logger.lines.some((l) => l.includes('writing the ack of'))).toBe(true);
    expect(await outbox.pending(10)).toEqual([]);
    expect(await outbox.stats()).toMatchObject({ rows: 0, inMemory: 0 });
    await outbox.close();
    opened.length = 0;
    const reopened = await open();
    expect(await reopened.pending(10)).toEqual([]);
    expect(await reopened.cashierReport(report.id)).toMatchObject({ state: 'delivered', ticket: { ticketId: 7 } });
  });

  it('holds an ack it cannot record: never sent again, shown delivered, recorded once the disk takes it', async () => {
    const logger = recordingLogger();
    const outbox = await open(logger);
    const report = cashier();
    const h = health();
    await outbox.enqueue(report);
    await outbox.enqueue(h);
    await disk.fill();
    await outbox.enqueue(cashier()); // takes the reserve
    await disk.fill(); // and now not a page is left: no change lands, not even a delete
    await outbox.ack({ ackOf: h.id, ok: true });
    const ticket = { ticketId: 8, status: 'open' as const, reactBy: new Date().toISOString(), reactMinutes: 15 };
    await outbox.ack({ ackOf: report.id, ok: true, ticket });
    expect((await outbox.pending(10)).map((p) => p.id)).not.toContain(h.id);
    expect((await outbox.pending(10)).map((p) => p.id)).not.toContain(report.id);
    expect(await outbox.cashierReport(report.id)).toMatchObject({ state: 'delivered', ticket: { ticketId: 8 } });
    expect((await outbox.stats()).rows).toBe(3);
    expect(logger.lines.filter((l) => l.includes('could not record the ack'))).toHaveLength(2);

    await disk.free(4 * RESERVE_BYTES);
    await outbox.retryStorage();
    expect((await outbox.stats()).rows).toBe(1);
    await outbox.close();
    opened.length = 0;
    const reopened = await open();
    expect(await reopened.pending(10)).toHaveLength(1);
    expect(await reopened.cashierReport(report.id)).toMatchObject({ state: 'delivered', saved: true, ticket: { ticketId: 8 } });
  });
});

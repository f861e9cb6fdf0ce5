import type { Health } from '@tillscope/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../logger';
import { fakeCashierReport, fakeHealth as health } from '../probe-loop/fake-driver';
import { openSqliteDb, type OutboxDb } from './outbox-db';
import { openOutbox } from './outbox';

const cashier = fakeCashierReport;

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  file = path.join(dir, 'agent.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('outbox', () => {
  it('keeps unacked messages, in order and with their ids, across close and reopen: the cashier report first', async () => {
    const first = await openOutbox({ file });
    const messages = [health(), cashier('бумага'), health()];
    for (const m of messages) await first.enqueue(m);
    await first.close();

    const second = await openOutbox({ file });
    const pending = await second.pending(10);
    expect(pending.map((p) => p.id)).toEqual([messages[1]!.id, messages[0]!.id, messages[2]!.id]);
    expect(JSON.parse(pending[0]!.body)).toEqual(messages[1]);
    // What is in flight is left out, and the limit counts what is left.
    expect((await second.pending(1, new Set([messages[1]!.id]))).map((p) => p.id)).toEqual([messages[0]!.id]);
    await second.close();
  });

  it('sends queued cashier reports most urgent first, then oldest first, before anything else; held ones too; across a restart', async () => {
    let failing = false;
    const failingDb = async (f: string): Promise<OutboxDb> => {
      const real = await openSqliteDb(f);
      return {
        ...real,
        run: (sql, ...params) => (failing && sql.startsWith('INSERT INTO outbox')
          ? Promise.reject(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }))
          : real.run(sql, ...params)),
      };
    };
    let tick = 0;
    const now = () => new Date(Date.UTC(2026, 11, 1, 0, 0, tick++));
    const outbox = await openOutbox({ file, openDb: failingDb, now });
    const h1 = health();
    const other = cashier('что-то странное', 'other');
    const scanner = cashier('сканер молчит', 'scanner');
    const feedback = { v: 1 as const, type: 'cashier_feedback' as const, id: '00000000-0000-4000-8000-00000000fb01', ts: now().toISOString(), payload: { reportId: other.id, ticketId: 5, working: true, answeredAt: now().toISOString() } };
    const fiscal = cashier('ККТ не пробивает', 'fiscal_error');
    const h2 = health();
    const receipt = cashier('чек не печатается', 'no_receipt');
    for (const m of [h1, other, scanner, feedback, fiscal, h2, receipt]) await outbox.enqueue(m);
    // The disk refuses the last one: held in memory, it still goes by its urgency and age.
    failing = true;
    const heldScanner = cashier('сканер снова', 'scanner');
    expect(await outbox.enqueue(heldScanner)).toBe('in_memory');

    const expected = [fiscal, receipt, scanner, heldScanner, other, h1, feedback, h2].map((m) => m.id);
    expect((await outbox.pending(20)).map((p) => p.id)).toEqual(expected);
    // The limit and what is in flight count the same way: the next two after the one in flight.
    expect((await outbox.pending(2, new Set([fiscal.id]))).map((p) => p.id)).toEqual([receipt.id, scanner.id]);
    expect((await outbox.pending(6)).map((p) => p.id)).toEqual(expected.slice(0, 6));

    failing = false;
    await outbox.retryStorage();
    await outbox.close();
    const reopened = await openOutbox({ file });
    expect((await reopened.pending(20)).map((p) => p.id)).toEqual(expected);
    await reopened.close();
  });

  it('state: stored rows by type, their bytes and the oldest queue time, for the diagnostics bundle', async () => {
    let at = '2026-11-30T10:00:00.000Z';
    const outbox = await openOutbox({ file, now: () => new Date(at) });
    expect(await outbox.state()).toEqual({ rows: 0, bytes: 0, oldestAt: null, byType: {} });
    const h = health();
    at = '2026-11-30T10:00:01.000Z';
    await outbox.enqueue(h);
    at = '2026-11-30T10:00:02.000Z';
    await outbox.enqueue(cashier());
    at = '2026-11-30T10:00:03.000Z';
    await outbox.enqueue(health());
    const state = await outbox.state();
    expect(state).toMatchObject({ rows: 3, oldestAt: '2026-11-30T10:00:01.000Z', byType: { health: 2, cashier_report: 1 } });
    expect(state.bytes).toBe((await outbox.stats()).bytes);
    await outbox.ack({ ackOf: h.id, ok: true });
    expect(await outbox.state()).toMatchObject({ rows: 2, oldestAt: '2026-11-30T10:00:02.000Z', byType: { health: 1, cashier_report: 1 } });
    await outbox.close();
  });

  it('deletes a message on ack (ok or refused) and records the ticket of a cashier report', async () => {
    const outbox = await openOutbox({ file });
    const h = health();
    const refused = health();
    const report = cashier();
    await outbox.enqueue(h);
    await outbox.enqueue(refused);
    await outbox.enqueue(report);
    expect((await outbox.cashierReport(report.id))?.state).toBe('queued');

    const ticket = { ticketId: 123, status: 'open' as const, reactBy: new Date().toISOString(), reactMinutes: 15 };
    await outbox.ack({ ackOf: h.id, ok: true });
    await outbox.ack({ ackOf: refused.id, ok: false, code: 'bad_request', message: 'no' });
    await outbox.ack({ ackOf: report.id, ok: true, ticket });

    expect(await outbox.pending(10)).toEqual([]);
    expect(await outbox.cashierReport(report.id)).toMatchObject({ state: 'delivered', ticket });
    expect((await outbox.stats()).rows).toBe(0);
    await outbox.close();

    const reopened = await openOutbox({ file });
    expect(await reopened.cashierReport(report.id)).toMatchObject({ state: 'delivered', ticket });
    await reopened.close();
  });

  it('applies ticket updates by report id or by ticket id, and records the cashier answer', async () => {
    const outbox = await openOutbox({ file });
    const report = cashier();
    await outbox.enqueue(report);
    const ticket = { ticketId: 7, status: 'open' as const, reactBy: new Date().toISOString(), reactMinutes: 30 };
    await outbox.ack({ ackOf: report.id, ok: true, ticket });
    expect(await outbox.updateTicket(undefined, { ...ticket, status: 'in_progress' })).toBe(true);
    expect((await outbox.cashierReport(report.id))?.ticket?.status).toBe('in_progress');
    expect(await outbox.updateTicket(report.id, { ...ticket, status: 'resolved' })).toBe(true);
    expect((await outbox.cashierReport(report.id))?.ticket?.status).toBe('resolved');
    expect(await outbox.updateTicket(undefined, { ...ticket, ticketId: 999 })).toBe(false);

    expect(await outbox.recordAnswer(report.id, true)).toBe(true);
    expect((await outbox.cashierReport(report.id))?.working).toBe(true);
    expect(await outbox.recordAnswer('unknown-id', true)).toBe(false);
    await outbox.close();
  });

  it('drops the oldest health snapshots beyond the row cap, counts them, and keeps every cashier report', async () => {
    const outbox = await openOutbox({ file, maxHealthRows: 5 });
    const reports = [cashier('1'), cashier('2'), cashier('3')];
    const healths: Health[] = [];
    for (let i = 0; i < 10; i += 1) {
      const h = health();
      healths.push(h);
      await outbox.enqueue(h);
      if (i % 4 === 0) await outbox.enqueue(reports[i / 4]!);
    }
    const pending = await outbox.pending(100);
    expect(pending.filter((p) => p.type === 'cashier_report').map((p) => p.id)).toEqual(reports.map((r) => r.id));
    expect(pending.filter((p) => p.type === 'health').map((p) => p.id)).toEqual(healths.slice(5).map((h) => h.id));
    expect((await outbox.stats()).dropped).toBe(5);
    await outbox.close();
    expect((await (await openOutbox({ file })).stats()).dropped).toBe(5);
  });

  it('keeps the byte bound by dropping health only', async () => {
    const size = JSON.stringify(health()).length;
    const outbox = await openOutbox({ file, maxBytes: size * 3 + 10 });
    const report = cashier('x'.repeat(400));
    await outbox.enqueue(report);
    for (let i = 0; i < 6; i += 1) await outbox.enqueue(health());
    const stats = await outbox.stats();
    expect(stats.bytes).toBeLessThanOrEqual(size * 3 + 10);
    expect((await outbox.pending(100)).some((p) => p.id === report.id)).toBe(true);
    expect(stats.dropped).toBeGreaterThan(0);
    await outbox.close();
  });

  it('survives a database that refuses inserts (disk full): holds messages in memory, then stores them in order', async () => {
    let failing = false;
    const failingDb = async (f: string): Promise<OutboxDb> => {
      const real = await openSqliteDb(f);
      return {
        ...real,
        run: (sql, ...params) => {
          if (failing && sql.startsWith('INSERT INTO outbox')) {
            return Promise.reject(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }));
          }
          return real.run(sql, ...params);
        },
      };
    };
    const logger = recordingLogger();
    const outbox = await openOutbox({ file, openDb: failingDb, logger });
    const before = health();
    await outbox.enqueue(before);

    failing = true;
    const during = [cashier('пока диск полон'), health()];
    for (const m of during) await expect(outbox.enqueue(m)).resolves.toBe('in_memory');
    expect(logger.lines.some((l) => l.startsWith('error outbox:') && l.includes('disk is full'))).toBe(true);
    expect((await outbox.stats()).inMemory).toBe(2);
    // Still sendable while only in memory, and still visible to the cashier page.
    expect((await outbox.pending(10)).map((p) => p.id)).toEqual([during[0]!.id, before.id, during[1]!.id]);
    expect((await outbox.cashierReport(during[0]!.id))?.state).toBe('queued');

    failing = false;
    const after = health();
    await outbox.enqueue(after);
    expect((await outbox.stats()).inMemory).toBe(0);
    await outbox.close();

    const reopened = await openOutbox({ file });
    expect((await reopened.pending(10)).map((p) => p.id)).toEqual([during[0]!.id, before.id, during[1]!.id, after.id]);
    expect((await reopened.cashierReport(during[0]!.id))?.state).toBe('queued');
    await reopened.close();
  });

  it('holds only the latest health snapshot in memory (a snapshot is the whole state), never drops cashier reports', async () => {
    const refusing = async (f: string): Promise<OutboxDb> => {
      const real = await openSqliteDb(f);
      return { ...real, run: (sql, ...params) => (sql.startsWith('INSERT INTO outbox') ? Promise.reject(new Error('SQLITE_FULL')) : real.run(sql, ...params)) };
    };
    const outbox = await openOutbox({ file, openDb: refusing });
    const report = cashier();
    expect(await outbox.enqueue(report)).toBe('in_memory');
    const healths = [health(), health(), health()];
    for (const h of healths) expect(await outbox.enqueue(h)).toBe('in_memory');
    expect((await outbox.pending(100)).map((p) => p.id)).toEqual([report.id, healths[2]!.id]);
    expect(await outbox.stats()).toMatchObject({ inMemory: 2, dropped: 2, diskFull: true });
    expect(await outbox.cashierReport(report.id)).toMatchObject({ state: 'queued', saved: false });
    await outbox.close();
  });

  it('refuses a message that does not match its schema (it would get the connection closed)', async () => {
    const outbox = await openOutbox({ file });
    const bad = { ...health(), id: 'has spaces' };
    await expect(outbox.enqueue(bad)).rejects.toThrow();
    expect(await outbox.pending(10)).toEqual([]);
    await outbox.close();
  });
});

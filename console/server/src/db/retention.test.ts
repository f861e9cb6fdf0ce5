import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase } from './console-database';
import { runMultiRow } from './multi-row';
import { sweepRetention } from './retention';

let dir: string;
let db: ConsoleDatabase;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-retention-'));
  db = await openConsoleDatabase(dir);
  await db.write((sql) => sql.run("INSERT INTO agents (id, store_id, register_id, credential_hash, enrolled_at) VALUES ('a', 's', 'r', 'x', '2026-01-01T00:00:00.000Z')"));
});

afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

/** `count` rows per day, oldest first, as ingest appends them. */
async function appendDays(days: string[], count: number) {
  const processed: unknown[][] = [];
  const reports: unknown[][] = [];
  for (const day of days) {
    for (let index = 0; index < count; index += 1) {
      const at = `${day}T10:00:00.000Z`;
      processed.push(['a', `${day}-${index}`, 'health', null, at]);
      reports.push(['a', 'printer-1', `${day}-${index}`, at, at, 'ok', '{}']);
    }
  }
  await db.write(async (sql) => {
    await runMultiRow(sql, 'INSERT INTO processed_messages (agent_id, msg_id, type, ticket_id, processed_at)', 5, processed);
    await runMultiRow(sql, 'INSERT INTO device_reports (agent_id, device_id, msg_id, received_at, probed_at, health, report_json)', 7, reports);
  });
}

describe('retention sweep', () => {
  it('deletes rows older than each cut-off, in chunks, and keeps the rest', async () => {
    await appendDays(['2026-08-01', '2026-11-01', '2026-11-20', '2026-11-22'], 6_000);
    const deleted = await sweepRetention(db, new Date('2026-11-22T12:00:00.000Z'), { processedMessagesHours: 48, deviceReportsDays: 90, bundlesDays: 90 });
    expect(deleted).toEqual({ processedMessages: 18_000, deviceReports: 6_000, bundles: 0 });
    expect(await db.sql.get("SELECT MIN(processed_at) AS oldest, COUNT(*) AS n FROM processed_messages")).toEqual({ oldest: '2026-11-22T10:00:00.000Z', n: 6_000 });
    expect(await db.sql.get("SELECT MIN(received_at) AS oldest, COUNT(*) AS n FROM device_reports")).toEqual({ oldest: '2026-11-01T10:00:00.000Z', n: 18_000 });
  });

  it('empties a table whose every row is past the cut-off, and does nothing to an empty one', async () => {
    await appendDays(['2026-01-01'], 10);
    expect(await sweepRetention(db, new Date('2026-11-22T12:00:00.000Z'), { processedMessagesHours: 1, deviceReportsDays: 1, bundlesDays: 1 })).toEqual({ processedMessages: 10, deviceReports: 10, bundles: 0 });
    expect(await sweepRetention(db, new Date('2026-11-22T12:00:00.000Z'), { processedMessagesHours: 1, deviceReportsDays: 1, bundlesDays: 1 })).toEqual({ processedMessages: 0, deviceReports: 0, bundles: 0 });
  });

  it('deletes diagnostics bundles received before their cut-off', async () => {
    await db.write(async (sql) => {
      for (const [id, at] of [['bnd-old', '2026-08-01T10:00:00.000Z'], ['bnd-new', '2026-11-20T10:00:00.000Z']]) {
        await sql.run(
          `INSERT INTO bundles (id, agent_id, command_id, ticket_id, requested_by, created_at, received_at, size_bytes, sha256, redactions_json, truncated_json, content)
           VALUES (?, 'a', ?, NULL, 'eve', ?, ?, 3, ?, '{}', '[]', x'1f8b08')`,
          id, `cmd-${id}`, at, at, 'a'.repeat(64),
        );
      }
    });
    expect(await sweepRetention(db, new Date('2026-11-22T12:00:00.000Z'), { processedMessagesHours: 48, deviceReportsDays: 90, bundlesDays: 90 })).toMatchObject({ bundles: 1 });
    expect(await db.sql.all('SELECT id FROM bundles')).toEqual([{ id: 'bnd-new' }]);
  });
});

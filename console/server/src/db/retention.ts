import type { ConsoleDatabase } from './console-database';

/**
 * How long append-only rows are kept. processed_messages only has to outlive an agent's resend of
 * a message whose ack was lost (the next connection, normally seconds later); device_reports is
 * history for people. Both grow with every report, so both are swept. Diagnostics bundles (up to
 * 1 MiB each) are kept as long as device history.
 */
export interface RetentionPolicy {
  processedMessagesHours: number;
  deviceReportsDays: number;
  bundlesDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { processedMessagesHours: 7 * 24, deviceReportsDays: 90, bundlesDays: 90 };

/** Rows deleted per transaction: short enough that ingest commits are never held up for long. */
const DELETE_CHUNK = 5_000;

interface SweptTable {
  table: 'processed_messages' | 'device_reports' | 'bundles';
  timeColumn: 'processed_at' | 'received_at';
}

/**
 * Deletes rows older than the cut-off, oldest first, in short transactions. Rows are appended in
 * time order, so "older than the cut-off" is "below the rowid of the first row to keep", found by
 * walking rowids from the start: it reads only the rows about to go, and needs no time index
 * (which every insert would have to maintain).
 */
async function sweepTable(db: ConsoleDatabase, { table, timeColumn }: SweptTable, cutoffIso: string): Promise<number> {
  const firstKept = await db.sql.get<{ id: number }>(`SELECT rowid AS id FROM ${table} WHERE ${timeColumn} >= ? ORDER BY rowid LIMIT 1`, cutoffIso);
  const bound = firstKept?.id ?? ((await db.sql.get<{ id: number | null }>(`SELECT MAX(rowid) AS id FROM ${table}`))?.id ?? 0) + 1;
  let deleted = 0;
  for (;;) {
    const result = await db.write((sql) => sql.run(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE rowid < ? ORDER BY rowid LIMIT ?)`, bound, DELETE_CHUNK,
    ));
    deleted += result.changes ?? 0;
    if ((result.changes ?? 0) < DELETE_CHUNK) return deleted;
  }
}

export async function sweepRetention(db: ConsoleDatabase, now: Date, policy: RetentionPolicy): Promise<{ processedMessages: number; deviceReports: number; bundles: number }> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  return {
    processedMessages: await sweepTable(db, { table: 'processed_messages', timeColumn: 'processed_at' }, before(policy.processedMessagesHours * 3_600_000)),
    deviceReports: await sweepTable(db, { table: 'device_reports', timeColumn: 'received_at' }, before(policy.deviceReportsDays * 86_400_000)),
    bundles: await sweepTable(db, { table: 'bundles', timeColumn: 'received_at' }, before(policy.bundlesDays * 86_400_000)),
  };
}

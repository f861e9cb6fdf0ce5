import { CATALOGUE, DiagnosisCode } from '@tillscope/shared';
import { z } from 'zod';
import type { ConsoleDatabase, SqlConnection } from '../db/console-database';
import { OPEN_STATUSES } from '../db/rows';
import { suppressUnderMaintenance } from '../maintenance/maintenance-check';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { TicketPipeline } from '../tickets/stages/pipeline';
import { findOpen } from '../tickets/ticket-store';
import { HeldFinding } from './noise-hold';
import { holdSecOf, type NoiseSettingsSource } from './noise-settings';

export interface HoldSweepDeps {
  db: ConsoleDatabase;
  pipeline: TicketPipeline;
  noise: NoiseSettingsSource;
  bus: ChangeBus;
  now: () => Date;
}

export interface HoldSweepOutcome {
  /** held findings still present after their hold: their tickets opened (or reopened) */
  opened: number;
  /** flapping tickets calm for `calmSec`: resolved themselves */
  settled: number;
}

const PresentRow = z.object({ agent_id: z.string(), device_id: z.string(), code: DiagnosisCode, first_seen_at: z.string(), report_json: z.string() });

/**
 * The hold's periodic pass, for conditions no new report speaks of: a held finding still present
 * when its hold is over opens its ticket; cleared ones older than the flap window are forgotten;
 * a flapping ticket whose finding stayed away for `calmSec` resolves itself.
 */
export async function sweepHeldFindings({ db, pipeline, noise, bus, now }: HoldSweepDeps): Promise<HoldSweepOutcome> {
  const changes = new ChangeSet();
  const outcome = await db.write(async (sql) => {
    const settings = await noise.current(sql);
    const nowMs = now().getTime();
    const opened = await openHeldLongEnough(sql, pipeline, (code) => holdSecOf(settings, code), nowMs, changes);
    await sql.run('DELETE FROM pending_findings WHERE present = 0 AND cleared_at <= ?', new Date(nowMs - settings.flapWindowSec * 1000).toISOString());
    const settled = await settleCalmFlapping(sql, pipeline, new Date(nowMs - settings.calmSec * 1000).toISOString(), changes);
    return { opened, settled };
  });
  bus.publish(changes);
  return outcome;
}

async function openHeldLongEnough(
  sql: SqlConnection, pipeline: TicketPipeline, holdSecOfCode: (code: DiagnosisCode) => number, nowMs: number, changes: ChangeSet,
): Promise<number> {
  const rows = (await sql.all<unknown[]>('SELECT agent_id, device_id, code, first_seen_at, report_json FROM pending_findings WHERE present = 1'))
    .map((raw) => PresentRow.parse(raw))
    .filter((row) => Date.parse(row.first_seen_at) + holdSecOfCode(row.code) * 1000 <= nowMs);
  let opened = 0;
  for (const row of rows) {
    await sql.run('DELETE FROM pending_findings WHERE agent_id = ? AND device_id = ? AND code = ?', row.agent_id, row.device_id, row.code);
    if (await findOpen(sql, row.agent_id, row.device_id, row.code)) continue;
    const held = HeldFinding.parse(JSON.parse(row.report_json));
    // A window that began while it was held holds it back (counted on the window); after the window a report holds it afresh.
    if (await suppressUnderMaintenance(sql, held, new Date(nowMs).toISOString())) continue;
    // Nothing to merge into (no open ticket): the finding opens or reopens as an event of the sweep.
    await pipeline.admitted(sql, { ...held, foundAt: row.first_seen_at, source: { kind: 'event' } }, false, changes);
    opened += 1;
  }
  return opened;
}

async function settleCalmFlapping(sql: SqlConnection, pipeline: TicketPipeline, calmSince: string, changes: ChangeSet): Promise<number> {
  const rows = await sql.all<{ id: number; agent_id: string; code: DiagnosisCode }[]>(
    `SELECT id, agent_id, code FROM tickets WHERE status IN ${OPEN_STATUSES} AND flapping = 1 AND active = 0 AND touched = 0 AND updated_at <= ?`,
    calmSince,
  );
  const calm = rows.filter((row) => CATALOGUE[row.code].autoResolve);
  for (const row of calm) {
    await pipeline.stages.openUpdate.resolveItself(sql, row.id);
    pipeline.stages.notify.ticketChanged(changes, row.id, row.agent_id, true);
  }
  return calm.length;
}

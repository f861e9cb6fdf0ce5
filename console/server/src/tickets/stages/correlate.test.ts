import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { findOpen } from '../ticket-store';
import { standAlone, type CorrelateStage } from './correlate';
import type { TicketFinding } from './finding';
import { createTicketPipeline } from './pipeline';

let t: TicketTestDb;
beforeEach(async () => {
  t = await openTicketTestDb(2);
});
afterEach(() => t.dispose());

describe('correlate stage', () => {
  it('today makes every ticket stand alone', async () => {
    expect(await t.db.write((sql) => standAlone.parentOf(sql, paperEndFinding(t.agentIds[0]!), new ChangeSet()))).toBeNull();
  });

  it('is asked once per new ticket, never for a repeat on an open one', async () => {
    const asked: TicketFinding[] = [];
    const correlate: CorrelateStage = { parentOf: (_sql, finding) => (asked.push(finding), Promise.resolve(null)) };
    const pipeline = createTicketPipeline({ now: t.clock.now, fiscal: new FiscalTracker(t.clock.now), correlate });
    const [a, b] = t.agentIds as [string, string];
    await t.db.write(async (sql) => {
      const changes = new ChangeSet();
      await pipeline.present(sql, paperEndFinding(a), undefined, changes);
      await pipeline.present(sql, paperEndFinding(b), undefined, changes);
    });
    await t.db.write(async (sql) => {
      await pipeline.present(sql, paperEndFinding(a), await findOpen(sql, a, 'printer-1', 'printer.paper_end'), new ChangeSet());
    });
    expect(asked.map((finding) => finding.agentId)).toEqual([a, b]);
  });

  it('gives the new ticket the parent the stage answers', async () => {
    const [a, b] = t.agentIds as [string, string];
    let parent: number | null = null;
    const pipeline = createTicketPipeline({ now: t.clock.now, fiscal: new FiscalTracker(t.clock.now), correlate: { parentOf: () => Promise.resolve(parent) } });
    parent = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(a), undefined, new ChangeSet()));
    const child = await t.db.write((sql) => pipeline.present(sql, paperEndFinding(b), undefined, new ChangeSet()));
    expect(await t.db.sql.get('SELECT parent_id, scope FROM tickets WHERE id = ?', child)).toEqual({ parent_id: parent, scope: 'register' });
  });
});

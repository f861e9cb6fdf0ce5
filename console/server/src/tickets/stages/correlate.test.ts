import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TicketRow } from '../../db/rows';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
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
      const open = await sql.get('SELECT t.*, a.store_id, a.register_id, a.fiscal_blocking_at, a.fiscal_blocking_reason, a.fiscal_blocking_device FROM tickets t JOIN agents a ON a.id = t.agent_id WHERE t.agent_id = ?', a);
      await pipeline.present(sql, paperEndFinding(a), TicketRow.parse(open), new ChangeSet());
    });
    expect(asked.map((finding) => finding.agentId)).toEqual([a, b]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FiscalTracker } from '../../fiscal/fiscal-tracker';
import { openTicketTestDb, paperEndFinding, type TicketTestDb } from '../../test-support/ticket-db';
import { ChangeSet } from '../change-set';
import { openAtOnce, type HoldStage } from './hold';
import { createTicketPipeline } from './pipeline';

let t: TicketTestDb;
beforeEach(async () => {
  t = await openTicketTestDb();
});
afterEach(() => t.dispose());

describe('hold stage', () => {
  it('today lets every finding open at once', async () => {
    expect(await t.db.write((sql) => openAtOnce.admit(sql, paperEndFinding(t.agentIds[0]!), new ChangeSet()))).toBe('open');
  });

  it('is the seam a hold plugs into: what it holds opens nothing until it lets it through', async () => {
    const seen: string[] = [];
    let verdict: 'open' | 'held' = 'held';
    const hold: HoldStage = { ...openAtOnce, admit: (_sql, finding) => (seen.push(finding.code), Promise.resolve(verdict)) };
    const pipeline = createTicketPipeline({ now: t.clock.now, fiscal: new FiscalTracker(t.clock.now), hold });
    const finding = paperEndFinding(t.agentIds[0]!);
    expect(await t.db.write((sql) => pipeline.present(sql, finding, undefined, new ChangeSet()))).toBeNull();
    verdict = 'open';
    expect(await t.db.write((sql) => pipeline.present(sql, finding, undefined, new ChangeSet()))).toBeTypeOf('number');
    expect(seen).toEqual(['printer.paper_end', 'printer.paper_end']);
    expect((await t.db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))?.n).toBe(1);
  });
});

import type { ConsoleDatabase } from '../db/console-database';
import { ChangeSet, type ChangeBus } from '../tickets/change-set';
import type { FiscalTracker } from './fiscal-tracker';

export interface FiscalSweepDeps {
  db: ConsoleDatabase;
  fiscal: FiscalTracker;
  bus: ChangeBus;
}

/**
 * Raises and brings forward fiscal tickets whose register's blocking date came nearer while the
 * register reported nothing new (fiscal-deadlines.ts). Returns how many tickets changed.
 */
export async function sweepFiscalDeadlines({ db, fiscal, bus }: FiscalSweepDeps): Promise<number> {
  const changes = new ChangeSet();
  const changed = await db.write((sql) => fiscal.sweepDeadlines(sql, changes));
  bus.publish(changes);
  return changed;
}

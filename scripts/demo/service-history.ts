// The second line's past in the demo: two more engineers (so KPIs slice by engineer), the knowledge
// base's articles and templates (kb-seed.ts), and five weeks of tickets (kpi-history.ts) on the
// demo's registers, written through the console's rules, their fixes naming those articles.
// Resolves with the lines the demo prints.
import { Me } from '@tillscope/shared';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import type { Stack } from '../lib/stack';
import type { ConsoleApi } from './console-api';
import { seedAwaitingAnswers } from './awaiting-answer';
import { seedKnowledgeBase } from './kb-seed';
import { KPI_HISTORY, planKpiHistory, type HistoryRegister } from './kpi-history';
import { writeKpiHistory, type HistoryWritten } from './kpi-history-writer';
import { waitForAgent } from './paper-history';

/** The demo's other engineers: their past work fills the KPI slices by engineer. */
export const DEMO_ENGINEERS = [
  { username: 'ivanova', password: 'ivanova-demo', displayName: 'Мария Иванова', role: 'engineer' as const, groups: ['printers', 'hardware'] },
  { username: 'petrov', password: 'petrov-demo', displayName: 'Алексей Петров', role: 'engineer' as const, groups: ['fiscal', 'network'] },
];

async function createEngineers(admin: ConsoleApi): Promise<string> {
  for (const engineer of DEMO_ENGINEERS) await admin.send('POST', '/api/users', engineer, (v) => Me.parse(v));
  return `engineers: ${DEMO_ENGINEERS.map((e) => `${e.username} / ${e.password}`).join(', ')} (besides the demo engineer)`;
}

/** Each demo register that has enrolled, with what its devices are. */
async function historyRegisters(stack: Stack, consoleDataDir: string): Promise<HistoryRegister[]> {
  const db = await openConsoleDatabase(consoleDataDir);
  try {
    const registers: HistoryRegister[] = [];
    for (const { key, spec } of stack.registers.values()) {
      const agentId = await waitForAgent(db.sql, spec, Date.now() + 30_000);
      if (agentId) registers.push({ key, agentId, printerModel: spec.model, ...(spec.fiscal ? { fiscalModel: spec.fiscal.model } : {}) });
    }
    return registers;
  } finally {
    await db.close();
  }
}

export interface ServiceHistory {
  lines: string[];
  written?: HistoryWritten;
}

export async function seedServiceHistory(options: { stack: Stack; consoleDataDir: string; admin: ConsoleApi; engineer: ConsoleApi; now: Date }): Promise<ServiceHistory> {
  const lines = [await createEngineers(options.admin)];
  const knowledge = await seedKnowledgeBase(options.engineer);
  lines.push(knowledge.line);
  const registers = await historyRegisters(options.stack, options.consoleDataDir);
  const db = await openConsoleDatabase(options.consoleDataDir);
  try {
    const written = await writeKpiHistory(db, planKpiHistory(registers, options.now), knowledge.articles);
    const awaiting = await seedAwaitingAnswers(db, new Map(registers.map((r) => [r.key, r.agentId])), 'engineer', options.now);
    lines.push(
      `KPI history: ${written.tickets} tickets from ${KPI_HISTORY.firstDayAgo} to ${KPI_HISTORY.lastDayAgo} days ago on ${registers.length} registers `
        + `(${written.selfResolved} resolved by themselves, ${written.resolvedByEngineers} by engineers, ${written.reassigned} reassigned, `
        + `${written.cashierConfirmed} confirmed by the cashier, ${written.cashierSaidNo} answered "Нет" and fixed again); reaction gets faster week by week (Показатели / KPIs)`,
      `awaiting the cashier's answer: ${awaiting.map((id) => `#${id}`).join(', ') || 'none (their registers had open tickets)'}: resolved cashier reports nobody confirmed yet; `
        + 'the first waits (no answer closes it after the admin\'s autoCloseHours, Сервис), the second is past them and the no-answer sweep closes it within a minute',
      `fix history: ${written.fixes} fixes named on resolve (most of them following the articles above): a paper-out, cover or shift ticket lists its known fixes with their rates under "Знания / Knowledge"`,
    );
    return { lines, written };
  } finally {
    await db.close();
  }
}

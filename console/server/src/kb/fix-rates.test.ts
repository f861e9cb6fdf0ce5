import fc from 'fast-check';
import { fixKey, type ResolveFix } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlConnection } from '../db/console-database';
import { openTicketTestDb, type TicketTestDb } from '../test-support/ticket-db';
import { addEvent } from '../tickets/ticket-store';
import { createArticle } from './article-store';
import { fixRates, orderRates, recordFix } from './fix-rates';

// Fix rates on a real SQLite file: tickets with random histories of fixes named on resolve and
// reopenings (by the machine or by the cashier's "Нет"), recorded through recordFix, against a
// model computed here step by step from the same history.

const CODE = 'printer.paper_end';
const MODELS = ['TM-T20III', 'TSP143', null] as const;
/** Spellings of fixes: the first two fold to one key, the third is another, `article` names an article. */
const TEXTS = ['Заменил рулон.', 'заменил  РУЛОН', 'Почистил датчик', 'article'] as const;

type Step = { kind: 'fix'; text: (typeof TEXTS)[number] } | { kind: 'reopened' | 'cashier_not_fixed' };
interface History { model: (typeof MODELS)[number]; steps: Step[] }

let t: TicketTestDb;
let articleId: number;
let clockMs = Date.parse('2026-12-01T00:00:00.000Z');
const nextIso = () => new Date((clockMs += 1000)).toISOString();

beforeAll(async () => {
  t = await openTicketTestDb(1);
  articleId = (await t.db.write((sql) => createArticle(sql, { title: { ru: 'Рулон', en: 'Roll' }, body: 'x', codes: [CODE], models: [] }, 'eve', nextIso()))).id;
});
afterAll(async () => t.dispose());

const fixOf = (text: (typeof TEXTS)[number]): ResolveFix => (text === 'article' ? { articleId, text: 'Рулон (статья)' } : { text });

async function insertTicket(sql: SqlConnection, model: string | null, n: number): Promise<number> {
  const at = nextIso();
  const { lastID } = await sql.run(
    `INSERT INTO tickets (agent_id, device_id, code, status, severity, priority, group_name, opened_at, updated_at, react_by, resolve_by, device_model)
     VALUES (?, ?, ?, 'resolved', 'major', 2, 'printers', ?, ?, ?, ?, ?)`,
    t.agentIds[0], `printer-${n}`, CODE, at, at, at, at, model,
  );
  return Number(lastID);
}

/** Writes the histories through recordFix and addEvent, in a fresh table of fixes. */
async function play(histories: History[]): Promise<void> {
  await t.db.write(async (sql) => {
    await sql.run('DELETE FROM ticket_fixes');
    await sql.run('DELETE FROM tickets');
    for (const [n, history] of histories.entries()) {
      const ticketId = await insertTicket(sql, history.model, n);
      for (const step of history.steps) {
        if (step.kind === 'fix') await recordFix(sql, ticketId, fixOf(step.text), 'eve', nextIso());
        else await addEvent(sql, ticketId, nextIso(), step.kind, null, '');
      }
    }
  });
}

/** The arithmetic as docs/api.md states it, walked over one (code, model)'s histories. */
function expectedRates(histories: History[], model: string | null): Map<string, { applied: number; fixed: number }> {
  const tickets = new Map<string, Set<number>>();
  const failed = new Map<string, Set<number>>();
  histories.forEach((history, n) => {
    if (history.model !== model) return;
    let current: string | undefined;
    for (const step of history.steps) {
      if (step.kind === 'fix') {
        current = fixKey(fixOf(step.text));
        tickets.set(current, (tickets.get(current) ?? new Set()).add(n));
      } else if (current !== undefined) {
        failed.set(current, (failed.get(current) ?? new Set()).add(n));
      }
    }
  });
  return new Map([...tickets].map(([key, set]) => [key, { applied: set.size, fixed: set.size - (failed.get(key)?.size ?? 0) }]));
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(...TEXTS).map((text) => ({ kind: 'fix' as const, text })),
  fc.constantFrom('reopened' as const, 'cashier_not_fixed' as const).map((kind) => ({ kind })),
);
const history: fc.Arbitrary<History> = fc.record({ model: fc.constantFrom(...MODELS), steps: fc.array(step, { maxLength: 5 }) });

describe('fix rates', () => {
  it('count tickets: applied with the fix, fixed unless reopened or answered "Нет" before a later fix (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(history, { maxLength: 12 }), async (histories) => {
      await play(histories);
      for (const model of MODELS) {
        const rates = await fixRates(t.db.sql, CODE, model);
        const got = new Map(rates.map((rate) => [rate.key, { applied: rate.applied, fixed: rate.fixed }]));
        expect(got).toEqual(expectedRates(histories, model));
        for (const rate of rates) expect(rate.rate).toBeCloseTo(rate.fixed / rate.applied, 12);
      }
    }), { numRuns: 60 });
  });

  it('folds a written fix\'s spelling, keeps an article\'s fixes together, and reads "2 of 3"', async () => {
    await play([
      { model: 'TM-T20III', steps: [{ kind: 'fix', text: 'Заменил рулон.' }] },
      { model: 'TM-T20III', steps: [{ kind: 'fix', text: 'заменил  РУЛОН' }, { kind: 'cashier_not_fixed' }, { kind: 'fix', text: 'Почистил датчик' }] },
      { model: 'TM-T20III', steps: [{ kind: 'fix', text: 'заменил  РУЛОН' }] },
      { model: 'TSP143', steps: [{ kind: 'fix', text: 'article' }, { kind: 'fix', text: 'article' }] },
    ]);
    const rates = await fixRates(t.db.sql, CODE, 'TM-T20III');
    expect(rates).toEqual([
      { key: 'text:заменил рулон', text: 'заменил  РУЛОН', articleId: null, applied: 3, fixed: 2, rate: 2 / 3 },
      { key: 'text:почистил датчик', text: 'Почистил датчик', articleId: null, applied: 1, fixed: 1, rate: 1 },
    ]);
    expect(await fixRates(t.db.sql, CODE, 'TSP143')).toEqual([{ key: `article:${articleId}`, text: 'Рулон (статья)', articleId, applied: 1, fixed: 1, rate: 1 }]);
    expect(await fixRates(t.db.sql, CODE, null)).toEqual([]);
  });

  it('orders the most applied first, then the best rate', () => {
    const rate = (key: string, applied: number, fixed: number) => ({ key, text: key, articleId: null, applied, fixed, rate: fixed / applied });
    expect(orderRates([rate('c', 1, 0), rate('a', 2, 1), rate('d', 2, 1), rate('b', 2, 2)]).map((r) => r.key)).toEqual(['b', 'a', 'd', 'c']);
  });
});

import { fixKey, type FixRate, type ResolveFix } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { parseRows } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';
import { addEvent, requireTicket } from '../tickets/ticket-store';

// Fixes named on resolve (migration 016's ticket_fixes) and their fix rates.
//
// The arithmetic, per (code, model), per fix (fix_key, shared fixKey):
//   an application = one resolution of a ticket of that code and model that named the fix;
//   it failed when the ticket was reopened after it (a `reopened` event: the condition came back,
//     or a `cashier_not_fixed` event: the cashier answered "Нет") before the next fix recorded
//     on the same ticket (a later fix owns what happens after it);
//   applied = distinct tickets with an application of the fix;
//   fixed   = those of them none of whose applications of the fix failed;
//   rate    = fixed / applied (shown as "92 % из 140": rate and applied).
// A ticket resolved and not (yet) reopened counts as fixed.

/**
 * The fix rates of (code, model), grouped by SQL (one row per fix, not one per application). Bare
 * fix_text and article_id come from the fix's latest application (SQLite: the row of the single
 * max() aggregate).
 */
const RATES_SQL = `
WITH apps AS (
  SELECT f.id, f.ticket_id, f.fix_key, f.fix_text, f.article_id,
    EXISTS (
      SELECT 1 FROM ticket_events e
       WHERE e.ticket_id = f.ticket_id AND e.kind IN ('reopened', 'cashier_not_fixed') AND e.at >= f.at
         AND NOT EXISTS (SELECT 1 FROM ticket_fixes n WHERE n.ticket_id = f.ticket_id AND n.id > f.id AND n.at <= e.at)
    ) AS failed
  FROM ticket_fixes f WHERE f.code = ? AND f.model IS ?)
SELECT fix_key, MAX(id) AS last_id, fix_text, article_id,
  COUNT(DISTINCT ticket_id) AS applied, COUNT(DISTINCT CASE WHEN failed THEN ticket_id END) AS failed_tickets
FROM apps GROUP BY fix_key`;

const RateRow = z.object({
  fix_key: z.string(),
  fix_text: z.string(),
  article_id: z.number().int().nullable(),
  applied: z.number().int().positive(),
  failed_tickets: z.number().int().min(0),
});

/** Most applied first, then the best rate, then by key (a stable order for equal fixes). */
export function orderRates(rates: FixRate[]): FixRate[] {
  return [...rates].sort((a, b) => b.applied - a.applied || b.rate - a.rate || a.key.localeCompare(b.key));
}

export async function fixRates(sql: SqlConnection, code: string, model: string | null): Promise<FixRate[]> {
  const rows = parseRows(RateRow, await sql.all(RATES_SQL, code, model));
  return orderRates(rows.map((row) => {
    const fixed = row.applied - row.failed_tickets;
    return { key: row.fix_key, text: row.fix_text, articleId: row.article_id, applied: row.applied, fixed, rate: fixed / row.applied };
  }));
}

/**
 * Records the fix named on a ticket's resolution, inside the resolve transaction: a row for the
 * rates (the ticket's code and device model) and a `kb_fix_recorded` timeline event. An article
 * named must exist (NotFound rolls the resolution back with it).
 */
export async function recordFix(sql: SqlConnection, ticketId: number, fix: ResolveFix, actor: string, nowIso: string): Promise<void> {
  const ticket = await requireTicket(sql, ticketId);
  if (fix.articleId !== undefined && !(await sql.get('SELECT 1 FROM kb_articles WHERE id = ?', fix.articleId))) throw new NotFound('article', fix.articleId);
  await sql.run(
    'INSERT INTO ticket_fixes (ticket_id, code, model, fix_key, fix_text, article_id, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ticketId, ticket.code, ticket.device_model, fixKey(fix), fix.text, fix.articleId ?? null, actor, nowIso,
  );
  await addEvent(sql, ticketId, nowIso, 'kb_fix_recorded', actor, fix.text);
}

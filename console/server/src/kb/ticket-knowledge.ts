import type { KnowledgeArticle, TicketKnowledge } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { requireTicket } from '../tickets/ticket-store';
import { ARTICLE_COLUMNS, parseArticleRows, summaryOf } from './article-store';
import { fixRates } from './fix-rates';
import { listTemplates } from './template-store';

/** At most this many linked articles are listed on a ticket. */
export const TICKET_ARTICLE_LIMIT = 20;

const MatchRow = z.object({ by_code: z.union([z.literal(0), z.literal(1)]), by_model: z.union([z.literal(0), z.literal(1)]) });

/**
 * The articles linked to a ticket's code or device model: those linked to both first, then to the
 * code, then to the model only; the latest edited first within each.
 */
async function linkedArticles(sql: SqlConnection, code: string, model: string | null): Promise<KnowledgeArticle[]> {
  const rows = await sql.all<unknown[]>(
    `WITH linked AS (
       SELECT article_id, MAX(by_code) AS by_code, MAX(by_model) AS by_model FROM (
         SELECT article_id, 1 AS by_code, 0 AS by_model FROM kb_article_codes WHERE code = ?1
         UNION ALL SELECT article_id, 0, 1 FROM kb_article_models WHERE ?2 IS NOT NULL AND model = ?2
       ) GROUP BY article_id)
     SELECT ${ARTICLE_COLUMNS}, l.by_code, l.by_model FROM linked l JOIN kb_articles a ON a.id = l.article_id
     ORDER BY l.by_code DESC, l.by_model DESC, a.updated_at DESC, a.id DESC LIMIT ?3`,
    code, model, TICKET_ARTICLE_LIMIT,
  );
  const articles = parseArticleRows(rows);
  return rows.map((raw, i) => {
    const { by_code: byCode, by_model: byModel } = MatchRow.parse(raw);
    const match = byCode && byModel ? 'code_model' : byCode ? 'code' : 'model';
    return { ...summaryOf(articles[i]!), match };
  });
}

/** GET /api/tickets/:id/knowledge: linked articles, the known fixes with their rates, the reply templates. */
export async function ticketKnowledge(sql: SqlConnection, ticketId: number): Promise<TicketKnowledge> {
  const ticket = await requireTicket(sql, ticketId);
  const model = ticket.device_model ?? null;
  return {
    code: ticket.code,
    model,
    articles: await linkedArticles(sql, ticket.code, model),
    fixes: await fixRates(sql, ticket.code, model),
    templates: await listTemplates(sql),
  };
}

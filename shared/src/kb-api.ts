import { z } from 'zod';
import { DiagnosisCode } from './catalogue/codes';
import { LocalizedText } from './i18n';

// The knowledge base (issue 12): Markdown articles linked to diagnosis codes and device models,
// reply templates, and the fixes engineers record on resolve with their fix rates. The server
// stores Markdown only; the renderer turns it into sanitized HTML. docs/api.md "Knowledge base".

export const ArticleId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A device model as the agent reports it (e.g. "TM-T20III"); matched without regard to case. */
export const KbModel = z.string().trim().min(1).max(80);

const Title = z.object({ ru: z.string().trim().min(1).max(200), en: z.string().trim().max(200).default('') });

/** Body of POST /api/kb/articles and PUT /api/kb/articles/:id. */
export const ArticleInput = z.object({
  title: Title,
  /** Markdown; any HTML in it is shown as sanitized markup by the renderer, never trusted. */
  body: z.string().max(50_000),
  codes: z.array(DiagnosisCode).max(20).default([]),
  models: z.array(KbModel).max(20).default([]),
});
export type ArticleInput = z.infer<typeof ArticleInput>;

export const ArticleSummary = z.object({
  id: z.number().int().positive(),
  title: LocalizedText,
  codes: z.array(DiagnosisCode),
  models: z.array(z.string()),
  author: z.string(),
  updatedAt: z.iso.datetime(),
  /** seeded from the diagnosis catalogue's advice; editable, not deletable */
  builtin: z.boolean(),
  /** the start of the body, plain text as stored (Markdown), for lists */
  excerpt: z.string(),
});
export type ArticleSummary = z.infer<typeof ArticleSummary>;

export const Article = ArticleSummary.extend({ body: z.string(), createdAt: z.iso.datetime() });
export type Article = z.infer<typeof Article>;

/** Query of GET /api/kb/articles: full-text search (prefix per word) and/or linked code and model. */
export const ArticleListQuery = z.object({
  q: z.string().max(200).optional(),
  code: DiagnosisCode.optional(),
  model: KbModel.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ArticleListQuery = z.infer<typeof ArticleListQuery>;

export const ArticleList = z.object({ articles: z.array(ArticleSummary), total: z.number().int().min(0) });
export type ArticleList = z.infer<typeof ArticleList>;

/** Body of POST/PUT /api/kb/templates: a reply to the store with placeholders (TEMPLATE_PLACEHOLDERS). */
export const TemplateInput = z.object({ title: Title, body: z.string().trim().min(1).max(5_000) });
export type TemplateInput = z.infer<typeof TemplateInput>;

export const ReplyTemplate = z.object({
  id: z.number().int().positive(),
  title: LocalizedText,
  body: z.string(),
  author: z.string(),
  updatedAt: z.iso.datetime(),
});
export type ReplyTemplate = z.infer<typeof ReplyTemplate>;

export const TemplateList = z.object({ templates: z.array(ReplyTemplate) });
export type TemplateList = z.infer<typeof TemplateList>;

/** The fix an engineer names on resolve: picked from the known fixes or an article, or written. */
export const ResolveFix = z.object({
  articleId: z.number().int().positive().optional(),
  text: z.string().trim().min(1).max(500),
});
export type ResolveFix = z.infer<typeof ResolveFix>;

/**
 * One known fix of a (code, model) with its fix rate. `applied` = tickets of that code and model
 * resolved with this fix; `fixed` = those of them not reopened (by the machine or by the cashier's
 * "Нет") after the fix and before any later fix on the same ticket; rate = fixed / applied.
 */
export const FixRate = z.object({
  key: z.string(),
  /** the latest wording of the fix */
  text: z.string(),
  articleId: z.number().int().positive().nullable(),
  applied: z.number().int().positive(),
  fixed: z.number().int().min(0),
  rate: z.number().min(0).max(1),
});
export type FixRate = z.infer<typeof FixRate>;

export const KnowledgeArticle = ArticleSummary.extend({
  /** why it is listed: linked to the ticket's code and model, its code, or its model */
  match: z.enum(['code_model', 'code', 'model']),
});
export type KnowledgeArticle = z.infer<typeof KnowledgeArticle>;

/** GET /api/tickets/:id/knowledge: what the knowledge base knows about this ticket's code and model. */
export const TicketKnowledge = z.object({
  code: DiagnosisCode,
  model: z.string().nullable(),
  articles: z.array(KnowledgeArticle),
  fixes: z.array(FixRate),
  templates: z.array(ReplyTemplate),
});
export type TicketKnowledge = z.infer<typeof TicketKnowledge>;

/**
 * The identity of a fix for its rate: an article's fixes are one fix whatever the wording; a
 * written fix is its text folded (case, ё→е, spaces, trailing punctuation), so "Заменил рулон."
 * and "заменил  рулон" count together.
 */
export function fixKey(fix: ResolveFix): string {
  if (fix.articleId !== undefined) return `article:${fix.articleId}`;
  return `text:${foldFixText(fix.text)}`;
}

export function foldFixText(text: string): string {
  return text.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim().replace(/[\s.,;:!]+$/u, '');
}

/** Placeholders a reply template may hold; each is replaced by the ticket's value. */
export const TEMPLATE_PLACEHOLDERS = ['ticket', 'store', 'register', 'problem', 'engineer'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** A template's body with {ticket}, {store}… replaced; an unknown or missing placeholder stays as written. */
export function fillTemplate(body: string, values: Partial<Record<TemplatePlaceholder, string>>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    return value === undefined ? whole : value;
  });
}

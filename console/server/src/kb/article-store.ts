import { Article, ArticleSummary, DiagnosisCode, type ArticleInput, type ArticleList, type ArticleListQuery } from '@tillscope/shared';
import { z } from 'zod';
import type { SqlConnection } from '../db/console-database';
import { jsonColumn, parseRows } from '../db/rows';
import { NotFound } from '../tickets/domain-errors';
import { BuiltinArticle } from './kb-errors';
import { excerptOf, foldForIndex, ftsQueryOf } from './kb-text';

// Knowledge-base articles (migration 016): the row, its linked codes and models, and its copy in
// the full-text index, always written together inside the caller's write transaction. Reads run
// on any connection. Search: kb-text.ts builds the MATCH expression, so user input never reaches
// FTS5's query syntax.

const ArticleRow = z.object({
  id: z.number().int().positive(),
  title_ru: z.string(),
  title_en: z.string(),
  body: z.string(),
  author: z.string(),
  builtin_code: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  codes_json: jsonColumn(z.array(DiagnosisCode)),
  models_json: jsonColumn(z.array(z.string())),
});
type ArticleRow = z.infer<typeof ArticleRow>;

/** The article's columns plus its links as JSON arrays (`a` is kb_articles). */
export const ARTICLE_COLUMNS = `a.id, a.title_ru, a.title_en, a.body, a.author, a.builtin_code, a.created_at, a.updated_at,
  (SELECT json_group_array(code) FROM (SELECT code FROM kb_article_codes WHERE article_id = a.id ORDER BY code)) AS codes_json,
  (SELECT json_group_array(model) FROM (SELECT model FROM kb_article_models WHERE article_id = a.id ORDER BY model)) AS models_json`;

export function parseArticleRows(rows: unknown): ArticleRow[] {
  return parseRows(ArticleRow, rows as unknown[]);
}

export function summaryOf(row: ArticleRow): ArticleSummary {
  return {
    id: row.id,
    title: { ru: row.title_ru, en: row.title_en },
    codes: row.codes_json,
    models: row.models_json,
    author: row.author,
    updatedAt: row.updated_at,
    builtin: row.builtin_code !== null,
    excerpt: excerptOf(row.body),
  };
}

function articleOf(row: ArticleRow): Article {
  return { ...summaryOf(row), body: row.body, createdAt: row.created_at };
}

export async function getArticle(sql: SqlConnection, id: number): Promise<Article> {
  const rows = parseArticleRows(await sql.all(`SELECT ${ARTICLE_COLUMNS} FROM kb_articles a WHERE a.id = ?`, id));
  if (rows.length === 0) throw new NotFound('article', id);
  return articleOf(rows[0]!);
}

/** Creates an article; `builtinCode` marks one seeded from the catalogue. Answers it. */
export async function createArticle(sql: SqlConnection, input: ArticleInput, author: string, nowIso: string, builtinCode: string | null = null): Promise<Article> {
  const { lastID } = await sql.run(
    'INSERT INTO kb_articles (title_ru, title_en, body, author, builtin_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    input.title.ru, input.title.en, input.body, author, builtinCode, nowIso, nowIso,
  );
  const id = Number(lastID);
  await writeLinksAndIndex(sql, id, input);
  return getArticle(sql, id);
}

/** Replaces an article's title, body and links; the author becomes who edited it last. */
export async function updateArticle(sql: SqlConnection, id: number, input: ArticleInput, author: string, nowIso: string): Promise<Article> {
  const { changes } = await sql.run(
    'UPDATE kb_articles SET title_ru = ?, title_en = ?, body = ?, author = ?, updated_at = ? WHERE id = ?',
    input.title.ru, input.title.en, input.body, author, nowIso, id,
  );
  if (!changes) throw new NotFound('article', id);
  await writeLinksAndIndex(sql, id, input);
  return getArticle(sql, id);
}

/** Deletes an article; the built-in ones stay (BuiltinArticle). Fixes that named it keep their text. */
export async function deleteArticle(sql: SqlConnection, id: number): Promise<void> {
  const row = await sql.get<{ builtin_code: string | null }>('SELECT builtin_code FROM kb_articles WHERE id = ?', id);
  if (!row) throw new NotFound('article', id);
  if (row.builtin_code !== null) throw new BuiltinArticle(id);
  await sql.run('DELETE FROM kb_fts WHERE rowid = ?', id);
  await sql.run('DELETE FROM kb_articles WHERE id = ?', id);
}

async function writeLinksAndIndex(sql: SqlConnection, id: number, input: ArticleInput): Promise<void> {
  await sql.run('DELETE FROM kb_article_codes WHERE article_id = ?', id);
  await sql.run('DELETE FROM kb_article_models WHERE article_id = ?', id);
  for (const code of new Set(input.codes)) await sql.run('INSERT INTO kb_article_codes (code, article_id) VALUES (?, ?)', code, id);
  const models = new Map(input.models.map((model) => [model.toLowerCase(), model]));
  for (const model of models.values()) await sql.run('INSERT INTO kb_article_models (model, article_id) VALUES (?, ?)', model, id);
  await sql.run('DELETE FROM kb_fts WHERE rowid = ?', id);
  await sql.run(
    'INSERT INTO kb_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)',
    id, foldForIndex(`${input.title.ru}\n${input.title.en}`), foldForIndex(input.body), foldForIndex([...input.codes, ...models.values()].join(' ')),
  );
}

/**
 * Lists articles: with `q`, the full-text matches best first (bm25, a title word weighs most, then
 * a code or model, then the body); without, the latest edited first. `code`/`model` keep those
 * linked to them. The MATCH runs once per query (a materialized CTE): FTS5 inside an IN (…) or a
 * join is re-run per row. Only the page's rows get their columns and links read.
 */
export async function listArticles(sql: SqlConnection, query: ArticleListQuery): Promise<ArticleList> {
  const match = query.q === undefined ? undefined : ftsQueryOf(query.q);
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.code) {
    where.push('c.id IN (SELECT article_id FROM kb_article_codes WHERE code = ?)');
    params.push(query.code);
  }
  if (query.model) {
    where.push('c.id IN (SELECT article_id FROM kb_article_models WHERE model = ?)');
    params.push(query.model);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // candidates c(id, rank, updated_at): the FTS matches with their rank, or every article (its index on updated_at)
  const candidates = match === undefined
    ? 'c AS (SELECT id, 0 AS rank, updated_at FROM kb_articles)'
    : 'c AS MATERIALIZED (SELECT rowid AS id, bm25(kb_fts, 10.0, 1.0, 5.0) AS rank, NULL AS updated_at FROM kb_fts WHERE kb_fts MATCH ?)';
  const [order, pageOrder] = match === undefined ? ['c.updated_at DESC, c.id DESC', 'page.updated_at DESC, page.id DESC'] : ['c.rank, c.id', 'page.rank, page.id'];
  const head = match === undefined ? [] : [match];
  // With a match, the total rides on the page's rows (COUNT(*) OVER (): one pass over the matches);
  // without, the page walks the updated_at index and the total is counted apart (a window would
  // read every row first). A page past the end has no rows to carry it and asks again.
  const totalColumn = match === undefined ? 'NULL' : 'COUNT(*) OVER ()';
  const rows = await sql.all<unknown[]>(
    `WITH ${candidates}, page AS (SELECT c.id, c.rank, c.updated_at, ${totalColumn} AS total FROM c ${filter} ORDER BY ${order} LIMIT ? OFFSET ?)
     SELECT ${ARTICLE_COLUMNS}, page.total FROM page JOIN kb_articles a ON a.id = page.id ORDER BY ${pageOrder}`,
    ...head, ...params, query.limit, query.offset,
  );
  const Count = z.object({ total: z.number().int() });
  const total = rows.length > 0 && match !== undefined
    ? Count.parse(rows[0]).total
    : Count.parse(await sql.get(`WITH ${candidates} SELECT COUNT(*) AS total FROM c ${filter}`, ...head, ...params)).total;
  return { articles: parseArticleRows(rows).map(summaryOf), total };
}

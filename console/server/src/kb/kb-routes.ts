import { Article, ArticleInput, ArticleList, ArticleListQuery, ReplyTemplate, TemplateInput, TemplateList, TicketKnowledge } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { TicketParams } from '../routes/ticket-routes';
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from './article-store';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from './template-store';
import { ticketKnowledge } from './ticket-knowledge';

// REST of the knowledge base (docs/api.md "Knowledge base"), mounted behind requireSession.
// Engineers and admins read and write articles and templates; deleting is for admins. Answers are
// parsed with their shared schema before they leave.

export interface KbRouteDeps {
  db: ConsoleDatabase;
  now: () => Date;
}

const IdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Mounted at /api/kb: /articles (GET list/search, POST), /articles/:id (GET, PUT, DELETE), /templates (same). */
export function kbRoutes({ db, now }: KbRouteDeps): Router {
  const router = express.Router();
  const author = (res: express.Response) => currentUser(res).username;

  router.get('/articles', validate('query', ArticleListQuery), async (_req, res) => {
    res.json(ArticleList.parse(await listArticles(db.sql, validated(res, 'query', ArticleListQuery))));
  });
  router.get('/articles/:id', validate('params', IdParams), async (_req, res) => {
    res.json(Article.parse(await getArticle(db.sql, validated(res, 'params', IdParams).id)));
  });
  router.post('/articles', validate('body', ArticleInput), async (_req, res) => {
    const input = validated(res, 'body', ArticleInput);
    res.status(201).json(Article.parse(await db.write((sql) => createArticle(sql, input, author(res), now().toISOString()))));
  });
  router.put('/articles/:id', validate('params', IdParams), validate('body', ArticleInput), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    const input = validated(res, 'body', ArticleInput);
    res.json(Article.parse(await db.write((sql) => updateArticle(sql, id, input, author(res), now().toISOString()))));
  });
  router.delete('/articles/:id', requireAdmin(), validate('params', IdParams), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    await db.write((sql) => deleteArticle(sql, id));
    res.status(204).end();
  });

  router.get('/templates', async (_req, res) => {
    res.json(TemplateList.parse({ templates: await listTemplates(db.sql) }));
  });
  router.post('/templates', validate('body', TemplateInput), async (_req, res) => {
    const input = validated(res, 'body', TemplateInput);
    res.status(201).json(ReplyTemplate.parse(await db.write((sql) => createTemplate(sql, input, author(res), now().toISOString()))));
  });
  router.put('/templates/:id', validate('params', IdParams), validate('body', TemplateInput), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    const input = validated(res, 'body', TemplateInput);
    res.json(ReplyTemplate.parse(await db.write((sql) => updateTemplate(sql, id, input, author(res), now().toISOString()))));
  });
  router.delete('/templates/:id', requireAdmin(), validate('params', IdParams), async (_req, res) => {
    const { id } = validated(res, 'params', IdParams);
    await db.write((sql) => deleteTemplate(sql, id));
    res.status(204).end();
  });
  return router;
}

/** Mounted at /api/tickets: GET /:id/knowledge answers TicketKnowledge. */
export function ticketKnowledgeRoutes({ db }: Pick<KbRouteDeps, 'db'>): Router {
  const router = express.Router();
  router.get('/:id/knowledge', validate('params', TicketParams), async (_req, res) => {
    res.json(TicketKnowledge.parse(await ticketKnowledge(db.sql, validated(res, 'params', TicketParams).id)));
  });
  return router;
}

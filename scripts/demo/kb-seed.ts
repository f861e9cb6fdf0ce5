// Puts the demo's knowledge base into the console over its REST API, as an engineer would write it:
// the articles and reply templates of kb-articles.ts. Resolves with each article's id (for the fix
// history that follows them) and the line the demo prints.
import { Article, ReplyTemplate } from '@tillscope/shared';
import type { ConsoleApi } from './console-api';
import { DEMO_ARTICLES, DEMO_TEMPLATES } from './kb-articles';
import type { ArticleIds } from './kpi-history-writer';

export interface KnowledgeSeeded {
  articles: ArticleIds;
  line: string;
}

export async function seedKnowledgeBase(api: ConsoleApi): Promise<KnowledgeSeeded> {
  const articles: ArticleIds = {};
  for (const { key, title, body, codes, models } of DEMO_ARTICLES) {
    const saved = await api.send('POST', '/api/kb/articles', { title, body, codes, models }, (v) => Article.parse(v));
    if (!saved) return { articles, line: 'knowledge base: not in this build yet' };
    articles[key] = saved.id;
  }
  for (const template of DEMO_TEMPLATES) await api.send('POST', '/api/kb/templates', template, (v) => ReplyTemplate.parse(v));
  return {
    articles,
    line: `knowledge base: ${DEMO_ARTICLES.length} articles (${DEMO_ARTICLES.map((a) => a.title.ru).join('; ')}) beside the built-in ones, `
      + `${DEMO_TEMPLATES.length} reply templates (База знаний / Knowledge base; on a ticket: "Знания / Knowledge")`,
  };
}

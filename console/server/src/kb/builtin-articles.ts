import { CATALOGUE, type ArticleInput, type CatalogueEntry } from '@tillscope/shared';
import type { ConsoleDatabase } from '../db/console-database';
import { createArticle } from './article-store';

// The diagnosis catalogue's advice ("what to do first") is the knowledge base's first content: one
// built-in article per code that opens tickets, linked to that code. Seeded once per code when
// the console starts (a code added to the catalogue later gets its article at the next start);
// an admin's edits are never overwritten, and built-in articles cannot be deleted.

export const BUILTIN_AUTHOR = 'tillscope';

/** The article seeded for a catalogue entry: the advice in both languages, Russian first. */
export function builtinArticleOf(entry: CatalogueEntry): ArticleInput {
  return {
    title: { ru: entry.title.ru, en: entry.title.en },
    body: `${entry.advice.ru}\n\n---\n\n*${entry.advice.en}*\n`,
    codes: [entry.code],
    models: [],
  };
}

/** Inserts the built-in article of every catalogue code that has none yet. Answers how many were added. */
export async function seedBuiltinArticles(db: ConsoleDatabase, nowIso: string): Promise<number> {
  const entries = Object.values(CATALOGUE).filter((entry) => entry.opensTicket !== false);
  return db.write(async (sql) => {
    const seeded = new Set((await sql.all<{ builtin_code: string }[]>('SELECT builtin_code FROM kb_articles WHERE builtin_code IS NOT NULL')).map((row) => row.builtin_code));
    let added = 0;
    for (const entry of entries) {
      if (seeded.has(entry.code)) continue;
      await createArticle(sql, builtinArticleOf(entry), BUILTIN_AUTHOR, nowIso, entry.code);
      added += 1;
    }
    return added;
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ArticleInput } from '@tillscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleDatabase, type ConsoleDatabase } from '../db/console-database';
import { createArticle, deleteArticle, listArticles, updateArticle } from './article-store';
import { ftsQueryOf } from './kb-text';

// Full-text search of the knowledge base on a real SQLite file (FTS5, unicode61 remove_diacritics 2,
// ё folded to е on both sides), through the same functions the REST routes call.

let dir: string;
let db: ConsoleDatabase;
const ids: Record<string, number> = {};
const NOW = '2026-12-01T00:00:00.000Z';

const ARTICLES: Record<string, ArticleInput> = {
  roll: {
    title: { ru: 'Замена рулона чековой ленты', en: 'Replacing the receipt paper roll' },
    body: 'Откройте крышку, вставьте новый рулон термобумаги 57 мм и закройте крышку до щелчка.',
    codes: ['printer.paper_end'], models: ['TM-T20III'],
  },
  fn: {
    title: { ru: 'Замена фискального накопителя (ФН)', en: 'Replacing the fiscal drive' },
    body: 'Закройте смену, закройте архив ФН, зарегистрируйте новый накопитель в ЛК ОФД. Срок ещё не истёк.',
    codes: ['fiscal.fn_expires_30d'], models: [],
  },
  spooler: {
    title: { ru: 'Зависла очередь печати', en: 'Print spooler stuck' },
    body: 'Restart the **Spooler** service (Windows) or CUPS (Linux); then clear the queue.',
    codes: ['host.print_queue_stuck'], models: [],
  },
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tillscope-kb-'));
  db = await openConsoleDatabase(dir);
  for (const [name, input] of Object.entries(ARTICLES)) ids[name] = (await db.write((sql) => createArticle(sql, input, 'eve', NOW))).id;
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const search = async (q: string) => (await listArticles(db.sql, { q, limit: 50, offset: 0 })).articles.map((a) => a.id);

describe('knowledge-base search (FTS5)', () => {
  it('finds Russian words whatever their case, by a prefix of each word', async () => {
    expect(await search('рулон')).toEqual([ids.roll]);
    expect(await search('РУЛОН')).toEqual([ids.roll]);
    expect(await search('Рул')).toEqual([ids.roll]);
    expect(await search('чеков лент')).toEqual([ids.roll]);
    expect(await search('термобумаги')).toEqual([ids.roll]);
    expect(await search('замен')).toEqual(expect.arrayContaining([ids.roll, ids.fn]));
    expect(await search('рулон накопитель')).toEqual([]); // every word must match
  });

  it('folds ё and е both ways', async () => {
    expect(await search('ещё')).toEqual([ids.fn]);
    expect(await search('еще')).toEqual([ids.fn]);
    expect(await search('истек')).toEqual([ids.fn]);
    expect(await search('ИСТЁК')).toEqual([ids.fn]);
  });

  it('finds English words, Markdown text, codes and models', async () => {
    expect(await search('spooler')).toEqual([ids.spooler]);
    expect(await search('Receipt Pap')).toEqual([ids.roll]);
    expect(await search('cups')).toEqual([ids.spooler]);
    expect(await search('paper_end')).toEqual([ids.roll]);
    expect(await search('TM-T20')).toEqual([ids.roll]);
    expect(await search('фн')).toEqual([ids.fn]);
  });

  it('ranks a title match above a body match', async () => {
    const extra = await db.write((sql) => createArticle(sql, { title: { ru: 'Крышка принтера', en: '' }, body: 'Про рулон ни слова.', codes: [], models: [] }, 'eve', NOW));
    expect(await search('крышк')).toEqual([extra.id, ids.roll]);
    await db.write((sql) => deleteArticle(sql, extra.id));
    expect(await search('крышк')).toEqual([ids.roll]);
  });

  it('follows edits: the old words no longer find the article, the new ones do', async () => {
    const edited = await db.write((sql) => createArticle(sql, { title: { ru: 'Весы', en: 'Scales' }, body: 'калибровка', codes: [], models: [] }, 'eve', NOW));
    await db.write((sql) => updateArticle(sql, edited.id, { title: { ru: 'Сканер', en: 'Scanner' }, body: 'штрихкод', codes: [], models: [] }, 'bob', NOW));
    expect(await search('калибровка')).toEqual([]);
    expect(await search('штрихкод')).toEqual([edited.id]);
    await db.write((sql) => deleteArticle(sql, edited.id));
  });

  it('filters by linked code and model, with or without words; counts the total', async () => {
    expect((await listArticles(db.sql, { code: 'printer.paper_end', limit: 50, offset: 0 })).articles.map((a) => a.id)).toEqual([ids.roll]);
    expect((await listArticles(db.sql, { model: 'tm-t20iii', limit: 50, offset: 0 })).articles.map((a) => a.id)).toEqual([ids.roll]);
    expect((await listArticles(db.sql, { q: 'замен', code: 'fiscal.fn_expires_30d', limit: 50, offset: 0 })).articles.map((a) => a.id)).toEqual([ids.fn]);
    const page = await listArticles(db.sql, { limit: 1, offset: 0 });
    expect([page.articles.length, page.total]).toEqual([1, 3]);
    const past = await listArticles(db.sql, { q: 'замен', limit: 5, offset: 10 });
    expect([past.articles.length, past.total]).toEqual([0, 2]);
    const second = await listArticles(db.sql, { limit: 2, offset: 2 });
    expect([second.articles.map((a) => a.id), second.total]).toEqual([[ids.roll], 3]);
  });

  it('treats FTS5 operators and quotes in what was typed as words, never as query syntax', async () => {
    for (const typed of ['"', 'рулон"', 'NEAR(рулон', 'рулон OR фн', '-рулон', 'title:рулон', '^рулон', '*', 'AND', '(', "'; DROP TABLE kb_fts; --"]) {
      await expect(search(typed)).resolves.toBeInstanceOf(Array);
    }
    expect(await search('рулон OR накопитель')).toEqual([]); // OR is a word here, all words required
    expect(await search('title:рулон')).toEqual([]); // "title" is a word too, not a column filter
  });

  it('never fails on any typed text (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 60, unit: 'grapheme' }), async (typed) => {
      const found = await listArticles(db.sql, { q: typed, limit: 5, offset: 0 });
      expect(found.total).toBeGreaterThanOrEqual(0);
    }), { numRuns: 300 });
  });

  it('builds one quoted prefix term per word', () => {
    expect(ftsQueryOf('Ещё  рулон-57')).toBe('"еще"* "рулон"* "57"*');
    expect(ftsQueryOf(' "*:^ ')).toBeUndefined();
    expect(ftsQueryOf('в ФН')).toBe('"в" "фн"*'); // one letter: the whole word, not every word starting with it
  });
});

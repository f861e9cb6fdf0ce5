// @vitest-environment jsdom
import { h } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Article, ArticleInput, Me } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { parseHash, routeToHash } from '../logic/route';
import { renderMarkdown } from '../logic/markdown';
import { byTestId, clickAndFlush, typeInto } from '../testing/dom-actions';
import { flush, mountPerTest } from '../testing/dom';
import { KB_SEARCH_DELAY_MS, KbScreen } from './kb-screen';

// The knowledge-base page in jsdom: an article's Markdown rendered and sanitized (a stored
// <script> or onerror handler stays inert), search through the URL, the editor's live preview.

const mount = mountPerTest();
const engineer: Me = { username: 'eve', displayName: 'Eve', role: 'engineer', groups: [] };
const HOSTILE = [
  '# Замена рулона',
  '',
  'Вставьте **новый** рулон.',
  '',
  '<script>window.__kbPwned = "script"</script>',
  '',
  '<img src="x" onerror="window.__kbPwned = \'onerror\'">',
  '',
  '<a href="javascript:window.__kbPwned=\'link\'">click</a> [md link](javascript:alert(1)) [docs](https://example.com/a)',
  '',
  '<iframe src="https://example.com"></iframe><div onclick="window.__kbPwned=1" style="position:fixed">x</div>',
].join('\n');

function article(id: number, patch: Partial<Article> = {}): Article {
  return {
    id, title: { ru: 'Замена рулона', en: 'Paper roll' }, codes: ['printer.paper_end'], models: ['TM-T20III'], author: 'eve',
    updatedAt: '2026-12-01T10:00:00.000Z', createdAt: '2026-12-01T10:00:00.000Z', builtin: false, excerpt: 'Вставьте', body: HOSTILE, ...patch,
  };
}

function kbApi() {
  return {
    articles: vi.fn(async (query: { q?: string }) => ({ articles: query.q === 'нет' ? [] : [article(1), article(2, { title: { ru: '<b>Крышка</b>', en: '' }, builtin: true })], total: query.q === 'нет' ? 0 : 2 })),
    article: vi.fn(async (id: number) => article(id)),
    saveArticle: vi.fn(async (id: number | null, body: ArticleInput) => article(id ?? 9, { ...body, body: body.body })),
    deleteArticle: vi.fn(async () => undefined),
    templates: vi.fn(async () => ({ templates: [] })),
  };
}

const show = async (hash: string, api = kbApi(), onNavigate = vi.fn()) => {
  const route = parseHash(hash);
  if (route.name !== 'kb') throw new Error('not a kb route');
  const el = mount(h(KbScreen, { route, api: api as unknown as ApiClient, me: engineer, onNavigate }));
  await flush();
  await flush();
  return { el, api, onNavigate };
};

describe('rendering an article (marked + DOMPurify)', () => {
  it('renders the Markdown and leaves scripts, handlers, javascript: links and frames inert', async () => {
    const { el } = await show('#/kb/1');
    const body = byTestId<HTMLElement>(el, 'kb-article-body');
    expect(body.querySelector('h1')!.textContent).toBe('Замена рулона');
    expect(body.querySelector('strong')!.textContent).toBe('новый');
    expect(body.querySelectorAll('script, iframe, [onerror], [onclick], [style]')).toHaveLength(0);
    const hrefs = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.filter((href) => href && /^javascript:/i.test(href))).toEqual([]);
    expect(body.querySelector('a[href="https://example.com/a"]')!.getAttribute('rel')).toBe('noopener noreferrer');
    body.querySelector('img')?.dispatchEvent(new Event('error'));
    for (const a of body.querySelectorAll('a')) a.dispatchEvent(new MouseEvent('click', { cancelable: true }));
    await flush();
    expect((window as { __kbPwned?: unknown }).__kbPwned).toBeUndefined();
  });

  it('sanitizes raw HTML whatever Markdown wraps it in', () => {
    const html = renderMarkdown('> <svg onload="alert(1)"><script>alert(2)</script></svg>\n\n`<script>` stays text');
    const box = document.createElement('div');
    box.innerHTML = html;
    expect(box.querySelectorAll('script, [onload]')).toHaveLength(0);
    expect(box.querySelector('code')!.textContent).toBe('<script>');
  });
});

describe('the article list', () => {
  it('lists what the search found, titles as text; typing searches after a pause, through the URL', async () => {
    const { el, api, onNavigate } = await show('#/kb?q=рулон');
    expect(api.articles).toHaveBeenCalledWith({ q: 'рулон', limit: 100 });
    expect(byTestId(el, 'kb-found').textContent).toBe('Найдено: 2');
    const titles = [...el.querySelectorAll('.kb-result-title')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(titles).toEqual([['Замена рулона', '#/kb/1'], ['<b>Крышка</b>', '#/kb/2']]);
    expect(el.querySelector('.kb-results b')).toBeNull();
    typeInto(el, 'kb-search', 'Ф');
    typeInto(el, 'kb-search', 'ФН ');
    await flush();
    expect(onNavigate).not.toHaveBeenCalled(); // not per key
    await act(() => new Promise((resolve) => setTimeout(resolve, KB_SEARCH_DELAY_MS + 20)));
    expect(onNavigate.mock.calls).toEqual([[{ name: 'kb', section: 'articles', id: null, q: 'ФН' }]]);
  });

  it('round-trips its routes through the URL', () => {
    for (const hash of ['#/kb', '#/kb?q=%D1%80%D1%83%D0%BB', '#/kb/new', '#/kb/12', '#/kb/templates']) expect(routeToHash(parseHash(hash))).toBe(hash);
    expect(parseHash('#/kb/abc')).toEqual({ name: 'kb', section: 'articles', id: null, q: '' });
  });
});

describe('the article editor', () => {
  it('previews the Markdown as it is typed (sanitized) and saves the parsed article', async () => {
    const { el, api, onNavigate } = await show('#/kb/new');
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'kb-save'));
    expect(el.querySelector('[role="alert"]')!.textContent).toBe('Нужен заголовок на русском.');
    expect(api.saveArticle).not.toHaveBeenCalled();
    typeInto(el, 'kb-title-ru', 'Зависла очередь печати');
    typeInto(el, 'kb-models', 'TM-T20III, АТОЛ 30Ф; TM-T20III');
    typeInto(el, 'kb-body', '## Шаги\n\n1. Остановить Spooler<img src=x onerror="alert(1)">');
    const preview = byTestId<HTMLElement>(el, 'kb-preview');
    expect(preview.querySelector('h2')!.textContent).toBe('Шаги');
    expect(preview.querySelector('ol li')!.textContent).toBe('Остановить Spooler');
    expect(preview.querySelector('[onerror]')).toBeNull();
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'kb-save'));
    expect(api.saveArticle).toHaveBeenCalledWith(null, {
      title: { ru: 'Зависла очередь печати', en: '' }, body: '## Шаги\n\n1. Остановить Spooler<img src=x onerror="alert(1)">', codes: [], models: ['TM-T20III', 'АТОЛ 30Ф'],
    });
    expect(onNavigate).toHaveBeenCalledWith({ name: 'kb', section: 'articles', id: 9, q: '' });
  });
});

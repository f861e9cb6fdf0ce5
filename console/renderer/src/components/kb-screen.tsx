import type { Article, ArticleList, Me } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { KB_SEARCH_LIMIT } from '../logic/kb-form';
import { MarkdownView } from './markdown-view';
import { kbArticleHash, routeToHash, type Route } from '../logic/route';
import { ErrorBanner } from './common';
import { ArticleEditor } from './kb-article-editor';
import { TemplatesPanel } from './kb-templates';
import { useLoad } from './use-load';

type KbRoute = Extract<Route, { name: 'kb' }>;

/** Typing pauses this long before the search is asked for. */
export const KB_SEARCH_DELAY_MS = 250;

/**
 * "База знаний": the articles (search, one article rendered from its Markdown, the editor with a
 * preview) and the reply templates. Engineers and admins write; deleting is for admins.
 */
export function KbScreen({ route, api, me, onNavigate }: { route: KbRoute; api: ApiClient; me: Me; onNavigate: (route: KbRoute) => void }) {
  const { t } = useI18n();
  const tab = (section: KbRoute['section']) => (
    <a href={routeToHash({ name: 'kb', section, id: null, q: '' })} class={route.section === section ? 'active' : ''} aria-current={route.section === section ? 'page' : undefined} data-testid={`kb-tab-${section}`}>
      {t(section === 'articles' ? 'kb.tab.articles' : 'kb.tab.templates')}
    </a>
  );
  const toList = () => onNavigate({ name: 'kb', section: 'articles', id: null, q: '' });
  return (
    <main class="kb-screen" data-testid="kb-screen">
      <div class="filters">
        <h1 class="screen-title">{t('kb.title')}</h1>
        <nav class="tabs">
          {tab('articles')}
          {tab('templates')}
        </nav>
      </div>
      {route.section === 'templates' ? (
        <TemplatesPanel api={api} me={me} />
      ) : route.id === 'new' ? (
        <div class="pad"><ArticleEditor api={api} initial={null} onSaved={(a) => onNavigate({ ...route, id: a.id })} onCancel={toList} /></div>
      ) : route.id === null ? (
        <ArticleSearch api={api} q={route.q} onQuery={(q) => onNavigate({ ...route, q })} />
      ) : (
        <ArticlePage key={route.id} id={route.id} api={api} me={me} onDeleted={toList} />
      )}
    </main>
  );
}

function ArticleSearch({ api, q, onQuery }: { api: ApiClient; q: string; onQuery: (q: string) => void }) {
  const { t, l, locale } = useI18n();
  const [typed, setTyped] = useState(q);
  const { value: list, error, reload } = useLoad<ArticleList>(() => api.articles({ q: q || undefined, limit: KB_SEARCH_LIMIT }), q);
  // The URL follows what is typed, after a pause; the list follows the URL.
  useEffect(() => {
    if (typed === q) return;
    const timer = setTimeout(() => onQuery(typed.trim()), KB_SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  return (
    <div class="pad kb-search">
      <div class="kb-search-bar">
        <label class="field field-wide">
          <span>{t('kb.search')}</span>
          <input type="search" data-testid="kb-search" maxLength={200} placeholder={t('kb.searchPlaceholder')} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <a class="btn btn-primary btn-small" href={routeToHash({ name: 'kb', section: 'articles', id: 'new', q: '' })} data-testid="kb-new">
          {t('kb.new')}
        </a>
      </div>
      <ErrorBanner error={error} onRetry={reload} />
      {!list ? (
        error ? null : <p class="muted">{t('kb.loading')}</p>
      ) : (
        <>
          <p class="muted small" role="status" data-testid="kb-found">{t('kb.found', { n: list.total })}</p>
          {list.articles.length === 0 ? <p class="muted" data-testid="kb-empty">{t('kb.empty')}</p> : null}
          <ul class="kb-results" data-testid="kb-results">
            {list.articles.map((article) => (
              <li key={article.id} class="card" data-article-id={article.id}>
                <a href={kbArticleHash(article.id)} class="kb-result-title">{l(article.title)}</a>
                {article.builtin ? <span class="chip">{t('kb.builtin')}</span> : null}
                <p class="small kb-excerpt">{article.excerpt}</p>
                <p class="small muted">
                  {[...article.codes, ...article.models].join(' · ')} {article.codes.length + article.models.length ? '· ' : ''}
                  {t('kb.byline', { author: article.author, at: formatDateTime(article.updatedAt, locale) })}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ArticlePage({ id, api, me, onDeleted }: { id: number; api: ApiClient; me: Me; onDeleted: () => void }) {
  const { t, l, locale } = useI18n();
  const { value: article, error, reload, set } = useLoad<Article>(() => api.article(id), id);
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const back = <a class="back" href={routeToHash({ name: 'kb', section: 'articles', id: null, q: '' })}>{t('kb.back')}</a>;
  if (!article) return <div class="pad">{back}<ErrorBanner error={error} onRetry={reload} />{error ? null : <p class="muted">{t('kb.loading')}</p>}</div>;
  if (editing) {
    return (
      <div class="pad">
        <ArticleEditor api={api} initial={article} onSaved={(saved) => { set(saved); setEditing(false); }} onCancel={() => setEditing(false)} />
      </div>
    );
  }
  const remove = () => {
    if (!window.confirm(t('kb.deleteConfirm', { title: l(article.title) }))) return;
    api.deleteArticle(article.id).then(onDeleted, setFailure);
  };
  return (
    <div class="pad">
      {back}
      <article class="card kb-article" data-testid="kb-article" data-article-id={article.id}>
        <h1>{l(article.title)} {article.builtin ? <span class="chip">{t('kb.builtin')}</span> : null}</h1>
        <p class="small muted">
          {[...article.codes, ...article.models].join(' · ')} {article.codes.length + article.models.length ? '· ' : ''}
          {t('kb.byline', { author: article.author, at: formatDateTime(article.updatedAt, locale) })}
        </p>
        <MarkdownView source={article.body} testId="kb-article-body" />
        <div class="action-form-buttons">
          <button type="button" class="btn" data-testid="kb-edit" onClick={() => setEditing(true)}>{t('kb.edit')}</button>
          {me.role === 'admin' && !article.builtin ? (
            <button type="button" class="btn btn-ghost" data-testid="kb-delete" onClick={remove}>{t('kb.delete')}</button>
          ) : null}
        </div>
        <ErrorBanner error={failure} />
      </article>
    </div>
  );
}

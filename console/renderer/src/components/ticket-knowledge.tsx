import { CATALOGUE, fillTemplate, type Article, type FixRate, type KnowledgeArticle, type Me, type TicketDetail, type TicketKnowledge } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n, type I18n } from '../i18n/locale';
import { ratePercent } from '../logic/kb-form';
import { MarkdownView } from './markdown-view';
import { kbArticleHash } from '../logic/route';
import { ErrorBanner } from './common';
import { useLoad } from './use-load';

/** "92 % из 140": a fix's rate and how many tickets it was applied to. */
export function rateText({ t }: I18n, fix: Pick<FixRate, 'rate' | 'applied'>): string {
  return t('knowledge.rate', { percent: ratePercent(fix.rate), n: fix.applied });
}

/** The ticket's knowledge, reloaded when the ticket's status changes (a resolution records a fix). */
export function useTicketKnowledge(api: ApiClient, ticket: Pick<TicketDetail, 'id' | 'status'>) {
  // Through a promise: whatever goes wrong asking shows as the card's error, never as a thrown effect.
  return useLoad<TicketKnowledge>(() => Promise.resolve().then(() => api.ticketKnowledge(ticket.id)), `${ticket.id}:${ticket.status}`);
}

export interface KnowledgeCardProps {
  ticket: TicketDetail;
  api: ApiClient;
  me: Me;
  /** runs an action and applies the ticket it returns (TicketScreen's act) */
  act: (fn: () => Promise<TicketDetail | void>) => Promise<boolean>;
}

/**
 * "Знания": the articles linked to the ticket's code and model, how past tickets of the same code
 * and model were fixed with their fix rates, and the reply templates, insertable into a note.
 */
export function KnowledgeCard({ ticket, api, me, act }: KnowledgeCardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { value: knowledge, error, reload } = useTicketKnowledge(api, ticket);
  return (
    <section class="card knowledge" data-testid="knowledge">
      <h2>{t('knowledge.title')}</h2>
      <ErrorBanner error={error} onRetry={reload} />
      {!knowledge ? (error ? null : <p class="muted">{t('kb.loading')}</p>) : (
        <>
          <h3>{t('knowledge.articles')}</h3>
          {knowledge.articles.length === 0 ? <p class="muted small">{t('knowledge.noArticles')}</p> : null}
          <ul class="knowledge-articles" data-testid="knowledge-articles">
            {knowledge.articles.map((article) => <LinkedArticle key={article.id} article={article} api={api} />)}
          </ul>
          <h3>{t('knowledge.fixes')} <span class="muted small" title={knowledge.code}>{t('knowledge.fixesFor', { problem: i18n.l(CATALOGUE[knowledge.code].title), model: knowledge.model ?? t('knowledge.noModel') })}</span></h3>
          {knowledge.fixes.length === 0 ? <p class="muted small">{t('knowledge.noFixes')}</p> : null}
          <ol class="knowledge-fixes" data-testid="knowledge-fixes">
            {knowledge.fixes.map((fix) => (
              <li key={fix.key} data-fix-key={fix.key}>
                <span class="fix-text">{fix.text}</span>{' '}
                <strong class="fix-rate" title={t('knowledge.rateTitle', { fixed: fix.fixed, n: fix.applied })}>{rateText(i18n, fix)}</strong>
              </li>
            ))}
          </ol>
          {knowledge.templates.length > 0 ? <TemplateInsert ticket={ticket} knowledge={knowledge} api={api} me={me} act={act} /> : null}
        </>
      )}
    </section>
  );
}

/** One linked article: its title and why it is listed; opened, its body rendered from Markdown (sanitized). */
function LinkedArticle({ article, api }: { article: KnowledgeArticle; api: ApiClient }) {
  const { t, l } = useI18n();
  const [full, setFull] = useState<Article | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const onToggle = (e: { currentTarget: HTMLDetailsElement }) => {
    if (e.currentTarget.open && !full) api.article(article.id).then(setFull, setFailure);
  };
  return (
    <li data-article-id={article.id}>
      <details onToggle={onToggle}>
        <summary>
          {l(article.title)} <span class="chip">{t(`knowledge.match.${article.match}`)}</span>
        </summary>
        <ErrorBanner error={failure} />
        {full ? <MarkdownView source={full.body} testId="knowledge-article-body" /> : <p class="small">{article.excerpt}</p>}
        <a class="small" href={kbArticleHash(article.id)}>{t('knowledge.open')}</a>
      </details>
    </li>
  );
}

/** Pick a reply template, get it filled with the ticket's values in an editable note, add the note. */
function TemplateInsert({ ticket, knowledge, api, me, act }: KnowledgeCardProps & { knowledge: TicketKnowledge }) {
  const { t, l } = useI18n();
  const [chosen, setChosen] = useState(knowledge.templates[0]?.id ?? 0);
  const [draft, setDraft] = useState<string | null>(null);
  const insert = () => {
    const template = knowledge.templates.find((x) => x.id === chosen);
    if (!template) return;
    setDraft(fillTemplate(template.body, {
      ticket: `№${ticket.id}`, store: ticket.storeId, register: ticket.registerId, problem: l(CATALOGUE[ticket.code].title), engineer: me.displayName || me.username,
    }));
  };
  return (
    <div class="knowledge-templates">
      <h3>{t('knowledge.templates')}</h3>
      <div class="action-form-buttons">
        <select data-testid="knowledge-template" value={String(chosen)} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
          {knowledge.templates.map((template) => <option key={template.id} value={String(template.id)}>{l(template.title)}</option>)}
        </select>
        <button type="button" class="btn btn-small" data-testid="knowledge-insert" onClick={insert}>{t('knowledge.insert')}</button>
      </div>
      {draft !== null ? (
        <form class="action-form" onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.note(ticket.id, draft.trim())).then((ok) => ok && setDraft(null));
        }}>
          <textarea data-testid="knowledge-note" rows={4} maxLength={2000} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <div class="action-form-buttons">
            <button type="submit" class="btn btn-primary" data-testid="knowledge-note-save" disabled={!draft.trim()}>{t('knowledge.saveNote')}</button>
            <button type="button" class="btn btn-ghost" onClick={() => setDraft(null)}>{t('kb.cancel')}</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

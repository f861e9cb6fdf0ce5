import { CATALOGUE, DiagnosisCode, type Article } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { articleInputOf, EMPTY_ARTICLE_FORM, formFromArticle, type ArticleForm } from '../logic/kb-form';
import { MarkdownView } from './markdown-view';
import { ErrorBanner } from './common';

/**
 * Create (initial null) or edit a knowledge-base article: titles, linked codes and models, the
 * Markdown body beside its preview (rendered and sanitized as readers will see it).
 */
export function ArticleEditor({ api, initial, onSaved, onCancel }: { api: ApiClient; initial: Article | null; onSaved: (article: Article) => void; onCancel: () => void }) {
  const { t, l } = useI18n();
  const [form, setForm] = useState<ArticleForm>(() => (initial ? formFromArticle(initial) : EMPTY_ARTICLE_FORM));
  const [missingTitle, setMissingTitle] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const set = (field: 'titleRu' | 'titleEn' | 'body' | 'models') => (e: { currentTarget: { value: string } }) => setForm({ ...form, [field]: e.currentTarget.value });

  const submit = () => {
    const input = articleInputOf(form);
    setMissingTitle(input === null);
    if (!input) return;
    setBusy(true);
    setFailure(null);
    api.saveArticle(initial?.id ?? null, input).then(onSaved, setFailure).finally(() => setBusy(false));
  };

  return (
    <form class="card kb-editor" data-testid="kb-editor" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h1>{initial ? l(initial.title) : t('kb.new')}</h1>
      <label class="field field-wide">
        <span>{t('kb.titleRu')}</span>
        <input data-testid="kb-title-ru" maxLength={200} value={form.titleRu} aria-invalid={missingTitle} onInput={set('titleRu')} />
      </label>
      {missingTitle ? <p class="field-error" role="alert">{t('kb.needTitle')}</p> : null}
      <label class="field field-wide">
        <span>{t('kb.titleEn')}</span>
        <input data-testid="kb-title-en" maxLength={200} value={form.titleEn} onInput={set('titleEn')} />
      </label>
      <label class="field field-wide">
        <span>{t('kb.codes')}</span>
        <select
          data-testid="kb-codes"
          multiple
          size={6}
          onChange={(e) => setForm({ ...form, codes: [...e.currentTarget.selectedOptions].map((o) => DiagnosisCode.parse(o.value)) })}
        >
          {DiagnosisCode.options.map((code) => (
            <option key={code} value={code} selected={form.codes.includes(code)}>
              {code} — {l(CATALOGUE[code].title)}
            </option>
          ))}
        </select>
      </label>
      <label class="field field-wide">
        <span>{t('kb.models')}</span>
        <input data-testid="kb-models" maxLength={1000} placeholder={t('kb.modelsHint')} value={form.models} onInput={set('models')} />
      </label>
      <div class="kb-editor-panes">
        <label class="field field-wide">
          <span>{t('kb.body')}</span>
          <textarea data-testid="kb-body" rows={16} maxLength={50_000} value={form.body} onInput={set('body')} />
        </label>
        <section class="kb-preview" aria-label={t('kb.preview')}>
          <span class="muted small">{t('kb.preview')}</span>
          <MarkdownView source={form.body} testId="kb-preview" />
        </section>
      </div>
      <ErrorBanner error={failure} />
      <div class="action-form-buttons">
        <button type="submit" class="btn btn-primary" data-testid="kb-save" disabled={busy}>
          {busy ? t('kb.saving') : t('kb.save')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {t('kb.cancel')}
        </button>
      </div>
    </form>
  );
}

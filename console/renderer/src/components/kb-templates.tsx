import { TEMPLATE_PLACEHOLDERS, TemplateInput, type Me, type ReplyTemplate, type TemplateList } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';
import { useLoad } from './use-load';

/** The reply templates: each with its text; edit in place, add one; deleting is for admins. */
export function TemplatesPanel({ api, me }: { api: ApiClient; me: Me }) {
  const { t, l } = useI18n();
  const { value: list, error, reload } = useLoad<TemplateList>(() => api.templates(), api);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const saved = () => {
    setEditing(null);
    reload();
  };
  const remove = (template: ReplyTemplate) => api.deleteTemplate(template.id).then(reload, setFailure);
  return (
    <div class="pad kb-templates" data-testid="kb-templates">
      <p class="small muted">{t('kb.template.placeholders', { list: TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(' ') })}</p>
      <ErrorBanner error={error ?? failure} onRetry={reload} />
      {editing === 'new' ? (
        <TemplateEditor api={api} initial={null} onSaved={saved} onCancel={() => setEditing(null)} />
      ) : (
        <button type="button" class="btn btn-primary btn-small" data-testid="kb-template-new" onClick={() => setEditing('new')}>{t('kb.template.new')}</button>
      )}
      {list && list.templates.length === 0 ? <p class="muted">{t('kb.template.empty')}</p> : null}
      <ul class="kb-results">
        {list?.templates.map((template) =>
          editing === template.id ? (
            <li key={template.id}><TemplateEditor api={api} initial={template} onSaved={saved} onCancel={() => setEditing(null)} /></li>
          ) : (
            <li key={template.id} class="card" data-template-id={template.id}>
              <strong>{l(template.title)}</strong>
              <p class="kb-template-body">{template.body}</p>
              <div class="action-form-buttons">
                <button type="button" class="btn btn-small" onClick={() => setEditing(template.id)}>{t('kb.edit')}</button>
                {me.role === 'admin' ? <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(template)}>{t('kb.delete')}</button> : null}
              </div>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

function TemplateEditor({ api, initial, onSaved, onCancel }: { api: ApiClient; initial: ReplyTemplate | null; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [titleRu, setTitleRu] = useState(initial?.title.ru ?? '');
  const [titleEn, setTitleEn] = useState(initial?.title.en ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [invalid, setInvalid] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = () => {
    const parsed = TemplateInput.safeParse({ title: { ru: titleRu, en: titleEn }, body });
    setInvalid(!parsed.success);
    if (parsed.success) api.saveTemplate(initial?.id ?? null, parsed.data).then(onSaved, setFailure);
  };
  return (
    <form class="card kb-editor" data-testid="kb-template-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <label class="field field-wide"><span>{t('kb.titleRu')}</span><input data-testid="kb-template-title-ru" maxLength={200} value={titleRu} onInput={(e) => setTitleRu(e.currentTarget.value)} /></label>
      <label class="field field-wide"><span>{t('kb.titleEn')}</span><input maxLength={200} value={titleEn} onInput={(e) => setTitleEn(e.currentTarget.value)} /></label>
      <label class="field field-wide"><span>{t('kb.template.body')}</span><textarea data-testid="kb-template-body" rows={5} maxLength={5000} value={body} onInput={(e) => setBody(e.currentTarget.value)} /></label>
      {invalid ? <p class="field-error" role="alert">{t('kb.template.needBody')}</p> : null}
      <ErrorBanner error={failure} />
      <div class="action-form-buttons">
        <button type="submit" class="btn btn-primary" data-testid="kb-template-save">{t('kb.save')}</button>
        <button type="button" class="btn btn-ghost" onClick={onCancel}>{t('kb.cancel')}</button>
      </div>
    </form>
  );
}

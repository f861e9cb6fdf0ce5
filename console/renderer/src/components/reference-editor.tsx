import type { ReferenceDetail } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n, type I18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { EMPTY_FORM, formFromReference, isListField, LIST_FIELDS, requestFromForm, type FormError, type ListField, type ReferenceForm } from '../logic/reference-form';
import { ErrorBanner } from './common';

const LIST_LABELS: Record<ListField, StringKey> = {
  drivers: 'refs.spec.drivers',
  services: 'refs.spec.services',
  posApps: 'refs.spec.posApps',
  fiscalStack: 'refs.spec.fiscalStack',
  peripherals: 'refs.spec.peripherals',
  configFiles: 'refs.spec.configFiles',
};
const LIST_HINTS: Record<ListField, StringKey> = {
  drivers: 'refForm.hint.drivers',
  services: 'refForm.hint.services',
  posApps: 'refForm.hint.posApps',
  fiscalStack: 'refForm.hint.fiscalStack',
  peripherals: 'refForm.hint.peripherals',
  configFiles: 'refForm.hint.configFiles',
};

/** A form problem in words: "Драйверы принтеров, строка 2: ожидается «название = версия …»". */
export function formErrorText({ t }: I18n, error: FormError): string {
  const vars = { ...error.vars, ...(error.hint ? { hint: t(error.hint) } : {}) };
  const problem = t(error.key, vars);
  if (error.line === undefined) return problem;
  const field = isListField(error.field) ? t(LIST_LABELS[error.field]) : error.field;
  return t('refForm.lineError', { field, line: error.line, problem });
}

/**
 * Create (initial null) or edit a reference (admins): name, scope, and the spec's lists as lines.
 * Every problem is listed with its field and line before anything is sent; the server validates too.
 */
export function ReferenceEditor({ api, initial, onSaved, onCancel }: { api: ApiClient; initial: ReferenceDetail | null; onSaved: (id: number) => void; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<ReferenceForm>(() => (initial ? formFromReference(initial) : EMPTY_FORM));
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const set = (field: keyof ReferenceForm) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [field]: e.currentTarget.value });

  const submit = () => {
    const result = requestFromForm(form);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    setFailure(null);
    (initial ? api.updateReference(initial.id, result.request) : api.createReference(result.request))
      .then((saved) => onSaved(saved.id), setFailure)
      .finally(() => setBusy(false));
  };
  // A scope problem marks both scope fields: either one fixes it.
  const scopeMissing = errors.some((e) => e.field === 'scope');
  const invalid = (field: keyof ReferenceForm) => errors.some((e) => e.field === field) || (scopeMissing && (field === 'machineModel' || field === 'storeIds'));

  return (
    <form
      class="card reference-form"
      data-testid="reference-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h1>{initial ? initial.name : t('refs.new')}</h1>
      <label class="field field-wide">
        <span>{t('refForm.name')}</span>
        <input data-testid="ref-name" maxLength={120} value={form.name} aria-invalid={invalid('name')} onInput={set('name')} />
      </label>
      <p class="small muted">{t('refForm.scopeHint')}</p>
      <label class="field field-wide">
        <span>{t('refForm.machineModel')}</span>
        <input data-testid="ref-model" maxLength={128} value={form.machineModel} aria-invalid={invalid('machineModel')} onInput={set('machineModel')} />
      </label>
      <label class="field field-wide">
        <span>{t('refForm.storeFormat')}</span>
        <input data-testid="ref-format" maxLength={64} value={form.storeFormat} onInput={set('storeFormat')} />
      </label>
      <label class="field field-wide">
        <span>{t('refForm.storeIds')}</span>
        <textarea data-testid="ref-stores" rows={2} value={form.storeIds} aria-invalid={invalid('storeIds')} onInput={set('storeIds')} />
      </label>
      <label class="field field-wide">
        <span>{t('refs.spec.osBuild')}</span>
        <input data-testid="ref-osBuild" maxLength={64} value={form.osBuild} onInput={set('osBuild')} />
      </label>
      <p class="small muted">{t('refForm.linesHint')}</p>
      {LIST_FIELDS.map((field) => (
        <label key={field} class="field field-wide">
          <span>
            {t(LIST_LABELS[field])} <span class="muted small">({t(LIST_HINTS[field])})</span>
          </span>
          <textarea data-testid={`ref-${field}`} rows={3} class="mono" value={form[field]} aria-invalid={invalid(field)} onInput={set(field)} />
        </label>
      ))}
      {errors.length ? (
        <ul class="banner banner-error form-errors" role="alert" data-testid="ref-errors">
          {errors.map((e, i) => (
            <li key={i} data-field={e.field} data-line={e.line}>
              {formErrorText(i18n, e)}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={failure} testid="ref-save-error" />
      <div class="action-form-buttons">
        <button type="submit" class="btn btn-primary" data-testid="ref-save" disabled={busy}>
          {t('refForm.save')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {t('refForm.cancel')}
        </button>
      </div>
    </form>
  );
}

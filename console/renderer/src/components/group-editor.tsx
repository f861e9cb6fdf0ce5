import { GroupId, SUPPORT_LINE_TITLES, SupportLine, type SupportGroup } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';
import { FormErrors, SaveCancel, type ShownError } from './service-common';

/**
 * A new group (group null: its id is chosen here, lowercase letters, digits and _) or an existing
 * one: titles in Russian and English, its line, archived or not. Checked before sending.
 */
export function GroupEditor({ api, group, takenIds, onSaved, onCancel }: { api: ApiClient; group: SupportGroup | null; takenIds: readonly string[]; onSaved: () => void; onCancel: () => void }) {
  const { t, l } = useI18n();
  const [id, setId] = useState(group?.id ?? '');
  const [ru, setRu] = useState(group?.title.ru ?? '');
  const [en, setEn] = useState(group?.title.en ?? '');
  const [line, setLine] = useState<SupportLine>(group?.line ?? 'second');
  const [archived, setArchived] = useState(group?.archived ?? false);
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = () => {
    const problems: ShownError[] = [];
    const slug = id.trim();
    if (!group && !GroupId.safeParse(slug).success) problems.push({ key: 'svc.groups.error.id', label: t('svc.groups.id') });
    else if (!group && takenIds.includes(slug)) problems.push({ key: 'svc.groups.error.taken', label: t('svc.groups.id') });
    for (const [text, label] of [[ru, t('svc.groups.titleRu')], [en, t('svc.groups.titleEn')]] as const) {
      if (!text.trim() || text.trim().length > 80) problems.push({ key: 'svc.groups.error.title', label });
    }
    setErrors(problems);
    setFailure(null);
    if (problems.length) return;
    setBusy(true);
    api
      .saveGroup(group?.id ?? slug, { title: { ru: ru.trim(), en: en.trim() }, line, archived })
      .then(onSaved, setFailure)
      .finally(() => setBusy(false));
  };

  return (
    <form
      class="card group-editor"
      data-testid="svc-group-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{group ? t('svc.groups.editTitle', { id: group.id }) : t('svc.groups.new')}</h3>
      {group ? null : (
        <label class="field-wide">
          <span>{t('svc.groups.id')}</span>
          <input data-testid="svc-group-id" value={id} maxLength={32} placeholder="kkt_atol" onInput={(e) => setId(e.currentTarget.value)} />
        </label>
      )}
      <label class="field-wide">
        <span>{t('svc.groups.titleRu')}</span>
        <input data-testid="svc-group-ru" value={ru} maxLength={80} onInput={(e) => setRu(e.currentTarget.value)} />
      </label>
      <label class="field-wide">
        <span>{t('svc.groups.titleEn')}</span>
        <input data-testid="svc-group-en" value={en} maxLength={80} onInput={(e) => setEn(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>{t('svc.groups.line')}</span>
        <select data-testid="svc-group-line" value={line} onChange={(e) => setLine(SupportLine.parse(e.currentTarget.value))}>
          {SupportLine.options.map((option) => (
            <option key={option} value={option}>
              {l(SUPPORT_LINE_TITLES[option])}
            </option>
          ))}
        </select>
      </label>
      <label class="opt">
        <input type="checkbox" data-testid="svc-group-archived" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
        <span>{t('svc.groups.archive')}</span>
      </label>
      <FormErrors errors={errors} testid="svc-group-errors" />
      <ErrorBanner error={failure} testid="svc-group-save-error" />
      <SaveCancel busy={busy} testid="svc-group-save" onCancel={onCancel} />
    </form>
  );
}

import { PRIORITY_TITLES, SERVICE_CATEGORY_TITLES, ServiceCategory, type SlaTarget } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { cellKey, formToTargets, PRIORITIES, targetsToForm, type CellKey, type TargetError, type TargetsForm } from '../logic/sla-targets-form';
import { ErrorBanner } from './common';
import { FormErrors, PartFrame, SaveBar } from './service-common';
import { useLoad } from './use-load';

/**
 * SLA targets: a category × priority table of reaction and resolution times in the store's business
 * time (its hours and calendar). Admins type "0:15" or "4 ч 30 мин"; engineers read.
 */
export function SlaTargetsPanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const state = useLoad(() => api.slaTargets(), api);
  return (
    <PartFrame testid="svc-sla" title="svc.sla.title" hint="svc.sla.hint" readOnly={!admin} state={state}>
      {(value) => <TargetsTable targets={value.targets} admin={admin} api={api} onSaved={state.set} />}
    </PartFrame>
  );
}

function TargetsTable({ targets, admin, api, onSaved }: { targets: SlaTarget[]; admin: boolean; api: ApiClient; onSaved: (value: { targets: SlaTarget[] }) => void }) {
  const { t, l } = useI18n();
  const [form, setForm] = useState<TargetsForm>(() => targetsToForm(targets));
  const [errors, setErrors] = useState<TargetError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setForm(targetsToForm(targets)), [targets]);

  const edit = (cell: CellKey, which: 'react' | 'resolve', text: string) => {
    const current = form[cell] ?? { react: '', resolve: '' };
    setForm({ ...form, [cell]: { ...current, [which]: text } });
    setSaved(false);
  };
  const save = () => {
    const result = formToTargets(form);
    setFailure(null);
    if ('errors' in result) return setErrors(result.errors);
    setErrors([]);
    setBusy(true);
    api
      .saveSlaTargets({ targets: result.targets })
      .then((answer) => {
        onSaved(answer);
        setSaved(true);
      }, setFailure)
      .finally(() => setBusy(false));
  };
  const invalid = new Set(errors.map((e) => `${e.cell}/${e.which}`));
  const label = (error: TargetError) => {
    const [category, priority] = error.cell.split('/') as [ServiceCategory, string];
    return `${l(SERVICE_CATEGORY_TITLES[category])}, P${priority}, ${t(error.which === 'react' ? 'svc.sla.react' : 'svc.sla.resolve')}`;
  };
  return (
    <>
      <div class="table-scroll">
        <table class="host-table sla-targets" data-testid="svc-sla-table">
          <thead>
            <tr>
              <th>{t('svc.sla.category')}</th>
              {PRIORITIES.map((p) => (
                <th key={p} title={l(PRIORITY_TITLES[p])}>
                  {l(PRIORITY_TITLES[p])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ServiceCategory.options.map((category) => (
              <tr key={category} data-category={category}>
                <th scope="row">{l(SERVICE_CATEGORY_TITLES[category])}</th>
                {PRIORITIES.map((priority) => {
                  const cell = cellKey(category, priority);
                  const typed = form[cell];
                  return (
                    <td key={priority} data-cell={cell}>
                      {(['react', 'resolve'] as const).map((which) => (
                        <label key={which} class="sla-cell">
                          <span class="muted small">{t(which === 'react' ? 'svc.sla.react' : 'svc.sla.resolve')}</span>
                          {admin ? (
                            <input
                              class="duration-input"
                              data-testid={`sla-${cell}-${which}`}
                              value={typed?.[which] ?? ''}
                              aria-invalid={invalid.has(`${cell}/${which}`) ? 'true' : undefined}
                              onInput={(e) => edit(cell, which, e.currentTarget.value)}
                            />
                          ) : (
                            <span class="mono" data-testid={`sla-${cell}-${which}`}>
                              {typed?.[which] ?? '—'}
                            </span>
                          )}
                        </label>
                      ))}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormErrors errors={errors.map((e) => ({ key: e.key, label: label(e) }))} testid="svc-sla-errors" />
      <ErrorBanner error={failure} testid="svc-sla-save-error" />
      {admin ? <SaveBar busy={busy} saved={saved} testid="svc-sla" onSave={save} /> : null}
    </>
  );
}

import { CATALOGUE, DiagnosisCode, type NoiseSettingsView } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey } from '../i18n/strings';
import { formatDuration } from '../logic/format';
import { formToNoise, noiseToForm, type NoiseField, type NoiseForm, type NoiseFormError } from '../logic/noise-form';
import { ErrorBanner } from './common';
import { FormErrors, PartFrame, SaveBar } from './service-common';
import { useLoad } from './use-load';

const FIELDS: { field: Exclude<NoiseField, `hold.${string}`>; label: StringKey; hint: StringKey }[] = [
  { field: 'reopenDays', label: 'svc.noise.reopenDays', hint: 'svc.noise.reopenDaysHint' },
  { field: 'flapThreshold', label: 'svc.noise.flapThreshold', hint: 'svc.noise.flapThresholdHint' },
  { field: 'flapWindow', label: 'svc.noise.flapWindow', hint: 'svc.noise.flapWindowHint' },
  { field: 'calm', label: 'svc.noise.calm', hint: 'svc.noise.calmHint' },
  { field: 'correlationWindow', label: 'svc.noise.corrWindow', hint: 'svc.noise.corrWindowHint' },
  { field: 'correlationPercent', label: 'svc.noise.corrShare', hint: 'svc.noise.corrShareHint' },
  { field: 'minRegisters', label: 'svc.noise.corrMin', hint: 'svc.noise.corrMinHint' },
];

/**
 * Noise control: how long each condition must hold before a ticket opens (the catalogue's default
 * beside the override; an empty field keeps the default), reopening, flapping, and when silent or
 * alike registers make one store incident. Admins edit; engineers read.
 */
export function NoisePanel({ api, admin }: { api: ApiClient; admin: boolean }) {
  const state = useLoad(() => api.noiseSettings(), api);
  // Kept here: a save sets the server's answer, which starts the editor afresh from it.
  const [saved, setSaved] = useState(false);
  return (
    <PartFrame testid="svc-noise" title="svc.noise.title" hint="svc.noise.hint" readOnly={!admin} state={state}>
        {(view) => (
          <NoiseEditor
            key={JSON.stringify(view.settings)}
            view={view}
            admin={admin}
            api={api}
            saved={saved}
            onEdited={() => setSaved(false)}
            onSaved={(answer) => {
              setSaved(true);
              state.set(answer);
            }}
          />
        )}
    </PartFrame>
  );
}

interface NoiseEditorProps {
  view: NoiseSettingsView;
  admin: boolean;
  api: ApiClient;
  saved: boolean;
  onEdited: () => void;
  onSaved: (view: NoiseSettingsView) => void;
}

function NoiseEditor({ view, admin, api, saved, onEdited, onSaved }: NoiseEditorProps) {
  const { t, l, locale } = useI18n();
  const words = { min: t('svc.unit.min'), s: t('svc.unit.s') };
  const [form, setForm] = useState<NoiseForm>(() => noiseToForm(view.settings, words));
  const [errors, setErrors] = useState<NoiseFormError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const invalid = new Set(errors.map((e) => e.field));
  const labelOf = (field: NoiseField): string => {
    if (field.startsWith('hold.')) return l(CATALOGUE[field.slice(5) as DiagnosisCode].title);
    const known = FIELDS.find((f) => f.field === field);
    return known ? t(known.label) : field;
  };
  const edit = (change: Partial<NoiseForm>) => {
    setForm({ ...form, ...change });
    onEdited();
  };
  const save = () => {
    const result = formToNoise(form);
    setFailure(null);
    if ('errors' in result) return setErrors(result.errors);
    setErrors([]);
    setBusy(true);
    api
      .saveNoiseSettings(result.settings)
      .then(onSaved, setFailure)
      .finally(() => setBusy(false));
  };
  return (
    <>
      <div class="noise-fields">
        {FIELDS.map(({ field, label, hint }) => (
          <label key={field} class="field-wide">
            <span>{t(label)}</span>
            <input data-testid={`svc-noise-${field}`} value={form[field]} disabled={!admin} aria-invalid={invalid.has(field) ? 'true' : undefined} onInput={(e) => edit({ [field]: e.currentTarget.value })} />
            <span class="muted small">{t(hint)}</span>
          </label>
        ))}
      </div>
      <h3>{t('svc.noise.holds')}</h3>
      <p class="muted small">{t('svc.noise.holdsHint')}</p>
      <div class="table-scroll">
        <table class="host-table" data-testid="svc-noise-holds">
          <thead>
            <tr>
              <th>{t('svc.routing.diagnosis')}</th>
              <th>{t('svc.noise.default')}</th>
              <th>{t('svc.noise.override')}</th>
            </tr>
          </thead>
          <tbody>
            {DiagnosisCode.options.map((code) => {
              const fallback = view.defaultHolds[code] ?? CATALOGUE[code].holdSec ?? 0;
              return (
                <tr key={code} data-code={code} data-overridden={form.holds[code]?.trim() ? 'true' : undefined}>
                  <td>
                    {l(CATALOGUE[code].title)}
                    <div class="mono muted small">{code}</div>
                  </td>
                  <td data-col="default">{fallback ? formatDuration(fallback * 1000, locale) : t('svc.noise.noHold')}</td>
                  <td>
                    <input
                      class="duration-input"
                      data-testid={`svc-hold-${code}`}
                      value={form.holds[code] ?? ''}
                      disabled={!admin}
                      placeholder={t('svc.noise.asDefault')}
                      aria-invalid={invalid.has(`hold.${code}`) ? 'true' : undefined}
                      onInput={(e) => edit({ holds: { ...form.holds, [code]: e.currentTarget.value } })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FormErrors errors={errors.map((e) => ({ key: e.key, vars: e.vars, label: labelOf(e.field) }))} testid="svc-noise-errors" />
      <ErrorBanner error={failure} testid="svc-noise-save-error" />
      {admin ? <SaveBar busy={busy} saved={saved} testid="svc-noise" onSave={save} /> : null}
    </>
  );
}

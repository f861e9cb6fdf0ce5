import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey, Vars } from '../i18n/strings';
import { ErrorBanner } from './common';
import type { Loaded } from './use-load';

/**
 * A list the server does not serve: this console's server is older than the screen (404 on a
 * read), so the part says so instead of failing.
 */
export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** A part of the service desk once its data is loaded: loading, "not available", an error with retry, or the part. */
export function LoadedPart<T>({ state, testid, children }: { state: Loaded<T>; testid: string; children: (value: T) => ComponentChildren }) {
  const { t } = useI18n();
  if (isNotAvailable(state.error)) {
    return (
      <p class="banner" role="status" data-testid={`${testid}-unavailable`}>
        {t('svc.unavailable')}
      </p>
    );
  }
  if (state.error) return <ErrorBanner error={state.error} onRetry={state.reload} testid={`${testid}-error`} />;
  if (state.value === null) return <p class="muted pad">{t('svc.loading')}</p>;
  return <>{children(state.value)}</>;
}

export interface ShownError {
  key: StringKey;
  vars?: Vars;
  /** what it is about, already in words ("Пн", "Начало", "Принтеры / P1 реакция") */
  label?: string;
}

/**
 * One part of the service desk: its title, what it is for, "read only" for engineers where admins
 * edit, `controls` that do not need the data (pickers, an import), then the part once loaded.
 */
export function PartFrame<T>(props: { testid: string; title: StringKey; hint: StringKey; readOnly: boolean; state: Loaded<T>; controls?: ComponentChildren; children: (value: T) => ComponentChildren }) {
  const { t } = useI18n();
  return (
    <section class="card service-part" data-testid={props.testid}>
      <h2>{t(props.title)}</h2>
      <p class="muted small">{t(props.hint)}</p>
      {props.readOnly ? <ReadOnlyNote /> : null}
      {props.controls}
      <LoadedPart state={props.state} testid={props.testid}>
        {props.children}
      </LoadedPart>
    </section>
  );
}

/** Save and cancel under an editor form (the form's submit saves). */
export function SaveCancel({ busy, testid, onCancel }: { busy: boolean; testid: string; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div class="actions">
      <button type="submit" class="btn btn-primary" data-testid={testid} disabled={busy}>
        {t('svc.save')}
      </button>
      <button type="button" class="btn btn-ghost" onClick={onCancel}>
        {t('svc.cancel')}
      </button>
    </div>
  );
}

/** The save button of a part edited in place, with "Сохранено" after a save (`<testid>-save`, `<testid>-saved`). */
export function SaveBar({ busy, saved, testid, onSave }: { busy: boolean; saved: boolean; testid: string; onSave: () => void }) {
  const { t } = useI18n();
  return (
    <div class="actions">
      <button type="button" class="btn btn-primary" data-testid={`${testid}-save`} disabled={busy} onClick={onSave}>
        {t('svc.save')}
      </button>
      <SavedNote shown={saved} testid={`${testid}-saved`} />
    </div>
  );
}

/** Problems found before sending, each with what it is about. */
export function FormErrors({ errors, testid }: { errors: readonly ShownError[]; testid: string }) {
  const { t } = useI18n();
  if (!errors.length) return null;
  return (
    <ul class="banner banner-error form-errors" role="alert" data-testid={testid}>
      {errors.map((error, i) => (
        <li key={i}>{error.label ? `${error.label}: ${t(error.key, error.vars)}` : t(error.key, error.vars)}</li>
      ))}
    </ul>
  );
}

/** "Сохранено" after a write, in a live region so a screen reader says it too. */
export function SavedNote({ shown, testid }: { shown: boolean; testid: string }) {
  const { t } = useI18n();
  return shown ? (
    <span class="text-green small" role="status" data-testid={testid}>
      {t('svc.saved')}
    </span>
  ) : null;
}

/** Engineers read the settings; only an admin changes them (the server checks the role too). */
export function ReadOnlyNote() {
  return <p class="muted small" data-testid="svc-read-only">{useI18n().t('svc.readOnly')}</p>;
}

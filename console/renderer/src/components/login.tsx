import type { Me } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { StringKey, Vars } from '../i18n/strings';

/** "Try again in N s" when the server said how long (Retry-After), otherwise the plain message. */
function waitMessage(t: (key: StringKey, vars?: Vars) => string, err: ApiError, plain: StringKey, timed: StringKey): string {
  return err.retryAfterSec !== undefined && err.retryAfterSec > 0 ? t(timed, { seconds: String(err.retryAfterSec) }) : t(plain);
}

export function LoginScreen({ api, onLogin, notice }: { api: ApiClient; onLogin: (me: Me) => void; notice?: StringKey | null }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Never rejects: every failure becomes a message on the form.
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(t('login.error.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login({ username: username.trim(), password }));
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && (err.status === 401 || err.code === 'unauthorized' || err.code === 'bad_request')) setError(t('login.error.invalid'));
      else if (err instanceof ApiError && err.code === 'rate_limited') setError(waitMessage(t, err, 'login.error.rateLimited', 'login.error.rateLimitedFor'));
      else if (err instanceof ApiError && err.code === 'busy') setError(waitMessage(t, err, 'login.error.busy', 'login.error.busyFor'));
      else if (err instanceof ApiError && err.code === 'network') setError(t('login.error.network'));
      else setError(t('login.error.other', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={(ev) => void submit(ev)} method="post" noValidate>
        <div class="login-brand">
          <span class="brand-mark" aria-hidden="true">▣</span> {t('app.name')}
        </div>
        <h1>{t('login.title')}</h1>
        {notice && !error ? <p class="login-notice">{t(notice)}</p> : null}
        <label>
          <span>{t('login.username')}</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            required
            maxLength={64}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={256}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button class="btn btn-primary" type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

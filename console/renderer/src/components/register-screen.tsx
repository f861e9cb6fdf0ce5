import type { Me, RegisterDetail, RegisterHost } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client';
import type { FeedClient } from '../api/feed';
import { useI18n } from '../i18n/locale';
import { routeToHash, storeFleetHash, storeQueueHash } from '../logic/route';
import { useNow } from '../state/store';
import { ErrorBanner } from './common';
import { DriftView } from './drift';
import { HostPanel, useRegisterHost } from './host-panel';
import { RegisterActionsCard } from './register-actions';
import { RegisterPanel } from './ticket-parts';

/**
 * One register's page (#/registers/:agentId): its devices, its differences from its reference and,
 * for admins, "make it a reference"; then the register computer's host facts. Reloads when the feed
 * reports the register.
 */
export function RegisterScreen({ agentId, api, feed, me }: { agentId: string; api: ApiClient; feed: FeedClient; me: Me }) {
  const { t } = useI18n();
  const now = useNow(5_000);
  const [register, setRegister] = useState<RegisterDetail | null>(null);
  const [registerError, setRegisterError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const host = useRegisterHost(api, feed, agentId);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.register(agentId).then(
        (detail) => {
          if (!live) return;
          setRegister(detail);
          setRegisterError(null);
        },
        (failure: unknown) => live && setRegisterError(failure),
      );
    void load();
    const offMessage = feed.onMessage((m) => {
      if (m.type === 'register' && m.payload.agentId === agentId) void load();
    });
    const offReconnect = feed.onReconnect(() => void load());
    return () => {
      live = false;
      offMessage();
      offReconnect();
    };
  }, [api, feed, agentId, attempt]);

  return (
    <main class="detail-screen register-screen" data-testid="register-screen" data-agent-id={agentId}>
      <a class="back" href={register ? storeFleetHash(register.storeId) : '#/fleet'}>
        {t('registerPage.back')}
      </a>
      <section class="card">
        <h1 data-testid="register-title">
          {register ? t('registerPage.title', { register: register.registerId, store: register.storeId }) : <span class="mono">{agentId}</span>}
        </h1>
        <ErrorBanner error={registerError} onRetry={() => setAttempt((n) => n + 1)} />
        {register ? (
          <>
            <RegisterPanel register={register} now={now} />
            <p class="small">
              <a href={storeQueueHash(register.storeId)}>{t('registerPage.tickets')}</a>
            </p>
          </>
        ) : registerError ? null : (
          <p class="muted">{t('registerPage.loading')}</p>
        )}
      </section>
      {register ? <RegisterActionsCard register={register} api={api} version={register} /> : null}
      <section class="card" data-testid="register-drift">
        <h2>{t('drift.title')}</h2>
        <ErrorBanner error={host.error} onRetry={host.reload} />
        {host.host ? <DriftView drift={host.host.drift} /> : host.error ? null : <p class="muted">{t('drift.loading')}</p>}
        {me.role === 'admin' && host.host && register ? <PromoteForm api={api} register={register} host={host.host} onDone={host.reload} /> : null}
      </section>
      <section class="card">
        <h2>{t('host.title')}</h2>
        {host.host ? <HostPanel host={host.host} /> : host.error ? null : <p class="muted">{t('host.loading')}</p>}
      </section>
    </main>
  );
}

/**
 * Admins: this register's current state becomes a new reference, for its machine model, its store,
 * or both (the scope needs one). The server reads the state; the form only names and scopes it.
 */
function PromoteForm({ api, register, host, onDone }: { api: ApiClient; register: RegisterDetail; host: RegisterHost; onDone: () => void }) {
  const { t } = useI18n();
  const model = host.os?.facts.machine?.model || null;
  const [name, setName] = useState(() => [model, register.storeId, register.registerId].filter(Boolean).join(' · '));
  const [forModel, setForModel] = useState(model !== null);
  const [forStore, setForStore] = useState(model === null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ id: number; name: string } | null>(null);
  const valid = name.trim() !== '' && (forModel || forStore);
  // The server builds the spec from what the register reported (409 when it has reported nothing).
  const reported = [host.os, host.print, host.peripherals, host.pos].some((section) => section !== null);
  if (!reported) return <p class="muted small" data-testid="promote-unavailable">{t('promote.notReported')}</p>;
  const submit = () => {
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    api
      .promoteRegister({
        agentId: register.agentId,
        name: name.trim(),
        scope: { ...(forModel && model ? { machineModel: model } : {}), storeIds: forStore ? [register.storeId] : [] },
      })
      .then(
        (reference) => {
          setCreated({ id: reference.id, name: reference.name });
          onDone();
        },
        setError,
      )
      .finally(() => setBusy(false));
  };
  return (
    <details class="promote" data-testid="promote">
      <summary>{t('promote.title')}</summary>
      <p class="small muted">{t('promote.hint')}</p>
      <form
        class="action-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label class="field">
          <span>{t('refForm.name')}</span>
          <input data-testid="promote-name" maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        {model ? (
          <label class="toggle">
            <input type="checkbox" data-testid="promote-model" checked={forModel} onChange={(e) => setForModel(e.currentTarget.checked)} />
            {t('promote.useModel', { model })}
          </label>
        ) : null}
        <label class="toggle">
          <input type="checkbox" data-testid="promote-store" checked={forStore} onChange={(e) => setForStore(e.currentTarget.checked)} />
          {t('promote.useStore', { store: register.storeId })}
        </label>
        <div class="action-form-buttons">
          <button type="submit" class="btn btn-primary" data-testid="promote-submit" disabled={!valid || busy}>
            {t('promote.submit')}
          </button>
        </div>
      </form>
      {error instanceof ApiError && error.code === 'conflict' ? (
        <p class="text-red small" role="alert" data-testid="promote-error">
          {t('promote.notReported')}
        </p>
      ) : (
        <ErrorBanner error={error} testid="promote-error" />
      )}
      {created ? (
        <p class="text-green" role="status" data-testid="promote-done">
          <a href={routeToHash({ name: 'references', id: created.id })}>{t('promote.done', { name: created.name })}</a>
        </p>
      ) : null}
    </details>
  );
}

import type { Me, ReferenceDetail, ReferenceList, ReferenceScope, ReferenceSpec } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { registerHash, routeToHash } from '../logic/route';
import { ErrorBanner } from './common';
import { DriftTable } from './drift';
import { ReferenceEditor } from './reference-editor';
import { useLoad } from './use-load';

/**
 * "Эталоны": the reference images, each with how many registers match, differ or have not reported;
 * one reference with what it expects and every register it applies to with its differences. Admins
 * create, edit and delete (the server checks the role too).
 */
export function ReferencesScreen({ id, api, me, onNavigate }: { id: number | 'new' | null; api: ApiClient; me: Me; onNavigate: (id: number | null) => void }) {
  if (id === 'new') {
    return (
      <main class="detail-screen references-screen" data-testid="reference-new">
        <a class="back" href={routeToHash({ name: 'references', id: null })}>
          <BackText />
        </a>
        {me.role === 'admin' ? <ReferenceEditor api={api} initial={null} onSaved={onNavigate} onCancel={() => onNavigate(null)} /> : <AdminOnly />}
      </main>
    );
  }
  return id === null ? <ReferenceListScreen api={api} me={me} /> : <ReferenceScreen key={id} id={id} api={api} me={me} onNavigate={onNavigate} />;
}

function BackText() {
  return <>{useI18n().t('refs.back')}</>;
}

function AdminOnly() {
  return <p class="muted pad">{useI18n().t('refs.adminOnly')}</p>;
}

function ReferenceListScreen({ api, me }: { api: ApiClient; me: Me }) {
  const { t, locale } = useI18n();
  const { value: list, error, reload } = useLoad<ReferenceList>(() => api.references(), api);
  return (
    <main class="references-screen" data-testid="references">
      <div class="filters">
        <h1 class="screen-title">{t('refs.title')}</h1>
        <div class="topbar-spacer" />
        {me.role === 'admin' ? (
          <a class="btn btn-primary btn-small" href={routeToHash({ name: 'references', id: 'new' })} data-testid="reference-create">
            {t('refs.new')}
          </a>
        ) : null}
      </div>
      <ErrorBanner error={error} onRetry={reload} />
      {!list ? (
        error ? null : <p class="muted pad">{t('refs.loading')}</p>
      ) : list.references.length === 0 ? (
        <p class="muted pad" data-testid="references-empty">{t('refs.empty')}</p>
      ) : (
        <table class="host-table references-table card" data-testid="references-table">
          <thead>
            <tr>
              <th>{t('refs.col.name')}</th>
              <th>{t('refs.col.scope')}</th>
              <th class="num">{t('refs.col.matching')}</th>
              <th class="num">{t('refs.col.differing')}</th>
              <th class="num">{t('refs.col.unknown')}</th>
              <th>{t('refs.col.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.references.map((r) => (
              <tr key={r.id} data-reference-id={r.id}>
                <td>
                  <a href={routeToHash({ name: 'references', id: r.id })}>{r.name}</a>
                </td>
                <td>
                  <ScopeText scope={r.scope} />
                </td>
                <td class="num text-green" data-count="matching">{r.matching}</td>
                <td class={`num ${r.differing ? 'text-red' : ''}`} data-count="differing">{r.differing}</td>
                <td class="num muted" data-count="unknown">{r.unknown}</td>
                <td class="muted small">{formatDateTime(r.updatedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

/** "модель POS-M15 · формат «магазин у дома» · магазинов: 3" */
export function ScopeText({ scope }: { scope: ReferenceScope }) {
  const { t } = useI18n();
  const parts = [
    scope.machineModel ? t('refs.scope.model', { model: scope.machineModel }) : null,
    scope.storeFormat ? t('refs.scope.format', { format: scope.storeFormat }) : null,
    scope.storeIds.length ? t('refs.scope.stores', { n: scope.storeIds.length }) : null,
  ].filter(Boolean);
  return (
    <span data-testid="reference-scope" title={scope.storeIds.join(', ')}>
      {parts.join(' · ')}
    </span>
  );
}

function ReferenceScreen({ id, api, me, onNavigate }: { id: number; api: ApiClient; me: Me; onNavigate: (id: number | null) => void }) {
  const { t, locale } = useI18n();
  const { value: reference, error, reload } = useLoad<ReferenceDetail>(() => api.reference(id), id);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const admin = me.role === 'admin';
  const remove = () => {
    setActionError(null);
    api.deleteReference(id).then(() => onNavigate(null), setActionError);
  };
  return (
    <main class="detail-screen references-screen" data-testid="reference-detail" data-reference-id={id}>
      <a class="back" href={routeToHash({ name: 'references', id: null })}>
        {t('refs.back')}
      </a>
      <ErrorBanner error={error} onRetry={reload} />
      {!reference ? (
        error ? null : <p class="muted pad">{t('refs.loading')}</p>
      ) : editing ? (
        <ReferenceEditor
          api={api}
          initial={reference}
          onSaved={() => {
            setEditing(false);
            reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <section class="card">
            <h1 data-testid="reference-name">{reference.name}</h1>
            <p class="muted small">
              <ScopeText scope={reference.scope} /> · {t('refs.by', { who: reference.createdBy, when: formatDateTime(reference.updatedAt, locale) })}
            </p>
            {admin ? (
              <div class="actions">
                <button type="button" class="btn" data-testid="reference-edit" onClick={() => setEditing(true)}>
                  {t('refs.edit')}
                </button>
                <button type="button" class="btn" data-testid="reference-delete" onClick={() => setConfirmDelete(true)}>
                  {t('refs.delete')}
                </button>
              </div>
            ) : null}
            {confirmDelete ? (
              <div class="banner" role="alertdialog" data-testid="reference-delete-confirm">
                <span>{t('refs.deleteConfirm', { name: reference.name })}</span>
                <button type="button" class="btn btn-small btn-primary" data-testid="reference-delete-yes" onClick={remove}>
                  {t('refs.deleteYes')}
                </button>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => setConfirmDelete(false)}>
                  {t('refForm.cancel')}
                </button>
              </div>
            ) : null}
            <ErrorBanner error={actionError} testid="reference-action-error" />
          </section>
          <section class="card">
            <h2>{t('refs.spec')}</h2>
            <SpecView spec={reference.spec} />
          </section>
          <section class="card">
            <h2>{t('refs.registers')}</h2>
            <ReferenceRegisters registers={reference.registers} />
          </section>
        </>
      )}
    </main>
  );
}

function ReferenceRegisters({ registers }: { registers: ReferenceDetail['registers'] }) {
  const { t, locale } = useI18n();
  if (!registers.length) return <p class="muted">{t('refs.noRegisters')}</p>;
  // Differing registers first: they are what the page is for.
  const order = (r: ReferenceDetail['registers'][number]) => (r.differences === null ? 1 : r.differences.length ? 0 : 2);
  const sorted = [...registers].sort((a, b) => order(a) - order(b));
  return (
    <ul class="reference-registers" data-testid="reference-registers">
      {sorted.map((r) => {
        const state = r.differences === null ? 'unknown' : r.differences.length ? 'differs' : 'matches';
        return (
          <li key={r.agentId} data-agent-id={r.agentId} data-state={state}>
            <div class="register-line">
              <a class="mono" href={registerHash(r.agentId)}>
                {r.storeId} / {r.registerId}
              </a>
              {state === 'unknown' ? <span class="muted">{t('refs.registerUnknown')}</span> : null}
              {state === 'matches' ? <span class="text-green">{t('refs.registerMatches')}</span> : null}
              {state === 'differs' ? <span class="text-red">{t('drift.count', { n: r.differences?.length ?? 0 })}</span> : null}
              {r.comparedAt ? <span class="muted small">{t('drift.comparedAt', { when: formatDateTime(r.comparedAt, locale) })}</span> : null}
            </div>
            {r.differences?.length ? <DriftTable differences={r.differences} testid="reference-register-drift" /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** What a reference expects, list by list; a list it leaves empty is not shown (not compared). */
function SpecView({ spec }: { spec: ReferenceSpec }) {
  const { t } = useI18n();
  const any = t('refs.anyVersion');
  const lists: [string, string, string[]][] = [
    ['osBuild', t('refs.spec.osBuild'), spec.osBuild ? [spec.osBuild] : []],
    ['drivers', t('refs.spec.drivers'), spec.drivers.map((d) => `${d.name} — ${d.version ?? any}`)],
    ['services', t('refs.spec.services'), spec.services.map((s) => [s.name, s.state ? t(`host.service.${s.state}`) : null, s.startMode ? t(`host.startMode.${s.startMode}`) : null].filter(Boolean).join(' — '))],
    ['posApps', t('refs.spec.posApps'), spec.posApps.map((a) => [a.id, a.version ?? any, a.running === undefined ? null : a.running ? t('host.running') : t('host.notRunning')].filter(Boolean).join(' — '))],
    ['fiscalStack', t('refs.spec.fiscalStack'), spec.fiscalStack.map((f) => `${f.id} — ${f.version ?? any}`)],
    ['peripherals', t('refs.spec.peripherals'), spec.peripherals.map((p) => `${p.name} (${p.vendorId}:${p.productId})`)],
    ['configFiles', t('refs.spec.configFiles'), spec.configFiles.map((c) => `${c.name} — ${c.sha256}`)],
  ];
  return (
    <dl class="kv reference-spec" data-testid="reference-spec">
      {lists
        .filter(([, , items]) => items.length)
        .map(([key, label, items]) => (
          <div key={key} data-spec={key}>
            <dt>{label}</dt>
            <dd>
              <ul class="host-list">
                {items.map((item, i) => (
                  <li key={i} class="mono">
                    {item}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ))}
    </dl>
  );
}

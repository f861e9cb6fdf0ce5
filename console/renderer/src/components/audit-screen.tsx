// "Журнал действий / Audit log": every remote action with who asked it, when, where, its
// parameters, state and result; filtered through the URL (#/audit?verb=…) so a view can be shared,
// newest first, more pages on demand (the API's keyset cursor).
import { ActionState, type RemoteAction } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { auditFilterToQuery, EMPTY_AUDIT_FILTER, type AuditFilter } from '../logic/audit-filter';
import { formatDateTime } from '../logic/format';
import { ErrorBanner } from './common';
import { ACTION_VERBS, ActionStateChip } from './ticket-actions';

export const AUDIT_PAGE_SIZE = 100;

export interface AuditScreenProps {
  filter: AuditFilter;
  api: ApiClient;
  /** a new filter: the app puts it in the URL, which renders this screen again with it */
  onFilter: (filter: AuditFilter) => void;
}

export function AuditScreen({ filter, api, onFilter }: AuditScreenProps) {
  const { t } = useI18n();
  const [rows, setRows] = useState<RemoteAction[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<AuditFilter>(filter);
  const key = JSON.stringify(filter);

  const load = (after: string | null, live: { current: boolean } = { current: true }) => {
    setError(null);
    api.audit({ ...auditFilterToQuery(filter), limit: AUDIT_PAGE_SIZE, ...(after ? { after } : {}) }).then(
      (page) => {
        if (!live.current) return;
        setRows((previous) => (after && previous ? [...previous, ...page.actions] : page.actions));
        setCursor(page.nextCursor);
      },
      (e: unknown) => live.current && setError(e),
    );
  };
  useEffect(() => {
    const live = { current: true };
    setDraft(filter);
    setRows(null);
    load(null, live);
    return () => void (live.current = false);
  }, [key]);

  const field = (name: 'storeId' | 'registerId' | 'engineer' | 'from' | 'to', label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} data-testid={`audit-${name}`} value={draft[name]} maxLength={64} onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value.trim() })} />
    </label>
  );

  return (
    <main class="audit-screen" data-testid="audit-screen">
      <div class="filters">
        <h1 class="screen-title">{t('audit.title')}</h1>
      </div>
      <form class="filters audit-filters" onSubmit={(e) => { e.preventDefault(); onFilter(draft); }}>
        {field('storeId', t('audit.filter.store'))}
        {field('registerId', t('audit.filter.register'))}
        <label>
          {t('audit.filter.verb')}
          <select data-testid="audit-verb" value={draft.verb} onChange={(e) => setDraft({ ...draft, verb: e.currentTarget.value as AuditFilter['verb'] })}>
            <option value="">{t('audit.filter.any')}</option>
            {ACTION_VERBS.map((verb) => <option key={verb} value={verb}>{t(`actions.verb.${verb}`)}</option>)}
          </select>
        </label>
        {field('engineer', t('audit.filter.engineer'))}
        <label>
          {t('audit.filter.state')}
          <select data-testid="audit-state" value={draft.state} onChange={(e) => setDraft({ ...draft, state: e.currentTarget.value as AuditFilter['state'] })}>
            <option value="">{t('audit.filter.any')}</option>
            {ActionState.options.map((state) => <option key={state} value={state}>{t(`actions.state.${state}`)}</option>)}
          </select>
        </label>
        {field('from', t('audit.filter.from'), 'date')}
        {field('to', t('audit.filter.to'), 'date')}
        <button type="submit" class="btn btn-primary" data-testid="audit-apply">{t('audit.filter.apply')}</button>
        <button type="button" class="btn btn-ghost" data-testid="audit-reset" onClick={() => onFilter(EMPTY_AUDIT_FILTER)}>{t('audit.filter.reset')}</button>
      </form>
      <ErrorBanner error={error} onRetry={() => load(null)} />
      {rows === null ? (error ? null : <p class="muted">{t('audit.loading')}</p>) : rows.length === 0 ? <p class="muted" data-testid="audit-empty">{t('audit.empty')}</p> : (
        <AuditTable rows={rows} />
      )}
      {cursor ? <button type="button" class="btn" data-testid="audit-more" onClick={() => load(cursor)}>{t('audit.more')}</button> : null}
    </main>
  );
}

function AuditTable({ rows }: { rows: RemoteAction[] }) {
  const { t, locale } = useI18n();
  return (
    <table class="table audit-table" data-testid="audit-table">
      <thead>
        <tr>
          <th scope="col">{t('audit.col.at')}</th>
          <th scope="col">{t('audit.col.who')}</th>
          <th scope="col">{t('audit.col.where')}</th>
          <th scope="col">{t('audit.col.what')}</th>
          <th scope="col">{t('audit.col.params')}</th>
          <th scope="col">{t('audit.col.state')}</th>
          <th scope="col">{t('audit.col.result')}</th>
          <th scope="col">{t('audit.col.ticket')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-action-id={row.id} data-testid="audit-row">
            <td>{formatDateTime(row.requestedAt, locale)}</td>
            <td>{row.requestedBy}</td>
            <td>{row.storeId} / {row.registerId}</td>
            <td>{t(`actions.verb.${row.verb}`)}</td>
            <td class="small">{row.deviceId ? t('audit.device', { id: row.deviceId }) : '—'}</td>
            <td><ActionStateChip state={row.state} /></td>
            <td class="small">{row.resultCode ? `${row.resultCode}${row.resultMessage ? `: ${row.resultMessage}` : ''}` : '—'}</td>
            <td>{row.ticketId !== null ? <a href={`#/tickets/${row.ticketId}`}>№{row.ticketId}</a> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

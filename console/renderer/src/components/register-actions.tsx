// "Действия / Actions" on a register's page: the register-wide remote actions (no ticket), and the
// register's latest actions from the audit log. The register's feed entry moves on every state
// change of its actions, and the page passes the re-read register in, so the list follows live.
import type { CommandVerb, RegisterDetail, RemoteAction } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { auditFilterToParams, EMPTY_AUDIT_FILTER } from '../logic/audit-filter';
import { ErrorBanner } from './common';
import { actionErrorText, ActionStateChip } from './ticket-actions';
import { useLoad } from './use-load';

/** Register-wide verbs (test_print needs a ticket's printer and is asked from the ticket). */
export const REGISTER_VERBS: readonly CommandVerb[] = ['probe_now', 'discover', 'collect_bundle', 'restart_print_service'];
export const REGISTER_ACTIONS_SHOWN = 10;

export interface RegisterActionsProps {
  register: Pick<RegisterDetail, 'agentId' | 'storeId' | 'registerId' | 'connected'>;
  api: ApiClient;
  /** changes whenever the page re-read the register (its feed entry moved) */
  version: unknown;
  confirm?: (question: string) => boolean;
}

export function RegisterActionsCard({ register, api, version, confirm = (q) => window.confirm(q) }: RegisterActionsProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const recent = useLoad(() => Promise.resolve().then(() => api.audit({ agentId: register.agentId, limit: REGISTER_ACTIONS_SHOWN })), version);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const run = async (verb: CommandVerb) => {
    if (verb === 'restart_print_service' && !confirm(t('actions.confirm.restart_print_service', { register: register.registerId }))) return;
    setFailure(null);
    setBusy(true);
    try {
      await api.runRegisterAction(register.agentId, { verb });
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
      recent.reload();
    }
  };
  // By store and register name, which the audit page's form shows (an agent id means nothing to a reader).
  const auditHref = `#/audit?${auditFilterToParams({ ...EMPTY_AUDIT_FILTER, storeId: register.storeId, registerId: register.registerId }).toString()}`;
  return (
    <section class="card ticket-actions" data-testid="register-actions">
      <h2>{t('actions.title')}</h2>
      <p class="small">{register.connected ? t('actions.online') : t('actions.offlineShort')}</p>
      {failure ? <p class="error" role="alert" data-testid="register-actions-error">{actionErrorText(i18n, failure)}</p> : null}
      <ul class="action-buttons">
        {REGISTER_VERBS.map((verb) => (
          <li key={verb}>
            <button type="button" class="btn btn-small" data-testid={`register-action-${verb}`} disabled={busy} title={t(`actions.about.${verb}`)} onClick={() => void run(verb)}>
              {t(`actions.verb.${verb}`)}
            </button>
          </li>
        ))}
      </ul>
      <ErrorBanner error={recent.error} onRetry={recent.reload} />
      {recent.value && recent.value.actions.length > 0 ? (
        <ol class="action-list" data-testid="register-action-list">
          {recent.value.actions.map((action) => <RecentAction key={action.id} action={action} />)}
        </ol>
      ) : null}
      <p class="small"><a href={auditHref} data-testid="register-audit-link">{t('nav.audit')}</a></p>
    </section>
  );
}

function RecentAction({ action }: { action: RemoteAction }) {
  const { t, locale } = useI18n();
  return (
    <li data-action-id={action.id}>
      {t(`actions.verb.${action.verb}`)} <ActionStateChip state={action.state} />{' '}
      <span class="muted small">{t('actions.requested', { who: action.requestedBy, at: formatDateTime(action.requestedAt, locale) })}</span>
      {action.ticketId !== null ? <> · <a class="small" href={`#/tickets/${action.ticketId}`}>№{action.ticketId}</a></> : null}
    </li>
  );
}

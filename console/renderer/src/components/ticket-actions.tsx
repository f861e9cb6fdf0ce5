// "Действия / Actions" on a ticket: a button per allow-listed remote action (disabled with the reason
// when it cannot be asked now), whether the register is online (else the action is queued), and
// this ticket's actions with their live state. Every state change writes the ticket's timeline,
// which the live feed reloads, so the list is read again whenever the timeline grows.
import { CommandVerb, type ActionState, type RemoteAction, type TicketActions, type TicketDetail } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client';
import { useI18n, type I18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { ErrorBanner, errorText } from './common';
import { useLoad } from './use-load';

/** Chip class of each state: final bad states red, waiting ones amber, done green. */
export const STATE_CHIP: Record<ActionState, string> = {
  queued: 'chip-amber', sent: 'chip-amber', running: 'chip-amber', done: 'chip-ok', failed: 'chip-red', expired: 'chip-red', cancelled: '',
};

/** Verbs that interrupt something on the register: asked only after a confirmation. */
const CONFIRM: ReadonlySet<CommandVerb> = new Set(['restart_print_service']);

export function actionErrorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiError && error.code === 'disabled') return i18n.t('actions.error.disabled');
  if (error instanceof ApiError && error.code === 'conflict') return i18n.t('actions.error.pending');
  return errorText(i18n, error);
}

export function ActionStateChip({ state }: { state: ActionState }) {
  const { t } = useI18n();
  return <span class={`chip ${STATE_CHIP[state]}`} data-state={state}>{t(`actions.state.${state}`)}</span>;
}

export interface TicketActionsProps {
  ticket: Pick<TicketDetail, 'id' | 'registerId' | 'timeline'>;
  api: ApiClient;
  /** asks before a disruptive action; window.confirm by default */
  confirm?: (question: string) => boolean;
}

export function TicketActionsCard({ ticket, api, confirm = (q) => window.confirm(q) }: TicketActionsProps) {
  const i18n = useI18n();
  const { t } = i18n;
  // Through a promise: whatever goes wrong asking shows as the card's error, never as a thrown effect.
  const loaded = useLoad<TicketActions>(() => Promise.resolve().then(() => api.ticketActions(ticket.id)), `${ticket.id}:${ticket.timeline.length}`);
  const [busy, setBusy] = useState<CommandVerb | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => setFailure(null), [ticket.id]);
  const state = loaded.value;

  const run = async (verb: CommandVerb) => {
    if (CONFIRM.has(verb) && !confirm(t(`actions.confirm.${verb}` as 'actions.confirm.restart_print_service', { register: ticket.registerId }))) return;
    setFailure(null);
    setBusy(verb);
    try {
      await api.runTicketAction(ticket.id, { verb });
      loaded.reload();
    } catch (e) {
      setFailure(e);
      loaded.reload();
    } finally {
      setBusy(null);
    }
  };
  const cancel = async (commandId: string) => {
    setFailure(null);
    try {
      await api.cancelAction(commandId);
    } catch (e) {
      setFailure(e);
    }
    loaded.reload();
  };

  return (
    <section class="card ticket-actions" data-testid="ticket-actions">
      <h2>{t('actions.title')}</h2>
      <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
      {failure ? <p class="error" role="alert" data-testid="actions-error">{actionErrorText(i18n, failure)}</p> : null}
      {!state ? (loaded.error ? null : <p class="muted">{t('audit.loading')}</p>) : (
        <>
          <p class="small" data-testid="actions-connection">
            {state.registerConnected ? t('actions.online') : t('actions.offline', { hours: Math.round((state.expiryMinutes / 60) * 10) / 10 })}
          </p>
          <ul class="action-buttons">
            {state.verbs.map(({ verb, available, reason }) => (
              <li key={verb}>
                <button type="button" class="btn btn-small" data-testid={`action-${verb}`} disabled={!available || busy !== null}
                  title={t(`actions.about.${verb}`)} onClick={() => void run(verb)}>
                  {t(`actions.verb.${verb}`)}
                </button>
                {reason ? <span class="muted small" data-testid={`action-reason-${verb}`}> {t(`actions.reason.${reason}`)}</span> : null}
              </li>
            ))}
          </ul>
          {state.actions.length === 0 ? <p class="muted small">{t('actions.none')}</p> : (
            <ol class="action-list" data-testid="action-list">
              {state.actions.map((action) => <ActionRow key={action.id} action={action} onCancel={cancel} />)}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function ActionRow({ action, onCancel }: { action: RemoteAction; onCancel: (commandId: string) => Promise<void> }) {
  const { t, locale } = useI18n();
  return (
    <li data-action-id={action.id} data-testid="action-row">
      <strong>{t(`actions.verb.${action.verb}`)}</strong>{action.deviceId ? <span class="muted small"> ({action.deviceId})</span> : null}{' '}
      <ActionStateChip state={action.state} />{' '}
      <span class="muted small">{t('actions.requested', { who: action.requestedBy, at: formatDateTime(action.requestedAt, locale) })}</span>
      {action.state === 'queued' && action.expiresAt ? <span class="muted small"> · {t('actions.expiresAt', { at: formatDateTime(action.expiresAt, locale) })}</span> : null}
      {action.sendCount > 1 ? <span class="muted small"> · {t('actions.sentTimes', { n: action.sendCount })}</span> : null}
      {action.resultCode && action.resultCode !== 'ok' ? <p class="small" data-testid="action-result">{action.resultCode}{action.resultMessage ? `: ${action.resultMessage}` : ''}</p> : null}
      {action.state === 'queued' ? (
        <button type="button" class="btn btn-ghost btn-small" data-testid="action-cancel" onClick={() => void onCancel(action.id)}>{t('actions.cancel')}</button>
      ) : null}
    </li>
  );
}

/** Every verb in allow-list order (the audit filter's options). */
export const ACTION_VERBS: readonly CommandVerb[] = CommandVerb.options;

import { SEVERITY_TITLES, type DeviceHealth, type TicketStatus, type TicketSummary } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { I18n } from '../i18n/locale';
import { useI18n } from '../i18n/locale';
import { formatDateTime, formatDuration } from '../logic/format';
import { ticketSla } from '../logic/sla';

export function PriorityBadge({ ticket }: { ticket: Pick<TicketSummary, 'priority' | 'severity'> }) {
  const { l } = useI18n();
  return (
    <span class={`prio prio-${ticket.priority}`} title={l(SEVERITY_TITLES[ticket.severity])} data-testid="priority">
      P{ticket.priority}
    </span>
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  return <span class={`status status-${status}`}>{t(`status.${status}`)}</span>;
}

/** The running SLA clock: "осталось 12 мин" in green/amber, "просрочено 3 мин" in red. */
export function SlaCountdown({ ticket, now, compact = false }: { ticket: TicketSummary; now: number; compact?: boolean }) {
  const { t, locale } = useI18n();
  const clock = ticketSla(ticket, now);
  if (clock.kind === 'none') return <span class="sla sla-done">{t('sla.done')}</span>;
  const time = formatDuration(clock.remainingMs, locale);
  const label = clock.state === 'red' ? t('sla.overdue', { time }) : t('sla.left', { time });
  const kind = clock.kind === 'react' ? t('sla.react') : t('sla.resolve');
  // The queue column is narrow: "−5 ч 28 мин" in red reads as overdue; the tooltip has the words.
  const shown = compact ? (clock.state === 'red' ? `−${time}` : time) : label;
  return (
    <span class={`sla sla-${clock.state}`} data-sla={clock.state} title={`${kind}: ${clock.deadline ? formatDateTime(clock.deadline, locale) : ''} (${label})`}>
      {shown}
    </span>
  );
}

export function HealthDot({ health }: { health: DeviceHealth | 'silent' }) {
  const { t } = useI18n();
  const label = health === 'silent' ? t('fleet.silent') : t(`health.${health}`);
  return <span class={`health health-${health}`} title={label} aria-label={label} />;
}

/** Whether a register's agent is connected, in words ("на связи" / "молчит"). */
export function ConnectionText({ connected }: { connected: boolean }) {
  const { t } = useI18n();
  return <span class={connected ? 'text-green' : 'text-muted'}>{connected ? t('fleet.connected') : t('fleet.silent')}</span>;
}

/** A failure in words the engineer can act on; server messages are shown as plain text. */
export function errorText(i18n: I18n, error: unknown): string {
  const { t } = i18n;
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'network':
        return t('error.network');
      case 'forbidden':
        return t('error.forbidden');
      case 'not_found':
        return t('error.notFound');
      case 'bad_response':
        return t('error.badResponse');
      case 'conflict':
        return t('error.conflict');
      default:
        return t('error.other', { message: error.message });
    }
  }
  return t('error.other', { message: error instanceof Error ? error.message : String(error) });
}

export function ErrorBanner({ error, onRetry, testid }: { error: unknown; onRetry?: () => void; testid?: string }) {
  const i18n = useI18n();
  if (!error) return null;
  return (
    <div class="banner banner-error" role="alert" data-testid={testid}>
      <span>{errorText(i18n, error)}</span>
      {onRetry ? (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {i18n.t('error.retry')}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The store filter: typed freely, applied on Enter or when the field loses focus (not per key, so
 * a half-typed store id never fires a query), and reset when the filter changes from outside.
 */
export function StoreFilterField({ storeId, testid, onCommit }: { storeId: string | null; testid: string; onCommit: (storeId: string | null) => void }) {
  const { t } = useI18n();
  const [store, setStore] = useState(storeId ?? '');
  useEffect(() => setStore(storeId ?? ''), [storeId]);
  const commit = () => {
    const value = store.trim();
    if (value !== (storeId ?? '')) onCommit(value || null);
  };
  return (
    <label class="field">
      <span>{t('filter.store')}</span>
      <input
        data-testid={testid}
        class="store-input"
        value={store}
        maxLength={64}
        placeholder={t('filter.store.placeholder')}
        onInput={(e) => setStore(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

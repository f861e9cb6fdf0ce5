import { SEVERITY_TITLES, type DeviceHealth, type SlaClockState, type TicketStatus, type TicketSummary } from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { I18n } from '../i18n/locale';
import { useI18n } from '../i18n/locale';
import { formatDateTime, formatDuration } from '../logic/format';
import { ticketClock, type TicketClock } from '../logic/sla';

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

/**
 * A mark per clock state, so the state reads without its colour (and in a black-and-white print).
 * From fonts every desktop has (DejaVu, Segoe UI Symbol), not emoji: ⛔ and ⏸ were empty boxes on
 * a Linux desktop without an emoji font.
 */
const SLA_MARK: Record<SlaClockState, string> = { ok: '◷', amber: '⚠', red: '❢', overdue: '⊘', paused: '‖', met: '✓' };

/** "осталось 12 мин", "просрочено 3 мин", "пауза, осталось 1 ч", "выполнено, запас 5 мин", "нарушено на 2 ч". */
function clockLabel(i18n: I18n, clock: TicketClock, time: string): string {
  const { t } = i18n;
  switch (clock.state) {
    case 'overdue':
      return clock.done ? t('sla.missed', { time }) : t('sla.overdue', { time });
    case 'paused':
      return t('sla.paused', { time });
    case 'met':
      return t('sla.met', { time });
    default:
      return t('sla.left', { time });
  }
}

/**
 * One SLA clock: a mark and the time, its colour, and the state in words (shown in full, or for
 * the narrow queue column in the tooltip and for screen readers).
 */
export function SlaClockView({ clock, compact = false, testid }: { clock: TicketClock; compact?: boolean; testid?: string }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const time = formatDuration(clock.remainingMs, locale);
  const label = clockLabel(i18n, clock, time);
  const words = t(`sla.state.${clock.state}`);
  const kind = clock.kind === 'react' ? t('sla.react') : clock.kind === 'resolve' ? t('sla.resolve') : t('vendor.due');
  // The queue column is narrow: "⊘ −5 ч 28 мин"; the tooltip and the hidden text have the words.
  const shown = compact ? `${clock.state === 'overdue' ? '−' : ''}${time}` : label;
  return (
    <span
      class={`sla sla-${clock.state}`}
      data-sla={clock.state}
      data-clock={clock.kind}
      data-testid={testid}
      title={`${kind}: ${formatDateTime(clock.dueAt, locale)} (${words}: ${label})`}
    >
      <span class="sla-mark" aria-hidden="true">
        {SLA_MARK[clock.state]}
      </span>{' '}
      {compact ? <span class="sr-only">{words}: </span> : null}
      {shown}
    </span>
  );
}

/** The clock that applies now: the reaction clock until somebody reacted, then the resolution clock. */
export function SlaCountdown({ ticket, now, compact = false }: { ticket: TicketSummary; now: number; compact?: boolean }) {
  return <SlaClockView clock={ticketClock(ticket, now)} compact={compact} testid="sla-countdown" />;
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
      case 'disabled':
        return t('actions.error.disabled');
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

/** A store incident with its registers, a flapping fault, a ticket waiting on somebody: words and a mark, not colour alone. */
export function DeskBadges({ ticket }: { ticket: Pick<TicketSummary, 'scope' | 'symptoms' | 'flapping' | 'waitingOn'> }) {
  const { t } = useI18n();
  return (
    <>
      {ticket.scope === 'store' ? (
        <span class="chip chip-red" data-testid="store-incident" title={t('queue.storeIncidentTitle')}>
          ⌂ {t('queue.storeIncident')} · {t('queue.symptoms', { n: ticket.symptoms })}
        </span>
      ) : null}
      {ticket.flapping ? (
        <span class="chip chip-amber" data-testid="flapping-badge" title={t('queue.flappingTitle')}>
          {t('queue.flapping')}
        </span>
      ) : null}
      {ticket.waitingOn ? (
        <span class="chip chip-waiting" data-testid="waiting-badge">
          {t(`queue.waiting.${ticket.waitingOn}`)}
        </span>
      ) : null}
    </>
  );
}

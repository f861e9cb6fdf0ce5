import { CATALOGUE, type Me, type SupportGroup, type TicketSummary } from '@tillscope/shared';
import { memo } from 'preact/compat';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { effectiveFilter, sameServerFilter, type QueueFilter } from '../logic/filters';
import { formatDate, formatDuration } from '../logic/format';
import { blockingWhen, forecastTone, showsBlockingMarker } from '../logic/forecast';
import { groupTitle } from '../logic/groups';
import { matchesServerFilter } from '../logic/queue';
import { moveSelection, scrollToRow, visibleRange } from '../logic/virtual';
import type { ConsoleState } from '../state/console-state';
import { useGroups } from '../state/groups';
import { useNow, useStore } from '../state/store';
import { DeskBadges, ErrorBanner, PriorityBadge, SlaCountdown } from './common';
import { FilterBar, type CountInfo } from './queue-filters';

/** The countdowns and ages move on this tick; nothing is fetched for it. */
export const QUEUE_TICK_MS = 30_000;

const ROW_HEIGHT = 36;
/** The column header sticks to the top inside the scroller, so it lines up with the rows. */
const HEAD_HEIGHT = 30;

export interface QueueProps {
  state: ConsoleState;
  api: ApiClient;
  me: Me;
  onFilter: (filter: QueueFilter) => void;
  onOpen: (id: number) => void;
}

export function QueueScreen({ state, api, me, onFilter, onOpen }: QueueProps) {
  const { t } = useI18n();
  const queue = useStore(state.queue);
  const groups = useGroups(state.groups);
  const now = useNow(QUEUE_TICK_MS);
  const filter = effectiveFilter(queue.filter, me);
  const [actionError, setActionError] = useState<unknown>(null);

  // A page of resolved or all tickets comes filtered by the server; the active queue (loaded whole,
  // see loadQueryFor) is filtered here, "overdue" on every tick as it depends on the clock. One pass
  // over at most QUEUE_MAX_ROWS tickets.
  const overdueAt = filter.overdue ? now : 0;
  const serverDone = queue.loaded !== null && sameServerFilter(queue.loaded, filter);
  const rows = useMemo(() => {
    if (serverDone) return queue.tickets;
    const at = overdueAt || Date.now();
    return queue.tickets.filter((tk) => matchesServerFilter(tk, filter, me, at));
  }, [queue.tickets, queue.filter, serverDone, overdueAt, me]);
  // The whole count is known once every page is here, or from the server when it applied the whole filter.
  const exact = serverDone;
  const count: CountInfo = {
    shown: rows.length,
    complete: queue.complete,
    total: exact ? queue.total : null,
    more: !queue.complete && !queue.loadingMore && !queue.loading && queue.nextCursor !== null,
  };

  // Stable across renders, so the memoised rows do not redraw when only the parent did (a URL change).
  const select = useCallback((id: number) => state.select(id), [state]);
  const openRef = useRef(onOpen);
  openRef.current = onOpen;
  const open = useCallback((id: number) => openRef.current(id), []);

  const take = async (id: number) => {
    setActionError(null);
    try {
      state.applyTicket(await api.take(id));
    } catch (err) {
      setActionError(err);
    }
  };

  return (
    <main class="queue-screen">
      <FilterBar filter={queue.filter} me={me} groups={groups} onFilter={onFilter} count={count} onMore={() => void state.loadMoreQueue()} />
      <ErrorBanner error={queue.error} onRetry={() => void state.reloadQueue()} />
      <ErrorBanner error={actionError} />
      <TicketList
        rows={rows}
        now={now}
        groups={groups.groups}
        selectedId={queue.selectedId}
        loading={queue.loading && queue.tickets.length === 0}
        onSelect={select}
        onOpen={open}
        onTake={(id) => void take(id)}
      />
      <footer class="queue-foot">
        <span>{t('queue.hint')}</span>
      </footer>
    </main>
  );
}

interface ListProps {
  rows: readonly TicketSummary[];
  now: number;
  /** for the groups' titles (null: the built-in titles) */
  groups?: readonly SupportGroup[] | null;
  selectedId: number | null;
  loading: boolean;
  onSelect: (id: number) => void;
  onOpen: (id: number) => void;
  onTake: (id: number) => void;
}

/** A windowed list: only the rows in view (plus a few) are in the DOM, so 10 000 tickets stay fast. */
export function TicketList({ rows, now, groups = null, selectedId, loading, onSelect, onOpen, onTake }: ListProps) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(720);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 720);
    measure();
    el.focus({ preventScroll: true });
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A scan of up to 10 000 rows: only when the rows or the selection change, not on every clock tick.
  const selected = useMemo(() => (selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId)), [rows, selectedId]);

  // Bring the selection into view when it changes (keyboard, or coming back from a ticket).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selected < 0) return;
    const next = scrollToRow(selected, el.scrollTop, (el.clientHeight || viewport) - HEAD_HEIGHT, ROW_HEIGHT);
    if (next !== el.scrollTop) {
      el.scrollTop = next;
      setScrollTop(next);
    }
  }, [selected]);

  const { start, end } = visibleRange(scrollTop, viewport - HEAD_HEIGHT, ROW_HEIGHT, rows.length);
  const page = Math.max(1, Math.floor((viewport - HEAD_HEIGHT) / ROW_HEIGHT) - 1);

  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const move = (delta: number) => {
      const i = moveSelection(selected, delta, rows.length);
      const row = rows[i];
      if (row) onSelect(row.id);
      ev.preventDefault();
    };
    switch (ev.key) {
      case 'ArrowDown':
        return move(1);
      case 'ArrowUp':
        return move(-1);
      case 'PageDown':
        return move(page);
      case 'PageUp':
        return move(-page);
      case 'Home':
        return move(-rows.length);
      case 'End':
        return move(rows.length);
      case 'Enter': {
        const row = rows[selected];
        if (row) {
          ev.preventDefault();
          onOpen(row.id);
        }
        return;
      }
    }
    // `t` to take, by physical key so it also works on the Russian layout (е).
    if (ev.code === 'KeyT' || ev.key === 't' || ev.key === 'T') {
      const row = rows[selected];
      if (row) {
        ev.preventDefault();
        onTake(row.id);
      }
    }
  };

  const selectedRow = rows[selected];
  return (
    <div class="list">
      <div
        ref={scroller}
        class="scroller"
        data-testid="queue"
        data-count={rows.length}
        tabIndex={0}
        role="listbox"
        aria-label={t('queue.label')}
        aria-activedescendant={selectedRow ? `ticket-row-${selectedRow.id}` : undefined}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="row row-head" aria-hidden="true">
          <span>{t('queue.col.priority')}</span>
          <span>{t('queue.col.sla')}</span>
          <span>{t('queue.col.where')}</span>
          <span>{t('queue.col.diagnosis')}</span>
          <span>{t('queue.col.device')}</span>
          <span>{t('queue.col.age')}</span>
          <span>{t('queue.col.group')}</span>
          <span>{t('queue.col.assignee')}</span>
        </div>
        {rows.length === 0 ? (
          <div class="empty">{loading ? t('queue.loading') : t('queue.empty')}</div>
        ) : (
          <div class="spacer" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
            {rows.slice(start, end).map((ticket, k) => (
              <QueueRow
                key={ticket.id}
                ticket={ticket}
                top={(start + k) * ROW_HEIGHT}
                selected={start + k === selected}
                now={now}
                groups={groups}
                onSelect={onSelect}
                onOpen={onOpen}
              />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

interface RowProps {
  ticket: TicketSummary;
  top: number;
  selected: boolean;
  now: number;
  groups: readonly SupportGroup[] | null;
  onSelect: (id: number) => void;
  onOpen: (id: number) => void;
}

/** The register stops selling within 30 days (or already): "⚠ через 5 дн.", the date in the tooltip. */
function BlockingMarker({ blockingAt, now }: { blockingAt: string | null; now: number }) {
  const { t, locale } = useI18n();
  if (!blockingAt || !showsBlockingMarker(blockingAt, now)) return null;
  const when = blockingWhen(blockingAt, now);
  return (
    <span class={`chip chip-${forecastTone(blockingAt, now) === 'red' ? 'red' : 'amber'}`} data-testid="blocking-marker" title={t('queue.blockingTitle', { date: formatDate(blockingAt, locale) })}>
      ⚠ {t(when.key, when.vars)}
    </span>
  );
}

const QueueRow = memo(function QueueRow({ ticket, top, selected, now, groups, onSelect, onOpen }: RowProps) {
  const { t, l, locale } = useI18n();
  const title = l(CATALOGUE[ticket.code].title);
  return (
    <div
      id={`ticket-row-${ticket.id}`}
      class={`row row-p${ticket.priority} ${selected ? 'selected' : ''} ${ticket.active ? '' : 'recovered'}`}
      style={{ top: `${top}px` }}
      role="option"
      aria-selected={selected}
      data-testid="queue-row"
      data-ticket-id={ticket.id}
      data-group={ticket.group}
      data-scope={ticket.scope}
      onMouseDown={() => onSelect(ticket.id)}
      onClick={() => onOpen(ticket.id)}
    >
      <span>
        <PriorityBadge ticket={ticket} />
      </span>
      <span>
        <SlaCountdown ticket={ticket} now={now} compact />
      </span>
      <span class="mono ellipsis" title={`${ticket.storeId} / ${ticket.registerId}`}>
        {ticket.storeId} / {ticket.scope === 'store' ? t('queue.wholeStore') : ticket.registerId}
      </span>
      <span class="diag ellipsis">
        <span class="ticket-id">#{ticket.id}</span>
        <span class="diag-title" data-testid="queue-row-title" title={title}>
          {title}
        </span>
        {ticket.hasCashierReport ? (
          <span class="chip chip-cashier" data-testid="cashier-marker" title={t('queue.cashierTitle')}>
            {t('queue.cashier')}
          </span>
        ) : null}
        {!ticket.active ? <span class="chip chip-ok">{t('queue.recovered')}</span> : null}
        <DeskBadges ticket={ticket} />
        <BlockingMarker blockingAt={ticket.blockingAt} now={now} />
      </span>
      <span class="mono ellipsis muted">{ticket.deviceId ?? '—'}</span>
      <span class="num">{formatDuration(now - Date.parse(ticket.openedAt), locale)}</span>
      <span class="ellipsis muted">{l(groupTitle(ticket.group, groups))}</span>
      <span class={`ellipsis ${ticket.assignee ? '' : 'muted'}`}>{ticket.assignee ?? t('queue.nobody')}</span>
    </div>
  );
});

// Parts of the ticket screen: the checklist, the register panel (live), the register's history,
// the SLA deadlines and the timeline. Every device and person string is shown as text.
import {
  CATALOGUE,
  CHECKLIST_STEP_TITLES,
  type ChecklistAnswer,
  type FeedMessage,
  type RegisterDetail,
  type RegisterSummary,
  type TicketDetail,
  type TicketSummary,
  type TestPrintOutcome,
  type TimelineKind,
} from '@tillscope/shared';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { FeedClient } from '../api/feed';
import { useI18n } from '../i18n/locale';
import { formatAgo, formatDateTime } from '../logic/format';
import { registerHealth } from '../logic/fleet';
import { DEFAULT_FLEET_FILTER } from '../logic/fleet-filter';
import { routeToHash } from '../logic/route';
import { ConnectionText, HealthDot, PriorityBadge, StatusBadge } from './common';
import { DeviceList } from './devices';

export function Checklist({ answers }: { answers: ChecklistAnswer[] }) {
  const { t, l } = useI18n();
  if (!answers.length) return <p class="muted" data-testid="checklist">{t('checklist.empty')}</p>;
  const icon = { passed: '✓', failed: '✗', unknown: '?' } as const;
  return (
    <ul class="checklist" data-testid="checklist">
      {answers.map((a) => (
        <li key={a.step} class={`check check-${a.result}`} data-step={a.step} data-result={a.result}>
          <span class="check-icon" aria-hidden="true">
            {icon[a.result]}
          </span>
          <div>
            <div class="check-title">
              {l(CHECKLIST_STEP_TITLES[a.step])} <span class={`check-result check-result-${a.result}`}>{t(`checklist.${a.result}`)}</span>
            </div>
            {a.observed ? (
              <div class="check-observed">
                <span class="muted">{t('checklist.observed')}:</span> <span lang="en">{a.observed}</span>
              </div>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * The ticket's register, live: its store's registers from GET /api/registers (a handful; the fleet
 * is never loaded whole for this), then its detail with the fiscal facts (GET /api/registers/:agentId),
 * again after every change the feed reports for it.
 */
export function useTicketRegister(api: ApiClient, feed: FeedClient, storeId: string | undefined, registerId: string | undefined): RegisterSummary | RegisterDetail | undefined {
  const [register, setRegister] = useState<RegisterSummary | RegisterDetail | undefined>(undefined);
  useEffect(() => {
    setRegister(undefined);
    if (!storeId || !registerId) return;
    let live = true;
    // Failures leave what is shown: the panel says the register is unknown; the ticket itself still works.
    const loadDetail = (agentId: string) => api.register(agentId).then((detail) => live && setRegister(detail), () => undefined);
    const load = () =>
      api.registers({ ...DEFAULT_FLEET_FILTER, storeId }).then(
        (page) => {
          const found = page.registers.find((r) => r.registerId === registerId);
          if (!live) return;
          setRegister(found);
          if (found) void loadDetail(found.agentId);
        },
        () => undefined,
      );
    void load();
    const offMessage = feed.onMessage((m: FeedMessage) => {
      if (m.type !== 'register' || m.payload.storeId !== storeId || m.payload.registerId !== registerId) return;
      setRegister(m.payload);
      void loadDetail(m.payload.agentId);
    });
    const offReconnect = feed.onReconnect(() => void load());
    return () => {
      live = false;
      offMessage();
      offReconnect();
    };
  }, [api, feed, storeId, registerId]);
  return register;
}

export function RegisterPanel({ register, now }: { register: RegisterSummary | RegisterDetail | undefined; now: number }) {
  const { t, locale } = useI18n();
  if (!register) return <p class="muted">{t('register.unknown')}</p>;
  return (
    <div class="register-panel" data-testid="register-panel">
      <div class="register-line">
        <HealthDot health={registerHealth(register)} />
        <ConnectionText connected={register.connected} />
        <span class="muted">
          {t('fleet.lastSeen')}: {formatAgo(register.lastSeenAt, now, locale)}
        </span>
      </div>
      <dl class="kv kv-inline">
        <dt>{t('register.hostname')}</dt>
        <dd class="mono">{register.hostname || '—'}</dd>
        <dt>{t('register.agent')}</dt>
        <dd class="mono">{register.agentVersion}</dd>
      </dl>
      <DeviceList register={register} now={now} openFacts />
    </div>
  );
}

export function History({ tickets, now }: { tickets: TicketSummary[]; now: number }) {
  const { t, l, locale } = useI18n();
  if (!tickets.length) return <p class="muted">{t('register.noHistory')}</p>;
  return (
    <ul class="history" data-testid="register-history">
      {tickets.map((h) => (
        <li key={h.id}>
          <a href={routeToHash({ name: 'ticket', id: h.id })}>
            <PriorityBadge ticket={h} /> <span class="ellipsis">{l(CATALOGUE[h.code].title)}</span>
          </a>
          <StatusBadge status={h.status} />
          <span class="muted num">{formatAgo(h.openedAt, now, locale)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Timeline entries that the cashier caused: without an engineer actor they are not the machine's. */
const CASHIER_KINDS: ReadonlySet<TimelineKind> = new Set<TimelineKind>(['cashier_report', 'cashier_confirmed', 'cashier_not_fixed']);
const TEST_PRINT_OUTCOME = /^(printed|failed|refused|not_sent)\b/;

export function Timeline({ events }: { events: TicketDetail['timeline'] }) {
  const { t, locale } = useI18n();
  return (
    <ol class="timeline" data-testid="timeline">
      {events.length === 0 ? <li class="muted">{t('timeline.empty')}</li> : null}
      {events.map((ev, i) => {
        // A test print's text starts with its outcome (tickets/test-print-results.ts): said in the reader's language too.
        const outcome = ev.kind === 'test_print' ? (TEST_PRINT_OUTCOME.exec(ev.text)?.[1] as TestPrintOutcome | undefined) : undefined;
        return (
          <li key={i} class={`tl tl-${ev.kind}`} data-kind={ev.kind} data-outcome={outcome}>
            <time dateTime={ev.at}>{formatDateTime(ev.at, locale)}</time>
            <span class="tl-kind">{t(`timeline.${ev.kind}`)}</span>
            <span class={`tl-actor ${ev.actor ? '' : CASHIER_KINDS.has(ev.kind) ? 'cashier' : 'machine'}`}>
              {ev.actor ?? (CASHIER_KINDS.has(ev.kind) ? t('timeline.cashier') : t('timeline.machine'))}
            </span>
            {outcome ? <strong class={`tl-outcome tl-outcome-${outcome}`}>{t(`testPrint.outcome.${outcome}`)}</strong> : null}
            {ev.text ? <span class="tl-text">{ev.text}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

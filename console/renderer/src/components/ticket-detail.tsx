import { CATALOGUE, SYMPTOMS, type DiagnosisCode, type FeedMessage, type Me, type TicketDetail } from '@tillscope/shared';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { FeedClient } from '../api/feed';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import { registerHash, routeToHash, storeFleetHash } from '../logic/route';
import type { ConsoleState } from '../state/console-state';
import { useGroups } from '../state/groups';
import { useNow } from '../state/store';
import { ErrorBanner } from './common';
import { EvidenceView } from './evidence';
import { Checklist, History, RegisterPanel, Timeline, useTicketRegister } from './ticket-parts';
import { TicketActionsCard } from './ticket-actions';
import { TicketBundlesCard } from './ticket-bundles';
import { TicketHead } from './ticket-head';
import { IncidentCard, MovesCard, VendorCard } from './ticket-desk';
import { DriftSummary, TicketDrift, TicketHostSection } from './ticket-drift';
import { useRegisterHost } from './host-panel';
import { PaperSupplyHint } from './printer-facts';
import { KnowledgeCard } from './ticket-knowledge';

/** Tickets about paper: the register's paper-supply hint goes beside the advice. */
const PAPER_CODES: ReadonlySet<DiagnosisCode> = new Set<DiagnosisCode>(['printer.paper_end', 'printer.paper_near_end']);

export interface TicketScreenProps {
  id: number;
  api: ApiClient;
  feed: FeedClient;
  state: ConsoleState;
  me: Me;
}


export function TicketScreen({ id, api, feed, state, me }: TicketScreenProps) {
  const { t, l, locale } = useI18n();
  const now = useNow(1_000);
  const groups = useGroups(state.groups);
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Back to the queue with the filters it had.
  const backHref = routeToHash({ name: 'queue', filter: state.queue.get().filter });
  const current = useRef<TicketDetail | null>(null);
  current.current = ticket;
  const register = useTicketRegister(api, feed, ticket?.storeId, ticket?.registerId);
  // The register against its reference: one line on every ticket, the whole table on a drift ticket.
  const host = useRegisterHost(api, feed, register?.agentId);

  const load = useCallback(async () => {
    try {
      const detail = await api.ticket(id);
      setTicket(detail);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [api, id]);

  // The app mounts one TicketScreen per id (key={id}), so the state above starts fresh for each ticket.
  useEffect(() => {
    state.select(id);
    void load();
  }, [id]);

  // Live: reload when the feed says this ticket changed, and after the feed reconnects.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), 150);
    };
    const offMessage = feed.onMessage((m: FeedMessage) => {
      if (m.type !== 'ticket' || m.payload.id !== id) return;
      if (current.current && current.current.updatedAt === m.payload.updatedAt) return;
      soon();
    });
    const offReconnect = feed.onReconnect(soon);
    return () => {
      offMessage();
      offReconnect();
      if (timer) clearTimeout(timer);
    };
  }, [feed, id, load]);

  const act = async (fn: () => Promise<TicketDetail | void>) => {
    setBusy(true);
    setActionError(null);
    try {
      const result = await fn();
      if (result) {
        setTicket(result);
        state.applyTicket(result);
      }
      return true;
    } catch (err) {
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!ticket) {
    return (
      <main class="detail-screen" data-testid="ticket-detail" data-loading="true">
        <a class="back" href={backHref}>
          {t('ticket.back')}
        </a>
        {loadError ? <ErrorBanner error={loadError} onRetry={() => void load()} /> : <p class="muted pad">{t('ticket.loading')}</p>}
      </main>
    );
  }

  const entry = CATALOGUE[ticket.code];

  return (
    <main class="detail-screen" data-testid="ticket-detail" data-ticket-id={ticket.id} data-status={ticket.status}>
      <a class="back" href={backHref}>
        {t('ticket.back')}
      </a>
      <TicketHead ticket={ticket} register={register} api={api} me={me} groups={groups} now={now} busy={busy} act={act} actionError={actionError} />
      <IncidentCard ticket={ticket} />

      <div class="detail-grid">
        <div class="col">
          <section class="card">
            <h2>{t('section.finding')}</h2>
            <p class="finding mono" data-testid="finding-detail">
              {ticket.detail}
            </p>
          </section>
          <section class="card">
            <h2>{t('section.evidence')}</h2>
            <EvidenceView evidence={ticket.evidence} />
          </section>
          {ticket.code === 'host.drift_from_reference' ? <TicketDrift loaded={host} register={register} /> : null}
          <TicketHostSection loaded={host} deviceId={ticket.deviceId} register={register} />
          <section class="card">
            <h2>{t('section.checklist')}</h2>
            <Checklist answers={ticket.checklist} />
          </section>
          <section class="card">
            <h2>{t('section.cashier')}</h2>
            {ticket.cashierNotes.length === 0 ? <p class="muted">{t('cashier.none')}</p> : null}
            {ticket.cashierNotes.map((note, i) => (
              <figure class="cashier" key={i} data-testid="cashier-note">
                <figcaption>
                  <span class="chip chip-cashier">{t('cashier.label')}</span> <strong>{l(SYMPTOMS[note.symptom].title)}</strong>{' '}
                  <span class="muted">{formatDateTime(note.at, locale)}</span>
                </figcaption>
                <blockquote lang={note.locale}>{note.note ? note.note : <span class="muted">{t('cashier.noText')}</span>}</blockquote>
              </figure>
            ))}
          </section>
        </div>
        <div class="col">
          <section class="card kb">
            <h2>{t('section.kb')}</h2>
            <p data-testid="kb-advice">{l(entry.advice)}</p>
            {PAPER_CODES.has(ticket.code) && register && 'paperSupply' in register ? <PaperSupplyHint supply={register.paperSupply} /> : null}
          </section>
          <KnowledgeCard ticket={ticket} api={api} me={me} act={act} />
          <section class="card">
            <h2>{t('section.register')}</h2>
            <RegisterPanel register={register} now={now} />
            <DriftSummary loaded={host} />
            <p class="small">
              {register ? (
                <>
                  <a href={registerHash(register.agentId)} data-testid="register-page-link">
                    {t('registerPage.open')}
                  </a>
                  {' · '}
                </>
              ) : null}
              <a href={storeFleetHash(ticket.storeId)} data-testid="store-registers">
                {t('register.storeRegisters', { id: ticket.storeId })}
              </a>
            </p>
            <h3>{t('section.history')}</h3>
            <History tickets={ticket.registerHistory} now={now} />
          </section>
          {ticket.vendor || ticket.escalations > 0 ? <VendorCard ticket={ticket} api={api} now={now} /> : null}
          <MovesCard ticket={ticket} groups={groups.groups} />
          <TicketActionsCard ticket={ticket} api={api} />
          <TicketBundlesCard ticket={ticket} register={register} api={api} />
          <section class="card">
            <h2>{t('section.timeline')}</h2>
            <Timeline events={ticket.timeline} />
          </section>
        </div>
      </div>
    </main>
  );
}

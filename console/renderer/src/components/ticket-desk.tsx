// Service-desk parts of the ticket screen (issue 11): its SLA clocks with their targets, its moves,
// the store incident it belongs to or its symptoms, and the vendor hand-off. People's words and
// vendor names are shown as text.
import { CATALOGUE, type SupportGroup, type TicketDetail } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime, formatDuration } from '../logic/format';
import { groupTitle } from '../logic/groups';
import { routeToHash } from '../logic/route';
import { reactClock, resolveClock, vendorClock, type TicketClock } from '../logic/sla';
import { PriorityBadge, SlaClockView, StatusBadge } from './common';

/** The reaction and resolution clocks: due date, target, and where each stands (running, paused, met, missed). */
export function TicketClocks({ ticket, now }: { ticket: TicketDetail; now: number }) {
  const { t, locale } = useI18n();
  const targets = ticket.slaTargets;
  return (
    <>
      <ClockRow label={t('sla.react')} dueAt={ticket.reactBy} clock={reactClock(ticket, now)} targetMin={targets?.reactMinutes ?? null} testid="clock-react" />
      <ClockRow label={t('sla.resolve')} dueAt={ticket.resolveBy} clock={resolveClock(ticket, now)} targetMin={targets?.resolveMinutes ?? null} testid="clock-resolve" />
      {ticket.waitingOn ? (
        <div data-testid="clock-paused">
          <dt>{t('sla.state.paused')}</dt>
          <dd>
            {t(`sla.pausedBecause.${ticket.waitingOn}`)}
            {ticket.pausedAt ? <span class="muted"> · {formatDateTime(ticket.pausedAt, locale)}</span> : null}
          </dd>
        </div>
      ) : null}
    </>
  );
}

function ClockRow({ label, dueAt, clock, targetMin, testid }: { label: string; dueAt: string; clock: TicketClock | null; targetMin: number | null; testid: string }) {
  const { t, locale } = useI18n();
  return (
    <div data-testid={testid}>
      <dt>{label}</dt>
      <dd>
        {formatDateTime(dueAt, locale)} {clock ? <SlaClockView clock={clock} /> : <span class="muted">{t('sla.unknownReaction')}</span>}
        {targetMin !== null ? <div class="muted small">{t('sla.target', { time: formatDuration(targetMin * 60_000, locale) })}</div> : null}
      </dd>
    </div>
  );
}

/** Who moved the ticket where and why, oldest first, with the counts a manager looks at. */
export function MovesCard({ ticket, groups }: { ticket: TicketDetail; groups: readonly SupportGroup[] | null }) {
  const { t, l, locale } = useI18n();
  const group = (id: string | null) => (id ? l(groupTitle(id, groups)) : '—');
  return (
    <section class="card" data-testid="moves">
      <h2>{t('move.title')}</h2>
      <p class="muted small" data-testid="move-counts">
        {t('move.counts', { reassignments: ticket.reassignments, escalations: ticket.escalations })}
      </p>
      {ticket.moves.length === 0 ? <p class="muted">{t('move.none')}</p> : null}
      <ol class="timeline">
        {ticket.moves.map((move, i) => (
          <li key={i} class="tl" data-kind={move.kind} data-testid="move">
            <time dateTime={move.at}>{formatDateTime(move.at, locale)}</time>
            <span class="tl-actor">{move.actor}</span>
            <span class="tl-kind">{t(`move.kind.${move.kind}`)}</span>
            {move.fromGroup !== move.toGroup ? (
              <span class="tl-text">
                {group(move.fromGroup)} → {group(move.toGroup)}
              </span>
            ) : null}
            {move.fromAssignee !== move.toAssignee ? (
              <span class="tl-text">
                {move.fromAssignee ?? '—'} → {move.toAssignee ?? '—'}
              </span>
            ) : null}
            {move.reason ? <span class="tl-text move-reason">«{move.reason}»</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A store incident lists its registers' tickets; a symptom links to its incident. */
export function IncidentCard({ ticket }: { ticket: TicketDetail }) {
  const { t, l } = useI18n();
  if (ticket.incident) {
    const incident = ticket.incident;
    return (
      <div class="banner banner-incident" role="note" data-testid="incident-of">
        <span>
          ⌂ {t('incident.partOf')}:{' '}
          <a href={routeToHash({ name: 'ticket', id: incident.id })} data-testid="incident-link">
            #{incident.id} {l(CATALOGUE[incident.code].title)}
          </a>{' '}
          <StatusBadge status={incident.status} /> <span class="muted">{t('incident.resolvesWith')}</span>
        </span>
      </div>
    );
  }
  if (ticket.scope !== 'store') return null;
  return (
    <section class="card" data-testid="incident-symptoms">
      <h2>
        ⌂ {t('incident.title')} · {t('incident.symptoms', { n: ticket.symptomTickets.length })}
      </h2>
      {ticket.symptomTickets.length === 0 ? <p class="muted">{t('incident.noSymptoms')}</p> : null}
      <ul class="history">
        {ticket.symptomTickets.map((s) => (
          <li key={s.id} data-testid="symptom">
            <a href={routeToHash({ name: 'ticket', id: s.id })}>
              <PriorityBadge ticket={s} /> <span class="mono">{s.registerId}</span> <span class="ellipsis">{l(CATALOGUE[s.code].title)}</span>
            </a>
            <StatusBadge status={s.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The vendor escalation (vendor, case number, the vendor's own clock) and the hand-off pack's links. */
export function VendorCard({ ticket, api, now }: { ticket: TicketDetail; api: ApiClient; now: number }) {
  const { t, locale } = useI18n();
  const vendor = ticket.vendor;
  const clock = vendor ? vendorClock(ticket, vendor, now) : null;
  return (
    <section class="card" data-testid="vendor">
      <h2>{t('vendor.title')}</h2>
      {vendor ? (
        <dl class="kv">
          <dt>{t('vendor.title')}</dt>
          <dd data-testid="vendor-name">{vendor.vendor}</dd>
          <dt>{t('vendor.reference')}</dt>
          <dd class="mono" data-testid="vendor-reference">
            {vendor.reference ?? '—'}
          </dd>
          <dt>{t('vendor.escalated')}</dt>
          <dd>
            {formatDateTime(vendor.escalatedAt, locale)} · {vendor.escalatedBy}
          </dd>
          <dt>{t('vendor.due')}</dt>
          <dd data-testid="vendor-due">
            {vendor.dueAt ? (
              <>
                {formatDateTime(vendor.dueAt, locale)} {clock ? <SlaClockView clock={clock} testid="vendor-clock" /> : null}
              </>
            ) : (
              <span class="muted">{t('vendor.noDue')}</span>
            )}
          </dd>
        </dl>
      ) : null}
      {vendor ? <p class="muted small">{t('vendor.clockNote')}</p> : null}
      <p class="small">
        <a class="btn btn-small" href={api.vendorPackUrl(ticket.id)} download={`vendor-pack-${ticket.id}.json`} data-testid="vendor-pack-json">
          {t('vendor.packJson')}
        </a>{' '}
        <a class="btn btn-small btn-ghost" href={api.vendorPackHtmlUrl(ticket.id)} target="_blank" rel="noopener" data-testid="vendor-pack-html">
          {t('vendor.packHtml')}
        </a>
      </p>
    </section>
  );
}

import { CATALOGUE, type Me, type RegisterDetail, type RegisterSummary, type TicketDetail } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDateTime, formatDuration } from '../logic/format';
import { groupTitle } from '../logic/groups';
import { isActiveStatus } from '../logic/queue';
import { storeQueueHash } from '../logic/route';
import { DeskBadges, ErrorBanner, PriorityBadge, StatusBadge } from './common';
import { ForecastLine } from './devices';
import type { GroupsState } from '../state/groups';
import { TicketClocks } from './ticket-desk';
import { FixPicker, type FixChoice } from './kb-fix-picker';
import { MoveBar } from './ticket-moves';
import { TestPrintAction } from './ticket-test-print';

type Form = 'none' | 'note' | 'resolve';

export interface TicketHeadProps {
  ticket: TicketDetail;
  register: RegisterSummary | RegisterDetail | undefined;
  api: ApiClient;
  me: Me;
  groups: GroupsState;
  now: number;
  busy: boolean;
  /** runs an action, shows its error, applies the ticket it returns; resolves false when it failed (never rejects) */
  act: (fn: () => Promise<TicketDetail | void>) => Promise<boolean>;
  actionError: unknown;
}

/** The ticket's head: what and where, its clocks, and the engineer's actions (take, note, resolve, probe, test print, moves). */
export function TicketHead({ ticket, register, api, me, groups, now, busy, act, actionError }: TicketHeadProps) {
  const { t, l, locale } = useI18n();
  const [form, setForm] = useState<Form>('none');
  const [text, setText] = useState('');
  const [fix, setFix] = useState<FixChoice>(null);
  const [probeSent, setProbeSent] = useState(false);
  const entry = CATALOGUE[ticket.code];
  const open = isActiveStatus(ticket.status);
  const mineAlready = ticket.assignee === me.username;
  const toggleForm = (which: Exclude<Form, 'none'>) => {
    setForm(form === which ? 'none' : which);
    setText('');
    setFix(null);
  };

  return (
    <section class="card detail-head">
      <div class="detail-title-row">
        <PriorityBadge ticket={ticket} />
        <h1 data-testid="ticket-title">{l(entry.title)}</h1>
        <StatusBadge status={ticket.status} />
        {ticket.hasCashierReport ? <span class="chip chip-cashier">{t('queue.cashier')}</span> : null}
        <DeskBadges ticket={ticket} />
      </div>
      <div class="detail-sub muted">
        <span>{t('ticket.number', { id: ticket.id })}</span>
        <span>{ticket.active ? <span class="text-red">{t('ticket.findingActive')}</span> : <span class="text-green">{t('ticket.findingRecovered')}</span>}</span>
        {ticket.occurrences > 1 ? <span>{t('ticket.occurrences', { n: ticket.occurrences })}</span> : null}
      </div>
      <dl class="meta">
        <div>
          <dt>{t('ticket.where')}</dt>
          <dd class="mono">
            <a href={storeQueueHash(ticket.storeId)}>{ticket.storeId}</a> / {ticket.registerId}
          </dd>
        </div>
        <div>
          <dt>{t('ticket.device')}</dt>
          <dd class="mono">
            {ticket.device ? `${t(`device.${ticket.device.kind}`)} · ${ticket.device.model ?? ticket.device.deviceId}` : (ticket.deviceId ?? '—')}
          </dd>
        </div>
        <div>
          <dt>{t('ticket.opened')}</dt>
          <dd>
            {formatDateTime(ticket.openedAt, locale)} <span class="muted">({formatDuration(now - Date.parse(ticket.openedAt), locale)})</span>
          </dd>
        </div>
        <TicketClocks ticket={ticket} now={now} />
        {ticket.registerForecast ? (
          <div data-testid="ticket-blocking">
            <dt>{t('forecast.title')}</dt>
            <dd>
              <ForecastLine forecast={ticket.registerForecast} now={now} bare />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('ticket.group')}</dt>
          <dd data-testid="ticket-group">{l(groupTitle(ticket.group, groups.groups))}</dd>
        </div>
        <div>
          <dt>{t('ticket.assignee')}</dt>
          <dd data-testid="ticket-assignee">{ticket.assignee ?? <span class="muted">{t('queue.nobody')}</span>}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" class="btn btn-primary" data-testid="action-take" disabled={busy || !open || mineAlready} onClick={() => void act(() => api.take(ticket.id))}>
          {t('ticket.take')}
        </button>
        <button
          type="button"
          class={`btn ${form === 'note' ? 'on' : ''}`}
          data-testid="action-note"
          disabled={busy}
          onClick={() => toggleForm('note')}
        >
          {t('ticket.addNote')}
        </button>
        <button
          type="button"
          class={`btn ${form === 'resolve' ? 'on' : ''}`}
          data-testid="action-resolve"
          disabled={busy || !open}
          onClick={() => toggleForm('resolve')}
        >
          {t('ticket.resolve')}
        </button>
        <button
          type="button"
          class="btn"
          data-testid="action-probe"
          title={register?.connected === false ? t('ticket.probeOffline') : t('ticket.probeTitle')}
          disabled={busy || !register || !register.connected}
          onClick={() =>
            void act(async () => {
              setProbeSent(false);
              await api.probe(register!.agentId);
              setProbeSent(true);
            })
          }
        >
          {t('ticket.probe')}
        </button>
        <TestPrintAction ticket={ticket} register={register} api={api} busy={busy} act={act} />
        {probeSent ? (
          <span class="muted" role="status" data-testid="probe-result">
            {t('ticket.probeSent')}
          </span>
        ) : null}
      </div>
      <MoveBar ticket={ticket} api={api} me={me} groups={groups} busy={busy} act={act} />
      {form !== 'none' ? (
        <form
          class="action-form"
          data-testid={form === 'note' ? 'note-form' : 'resolve-form'}
          onSubmit={(ev) => {
            ev.preventDefault();
            const body = text.trim();
            // act() never rejects: a failed request shows as the action error.
            void act(() => (form === 'note' ? api.note(ticket.id, body) : api.resolve(ticket.id, body, fix && fix !== 'incomplete' ? fix : undefined))).then((ok) => {
              if (ok) {
                setForm('none');
                setText('');
              }
            });
          }}
        >
          <textarea
            data-testid={form === 'note' ? 'note-text' : 'resolve-note'}
            rows={3}
            maxLength={2000}
            autoFocus
            placeholder={form === 'note' ? t('ticket.notePlaceholder') : t('ticket.resolvePlaceholder')}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {form === 'resolve' ? <FixPicker ticket={ticket} api={api} onChange={setFix} /> : null}
          <div class="action-form-buttons">
            <button
              type="submit"
              class="btn btn-primary"
              data-testid={form === 'note' ? 'note-submit' : 'action-resolve-confirm'}
              disabled={busy || (form === 'note' && !text.trim()) || (form === 'resolve' && fix === 'incomplete')}
            >
              {form === 'note' ? t('ticket.saveNote') : t('ticket.confirmResolve')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setForm('none')}>
              {t('ticket.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorBanner error={actionError} testid="action-error" />
    </section>
  );
}

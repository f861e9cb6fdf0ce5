// A receipt printer's facts beyond its health: which status requests it answers (clones answer only
// some), its wear counters, the OS print queue's view; and a register's paper-supply hint. Device
// strings are shown as text (Preact escapes them).
import type { PaperSupply, PrinterFactsView, WearCounter } from '@tillscope/shared';
import { Fragment } from 'preact';
import { useI18n } from '../i18n/locale';
import { formatDateTime } from '../logic/format';
import type { StringKey } from '../i18n/strings';

/** From this many times in the period on, the hint advises restocking more often. */
export const PAPER_RESTOCK_TIMES = 3;

const COUNTER_NAMES: Partial<Record<string, StringKey>> = {
  cuts: 'printer.counter.cuts',
  head_lines: 'printer.counter.head_lines',
  head_distance_cm: 'printer.counter.head_distance_cm',
  paper_feed_cm: 'printer.counter.paper_feed_cm',
  head_energized: 'printer.counter.head_energized',
  operating_hours: 'printer.counter.operating_hours',
};

export function PrinterFacts({ view, open }: { view: PrinterFactsView; open: boolean }) {
  const { t, locale } = useI18n();
  const { statusSupport, counters, queue } = view.facts;
  return (
    <details class="printer-facts" open={open} data-testid="printer-facts">
      <summary>
        {t('printer.facts')} <span class="muted small">({t('printer.asOf', { when: formatDateTime(view.reportedAt, locale) })})</span>
      </summary>
      {statusSupport?.length ? (
        <p class="small" data-testid="printer-status-support">
          <span class="muted">{t('printer.statusSupport')}:</span>{' '}
          {statusSupport.map((s) => (
            <Fragment key={s.request}>
              {' '}
              <span class={`chip ${s.answers ? 'chip-ok' : 'chip-bad'}`} data-answers={String(s.answers)}>
                {s.request} {s.answers ? t('printer.answers') : t('printer.silent')}
              </span>
            </Fragment>
          ))}
        </p>
      ) : null}
      {counters?.length ? (
        <dl class="kv kv-inline" data-testid="printer-counters">
          {counters.map((c) => (
            <div key={c.name} class="kv-pair">
              <dt>{counterName(c, t)}</dt>
              <dd class="mono" title={c.source}>
                {c.value.toLocaleString(locale)} {t(`printer.unit.${c.unit}`)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {queue ? (
        <p class="small" data-testid="printer-queue">
          <span class="muted">{t(queue.system === 'cups' ? 'printer.queue.cups' : 'printer.queue.windows')}:</span> <span class="mono">{queue.queue}</span>
          {' · '}
          {queueState(queue, t)}
          {queue.driver ? <span class="muted"> · {queue.driver}</span> : null}
        </p>
      ) : null}
    </details>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

function counterName(counter: WearCounter, t: Translate): string {
  const key = COUNTER_NAMES[counter.name];
  return key ? t(key) : counter.name;
}

function queueState(queue: NonNullable<PrinterFactsView['facts']['queue']>, t: Translate): string {
  const parts: string[] = [];
  if (queue.serviceRunning === false) parts.push(t('printer.queue.stopped'));
  if (queue.paused) parts.push(t('printer.queue.paused'));
  if (queue.offline) parts.push(t('printer.queue.offline'));
  if (queue.printing) parts.push(t('printer.queue.printing'));
  if (queue.jobCount !== undefined) parts.push(t('printer.queue.jobs', { n: queue.jobCount }));
  return parts.length ? parts.join(', ') : t('printer.queue.idle');
}

/** "Бумага заканчивалась 4 раза за 30 дней: пополнять запас чаще"; nothing when it never ran low. */
export function PaperSupplyHint({ supply }: { supply: PaperSupply | null }) {
  const { t } = useI18n();
  if (!supply || supply.times === 0) return null;
  const advise = supply.times >= PAPER_RESTOCK_TIMES;
  return (
    <p class={`paper-hint ${advise ? 'tone-amber' : ''}`} data-testid="paper-supply" data-times={supply.times}>
      {t('printer.paperRuns', { n: supply.times, days: supply.days })}
      {advise ? `: ${t('printer.paperRestock')}` : ''}
    </p>
  );
}

import { KpiBucket, KpiSlice, type KpiDuration, type KpiReport, type KpiRow } from '@tillscope/shared';
import { DateTime } from 'luxon';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { formatDuration } from '../logic/format';
import { bucketFor, KPI_RANGES, kpiCsvHref, localDay, type KpiFilter, type KpiRange } from '../logic/kpi-filter';
import { chartJs, KpiChart, type ChartFactory, type ChartSpec } from './kpi-chart';
import { ErrorBanner, StoreFilterField } from './common';
import { useLoad } from './use-load';

type T = ReturnType<typeof useI18n>['t'];
type Locale = ReturnType<typeof useI18n>['locale'];

/**
 * "Показатели / KPIs" (`#/kpi`): the support KPIs of the last N days from GET /api/kpi, as figures
 * for the whole period, charts per day, week or month, and a breakdown by store, model, group
 * or engineer; CSV of every bucket × slice row. Every choice is in the URL.
 */
export function KpiScreen({ filter, api, onFilter, chartFactory = chartJs }: { filter: KpiFilter; api: ApiClient; onFilter: (filter: KpiFilter) => void; chartFactory?: ChartFactory }) {
  const { t, locale } = useI18n();
  const today = localDay(new Date());
  const report = useLoad(() => api.kpi(filter, today), `${JSON.stringify(filter)}|${today}`);
  const set = (patch: Partial<KpiFilter>) => {
    const next = { ...filter, ...patch };
    onFilter({ ...next, bucket: bucketFor(next.days, next.bucket) });
  };
  const value = report.value;
  return (
    <main class="kpi-screen" data-testid="kpi">
      <div class="filters">
        <h1 class="screen-title">{t('kpi.title')}</h1>
        <label>
          {t('kpi.range')}{' '}
          <select data-testid="kpi-days" value={String(filter.days)} onChange={(e) => set({ days: Number(e.currentTarget.value) as KpiRange })}>
            {KPI_RANGES.map((days) => <option key={days} value={String(days)}>{t('kpi.range.days', { n: days })}</option>)}
          </select>
        </label>
        <label>
          {t('kpi.bucket')}{' '}
          <select data-testid="kpi-bucket" value={filter.bucket} onChange={(e) => set({ bucket: KpiBucket.parse(e.currentTarget.value) })}>
            {KpiBucket.options.map((bucket) => (
              <option key={bucket} value={bucket} disabled={bucketFor(filter.days, bucket) !== bucket}>{t(`kpi.bucket.${bucket}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('kpi.slice')}{' '}
          <select data-testid="kpi-slice" value={filter.slice} onChange={(e) => set({ slice: KpiSlice.parse(e.currentTarget.value) })}>
            {KpiSlice.options.map((slice) => <option key={slice} value={slice}>{t(`kpi.slice.${slice}`)}</option>)}
          </select>
        </label>
        <StoreFilterField storeId={filter.storeId} testid="kpi-store" onCommit={(storeId) => set({ storeId })} />
        <div class="topbar-spacer" />
        <a class="btn btn-small" data-testid="kpi-csv" href={kpiCsvHref(filter, today, 'comma')} download>{t('kpi.csv')}</a>
        <a class="btn btn-small btn-ghost" data-testid="kpi-csv-excel" href={kpiCsvHref(filter, today, 'semicolon')} download>{t('kpi.csvExcel')}</a>
      </div>
      <ErrorBanner error={report.error} onRetry={report.reload} testid="kpi-error" />
      {!value && !report.error ? <p class="muted pad">{t('kpi.loading')}</p> : null}
      {value ? <KpiBody report={value} filter={filter} chartFactory={chartFactory} t={t} locale={locale} /> : null}
    </main>
  );
}

function KpiBody({ report, filter, chartFactory, t, locale }: { report: KpiReport; filter: KpiFilter; chartFactory: ChartFactory; t: T; locale: Locale }) {
  const labels = report.buckets.map((row) => bucketLabel(row.bucket, report.bucket));
  const series = (key: Parameters<T>[0], pick: (row: KpiRow) => number | null) => ({ label: t(key), values: report.buckets.map(pick) });
  const minutes = (duration: KpiDuration) => (duration.meanSec === null ? null : Math.round(duration.meanSec / 60));
  const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
  const charts: [string, string, ChartSpec][] = [
    ['kpi-chart-tickets', t('kpi.chart.tickets'), { kind: 'bar', labels, series: [
      series('kpi.series.opened', (row) => row.opened), series('kpi.series.resolved', (row) => row.resolved), series('kpi.series.overdue', (row) => row.overdue),
    ] }],
    ['kpi-chart-times', t('kpi.chart.times'), { kind: 'line', labels, series: [
      series('kpi.series.reaction', (row) => minutes(row.reaction)), series('kpi.series.resolution', (row) => minutes(row.resolution)),
    ] }],
    ['kpi-chart-shares', t('kpi.chart.shares'), { kind: 'line', max: 100, labels, series: [
      series('kpi.series.firstContact', (row) => percent(row.firstContact.share)), series('kpi.series.auto', (row) => percent(row.autoResolved.share)),
      series('kpi.series.reactionMet', (row) => percent(row.reaction.metShare)), series('kpi.series.resolutionMet', (row) => percent(row.resolution.metShare)),
    ] }],
  ];
  return (
    <>
      <p class="muted pad" data-testid="kpi-period">{t('kpi.period', { from: report.from, to: report.to })}</p>
      <KpiTiles total={report.total} t={t} locale={locale} />
      <div class="kpi-charts">
        {charts.map(([testid, title, spec]) => <KpiChart key={testid} testid={testid} title={title} spec={spec} factory={chartFactory} />)}
      </div>
      {filter.slice === 'none' ? null : <KpiBreakdown report={report} t={t} locale={locale} />}
      <p class="muted small pad">{t('kpi.explain')}</p>
    </>
  );
}

const shareText = (share: number | null, t: T) => (share === null ? t('kpi.none') : `${Math.round(share * 100)} %`);
const durationText = (seconds: number | null, t: T, locale: Locale) => (seconds === null ? t('kpi.none') : formatDuration(seconds * 1000, locale));
const meanP90 = (duration: KpiDuration, t: T, locale: Locale) => `${durationText(duration.meanSec, t, locale)} / ${durationText(duration.p90Sec, t, locale)}`;

function KpiTiles({ total, t, locale }: { total: KpiRow; t: T; locale: Locale }) {
  const tiles: [string, string, string, string?][] = [
    ['opened', t('kpi.tile.opened'), String(total.opened)],
    ['resolved', t('kpi.tile.resolved'), String(total.resolved)],
    ['first-contact', t('kpi.tile.firstContact'), shareText(total.firstContact.share, t), t('kpi.tile.firstContactOf', { count: total.firstContact.count, of: total.firstContact.of })],
    ['reaction', t('kpi.tile.reaction'), meanP90(total.reaction, t, locale), t('kpi.tile.withinSla', { share: shareText(total.reaction.metShare, t) })],
    ['resolution', t('kpi.tile.resolution'), meanP90(total.resolution, t, locale), t('kpi.tile.withinSla', { share: shareText(total.resolution.metShare, t) })],
    ['overdue', t('kpi.tile.overdue'), String(total.overdue)],
    ['reassignments', t('kpi.tile.reassignments'), `${total.reassignments} / ${total.escalations}`],
    ['auto', t('kpi.tile.auto'), shareText(total.autoResolved.share, t)],
    ['fault-to-ticket', t('kpi.tile.faultToTicket'), meanP90(total.faultToTicket, t, locale)],
  ];
  return (
    <dl class="kpi-tiles" data-testid="kpi-tiles">
      {tiles.map(([id, label, value, note]) => (
        <div key={id} class="card kpi-tile" data-testid={`kpi-tile-${id}`}>
          <dt>{label}</dt>
          <dd>
            <strong>{value}</strong>
            {note ? <span class="muted small"> {note}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function KpiBreakdown({ report, t, locale }: { report: KpiReport; t: T; locale: Locale }) {
  return (
    <section class="card kpi-breakdown">
      <h2>{t('kpi.breakdown', { slice: t(`kpi.slice.${report.slice}`) })}</h2>
      <table class="kpi-table" data-testid="kpi-breakdown">
        <thead>
          <tr>
            {(['key', 'opened', 'resolved', 'reaction', 'reactionMet', 'resolution', 'resolutionMet', 'firstContact', 'auto', 'overdue', 'reassignments', 'escalations', 'faultToTicket'] as const)
              .map((column) => <th key={column}>{t(`kpi.col.${column}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {report.breakdown.map((row) => (
            <tr key={row.key} data-testid="kpi-breakdown-row" data-key={row.key}>
              <td>{row.key || t('kpi.emptyKey')}</td>
              <td>{row.opened}</td>
              <td>{row.resolved}</td>
              <td>{meanP90(row.reaction, t, locale)}</td>
              <td>{shareText(row.reaction.metShare, t)}</td>
              <td>{meanP90(row.resolution, t, locale)}</td>
              <td>{shareText(row.resolution.metShare, t)}</td>
              <td>{shareText(row.firstContact.share, t)}</td>
              <td>{shareText(row.autoResolved.share, t)}</td>
              <td>{row.overdue}</td>
              <td>{row.reassignments}</td>
              <td>{row.escalations}</td>
              <td>{durationText(row.faultToTicket.meanSec, t, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.breakdownTotal > report.breakdown.length ? (
        <p class="muted small">{t('kpi.breakdownMore', { n: report.breakdown.length, total: report.breakdownTotal })}</p>
      ) : null}
    </section>
  );
}

/** "30.11" for a day or a week (its Monday), "11.2026" for a month. */
function bucketLabel(bucket: string, kind: KpiBucket): string {
  return DateTime.fromISO(bucket).toFormat(kind === 'month' ? 'LL.yyyy' : 'dd.LL');
}

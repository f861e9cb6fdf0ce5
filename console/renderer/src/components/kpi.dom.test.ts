// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { KpiReport, type KpiRow } from '@tillscope/shared';
import { DEFAULT_KPI_FILTER, localDay, type KpiFilter } from '../logic/kpi-filter';
import { flush, mountPerTest } from '../testing/dom';
import { byTestId, choose, clickAndFlush } from '../testing/dom-actions';
import { fakeServer } from '../testing/service-fixtures';
import type { ChartSpec, ChartFactory } from './kpi-chart';
import { KpiScreen } from './kpi';

// The KPI page over the real ApiClient (a fake fetch answering GET /api/kpi with a report that
// passes the shared schema): the figures for the period, the three charts (drawn through a
// recording factory: jsdom has no canvas), the breakdown, the CSV links and the URL filter.

const mount = mountPerTest();

const duration = (count: number, meanSec: number | null, p90Sec: number | null, metShare: number | null) => ({ count, meanSec, p90Sec, metShare });
const row = (bucket: string, key: string, patch: Partial<KpiRow> = {}): KpiRow => ({
  bucket, key, opened: 0, resolved: 0, reaction: duration(0, null, null, null), resolution: duration(0, null, null, null),
  firstContact: { count: 0, of: 0, share: null }, autoResolved: { count: 0, share: null }, overdue: 0, reassignments: 0, escalations: 0,
  faultToTicket: duration(0, null, null, null), ...patch,
});

const REPORT = KpiReport.parse({
  from: '2026-11-29', to: '2026-11-30', bucket: 'day', slice: 'store',
  total: row('2026-11-29', '', {
    opened: 5, resolved: 3, reaction: duration(3, 1800, 3600, 2 / 3), resolution: duration(3, 6700, 16800, 2 / 3),
    firstContact: { count: 1, of: 2, share: 0.5 }, autoResolved: { count: 1, share: 1 / 3 }, overdue: 2, reassignments: 1, escalations: 1,
    faultToTicket: duration(1, 120, 120, null),
  }),
  buckets: [
    row('2026-11-29', '', { opened: 4, resolved: 3, overdue: 2, reaction: duration(2, 900, 1200, 1), firstContact: { count: 1, of: 2, share: 0.5 } }),
    row('2026-11-30', '', { opened: 1, reaction: duration(1, 3600, 3600, 0) }),
  ],
  breakdown: [row('2026-11-29', 'msk-001', { opened: 4, resolved: 3 }), row('2026-11-29', '', { opened: 1 })],
  breakdownTotal: 3,
  rows: [],
});

function recorder(): { factory: ChartFactory; drawn: ChartSpec[]; destroyed: number } {
  const state = { drawn: [] as ChartSpec[], destroyed: 0, factory: ((_canvas, spec) => {
    state.drawn.push(spec);
    return { destroy: () => void (state.destroyed += 1) };
  }) as ChartFactory };
  return state;
}

describe('KPI page', () => {
  it('shows the period figures, three charts of the buckets, the breakdown and the CSV links', async () => {
    const { api, calls } = fakeServer({ 'GET /api/kpi?*': REPORT });
    const charts = recorder();
    const el = mount(h(KpiScreen, { filter: { ...DEFAULT_KPI_FILTER }, api, onFilter: () => {}, chartFactory: charts.factory }));
    await flush();

    const today = localDay(new Date());
    expect(calls.map((call) => call.path)).toEqual([expect.stringMatching(new RegExp(`^/api/kpi\\?from=\\d{4}-\\d\\d-\\d\\d&to=${today}&bucket=day&slice=store$`))]);
    expect(byTestId(el, 'kpi-tile-opened').textContent).toContain('5');
    expect(byTestId(el, 'kpi-tile-first-contact').textContent).toBe('Решено с первого обращения50 % 1 из 2');
    expect(byTestId(el, 'kpi-tile-reaction').textContent).toContain('30 мин / 1 ч 00 мин');
    expect(byTestId(el, 'kpi-tile-reaction').textContent).toContain('в срок SLA: 67 %');
    expect(byTestId(el, 'kpi-tile-fault-to-ticket').textContent).toContain('2 мин / 2 мин');

    expect(charts.drawn.map((spec) => spec.series.map((series) => series.label))).toEqual([
      ['Открыто', 'Решено', 'Просрочено'], ['Реакция', 'Решение'], ['С первого обращения', 'Само', 'Реакция в срок', 'Решение в срок'],
    ]);
    expect(charts.drawn[0]).toEqual({ kind: 'bar', labels: ['29.11', '30.11'], series: [
      { label: 'Открыто', values: [4, 1] }, { label: 'Решено', values: [3, 0] }, { label: 'Просрочено', values: [2, 0] },
    ] });
    expect(charts.drawn[1]!.series[0]!.values).toEqual([15, 60]); // mean reaction, minutes
    expect(charts.drawn[2]!.series[0]!.values).toEqual([50, null]); // first contact %, none on a day without resolutions
    // Counts as bars; times and shares (0–100 %) as lines, read as trends.
    expect(charts.drawn.map((spec) => [spec.kind, spec.max])).toEqual([['bar', undefined], ['line', undefined], ['line', 100]]);
    expect(byTestId(el, 'kpi-chart-tickets').querySelectorAll('details tbody tr')).toHaveLength(2);

    const rows = [...el.querySelectorAll<HTMLElement>('[data-testid="kpi-breakdown-row"]')];
    expect(rows.map((tr) => tr.dataset.key)).toEqual(['msk-001', '']);
    expect(rows[1]!.querySelector('td')!.textContent).toBe('(не указано)');
    expect(el.textContent).toContain('Показаны 2 из 3; все строки — в CSV.');
    expect(byTestId<HTMLAnchorElement>(el, 'kpi-csv-excel').getAttribute('href')).toMatch(/^\/api\/kpi\.csv\?from=.*&slice=store&delimiter=semicolon$/);
  });

  it('puts a new choice in the URL; past 180 days a day step becomes a week', async () => {
    const { api } = fakeServer({ 'GET /api/kpi?*': REPORT });
    const chosen: KpiFilter[] = [];
    const el = mount(h(KpiScreen, { filter: { ...DEFAULT_KPI_FILTER }, api, onFilter: (filter: KpiFilter) => chosen.push(filter), chartFactory: recorder().factory }));
    await flush();
    await choose(byTestId<HTMLSelectElement>(el, 'kpi-slice'), 'engineer');
    await choose(byTestId<HTMLSelectElement>(el, 'kpi-days'), '365');
    expect(chosen).toEqual([{ ...DEFAULT_KPI_FILTER, slice: 'engineer' }, { ...DEFAULT_KPI_FILTER, days: 365, bucket: 'week' }]);
  });

  it('says what failed and asks again on retry', async () => {
    let fail = true;
    const { api, calls } = fakeServer({ 'GET /api/kpi?*': () => (fail ? { status: 400, body: { ok: false, code: 'bad_request', message: 'invalid query' } } : REPORT) });
    const el = mount(h(KpiScreen, { filter: { ...DEFAULT_KPI_FILTER }, api, onFilter: () => {}, chartFactory: recorder().factory }));
    await flush();
    expect(el.querySelector('[data-testid="kpi-tiles"]')).toBeNull();
    expect(byTestId(el, 'kpi-error').textContent).toContain('Повторить');
    fail = false;
    await clickAndFlush(byTestId(el, 'kpi-error').querySelector('button')!);
    await flush();
    expect(calls).toHaveLength(2);
    expect(byTestId(el, 'kpi-tile-opened').textContent).toContain('5');
  });
});

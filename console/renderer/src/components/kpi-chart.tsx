import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/locale';

/**
 * One chart: a label per bucket, one series of values per figure (null: no tickets, a gap). Counts
 * are bars; times and shares are lines (a trend: four shares as bars over 30 days were a thicket).
 */
export interface ChartSpec {
  kind: 'bar' | 'line';
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
  /** the top of the value axis when it has one (100 for shares in %) */
  max?: number;
}

export interface DrawnChart {
  destroy(): void;
}

/**
 * What draws a chart on its canvas: Chart.js by default. A dom test passes a recorder instead
 * (jsdom has no canvas); the figures' own table below each chart is the same data either way.
 */
export type ChartFactory = (canvas: HTMLCanvasElement, spec: ChartSpec) => DrawnChart;

/** Colour-blind-safe (Okabe–Ito); each series is also named in the legend and the table. */
const PALETTE = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9'];

/** Chart.js with only what these charts need registered (tree-shaken: no other controllers, scales or plugins). */
export const chartJs: ChartFactory = (canvas, spec) => {
  Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);
  const colour = (index: number) => PALETTE[index % PALETTE.length];
  return new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, index) => ({
        label: series.label, data: series.values, backgroundColor: colour(index), borderColor: colour(index),
        ...(spec.kind === 'line' ? { pointRadius: 2, borderWidth: 2, spanGaps: false } : {}),
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, ...(spec.max === undefined ? {} : { max: spec.max }) } },
    },
  });
};

/** A titled chart with its data as a table one click away (screen readers, exact values). */
export function KpiChart({ title, spec, testid, factory = chartJs }: { title: string; spec: ChartSpec; testid: string; factory?: ChartFactory }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify(spec);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = factory(canvas.current, spec);
    return () => chart.destroy();
  }, [key, factory]);
  return (
    <figure class="card kpi-chart" data-testid={testid}>
      <figcaption>{title}</figcaption>
      <div class="kpi-chart-box">
        <canvas ref={canvas} role="img" aria-label={`${title}: ${spec.series.map((series) => series.label).join(', ')}`} />
      </div>
      <details>
        <summary>{t('kpi.chartTable')}</summary>
        <table class="kpi-table">
          <thead>
            <tr>
              <th>{t('kpi.col.bucket')}</th>
              {spec.series.map((series) => <th key={series.label}>{series.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {spec.labels.map((label, row) => (
              <tr key={label}>
                <td>{label}</td>
                {spec.series.map((series) => <td key={series.label}>{series.values[row] ?? t('kpi.none')}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

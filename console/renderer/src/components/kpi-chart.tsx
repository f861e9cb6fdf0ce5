import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/locale';

/** One bar chart: a label per bucket, one series of values per figure (null: no tickets). */
export interface BarChartSpec {
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
}

export interface DrawnChart {
  destroy(): void;
}

/**
 * What draws a chart on its canvas: Chart.js by default. A dom test passes a recorder instead
 * (jsdom has no canvas); the figures' own table below each chart is the same data either way.
 */
export type ChartFactory = (canvas: HTMLCanvasElement, spec: BarChartSpec) => DrawnChart;

/** Colour-blind-safe (Okabe–Ito); each series is also named in the legend and the table. */
const PALETTE = ['#0072B2', '#E69F00', '#D55E00', '#009E73', '#CC79A7', '#56B4E9'];

/** Chart.js with only what a bar chart needs registered (tree-shaken: no controllers, scales or plugins beyond these). */
export const chartJsBars: ChartFactory = (canvas, spec) => {
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, index) => ({ label: series.label, data: series.values, backgroundColor: PALETTE[index % PALETTE.length] })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
  });
};

/** A titled bar chart with its data as a table one click away (screen readers, exact values). */
export function BarChart({ title, spec, testid, factory = chartJsBars }: { title: string; spec: BarChartSpec; testid: string; factory?: ChartFactory }) {
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

import type { KpiDuration, KpiQuery, KpiReport, KpiRow } from '@tillscope/shared';
import { CSV_BOM, csvCell } from '../fiscal/replacements-csv';

// The KPI report as CSV, one line per bucket and slice value (the report's `rows`), in the same
// dialect as the fiscal replacement list (replacements-csv.ts): BOM, CRLF, RFC 4180 quoting, the
// formula guard, "Russian / English" headers, comma or semicolon. Shares are percentages with one
// decimal, durations whole minutes (rounded), an empty cell where a figure has no tickets.

const minutes = (seconds: number | null) => (seconds === null ? '' : String(Math.round(seconds / 60)));
const percent = (part: number | null) => (part === null ? '' : (part * 100).toFixed(1));

const durationColumns = (ru: string, en: string, pick: (row: KpiRow) => KpiDuration, withTarget: boolean): [string, (row: KpiRow) => string][] => [
  [`${ru}: среднее, мин / ${en}: mean, min`, (row) => minutes(pick(row).meanSec)],
  [`${ru}: p90, мин / ${en}: p90, min`, (row) => minutes(pick(row).p90Sec)],
  ...(withTarget ? [[`${ru}: в срок SLA, % / ${en}: within SLA, %`, (row: KpiRow) => percent(pick(row).metShare)] as [string, (row: KpiRow) => string]] : []),
];

const COLUMNS: [header: string, value: (row: KpiRow) => string][] = [
  ['Период с / Bucket from', (row) => row.bucket],
  ['Срез / Slice', (row) => row.key],
  ['Открыто / Opened', (row) => String(row.opened)],
  ['Решено / Resolved', (row) => String(row.resolved)],
  ...durationColumns('Реакция', 'Reaction', (row) => row.reaction, true),
  ...durationColumns('Решение', 'Resolution', (row) => row.resolution, true),
  ['Решено с первого обращения, % / First-contact resolution, %', (row) => percent(row.firstContact.share)],
  ['Решено само, % / Resolved on its own, %', (row) => percent(row.autoResolved.share)],
  ['Просрочено / Overdue', (row) => String(row.overdue)],
  ['Переназначения / Reassignments', (row) => String(row.reassignments)],
  ['Эскалации / Escalations', (row) => String(row.escalations)],
  ...durationColumns('От сбоя до заявки', 'Fault to ticket', (row) => row.faultToTicket, false),
];

/** Columns whose cells are texts (the rest are numbers formatted above, which need no quoting unless negative). */
const TEXT_COLUMNS = 2;

/** The CSV of a report's bucket × slice rows (`report.rows`, or the rows as kpiReportAndCells makes them). */
export function kpiCsv(rows: Iterable<KpiRow>, delimiter: NonNullable<KpiQuery['delimiter']> = 'comma'): string {
  const separator = delimiter === 'comma' ? ',' : ';';
  // A number formatted here is digits, one '.' and maybe a leading '-': only the '-' needs the formula guard.
  const lines = [COLUMNS.map(([header]) => csvCell(header, separator)).join(separator)];
  const cells: string[] = [];
  for (const row of rows) {
    for (let index = 0; index < COLUMNS.length; index += 1) {
      const value = COLUMNS[index]![1](row);
      cells[index] = index < TEXT_COLUMNS || value.startsWith('-') ? csvCell(value, separator) : value;
    }
    lines.push(cells.join(separator));
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** `kpi-2026-11-01-2026-11-30-week-store.csv` */
export function kpiFileName(report: KpiReport): string {
  return `kpi-${report.from}-${report.to}-${report.bucket}-${report.slice}.csv`;
}

import { ratioOf, verdictOf, type Measurement } from './measurement';

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function formatValue(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

export interface TableRow {
  id: string;
  figure: string;
  value: number;
  unit: string;
  valueText: string;
  budget: string;
  verdict: string;
  baseline: string;
  ratio: number | null;
  anchor: string;
  note: string;
}

export function toJsonRows(measurements: Measurement[]): TableRow[] {
  return measurements.map((measurement) => {
    const ratio = ratioOf(measurement);
    return {
      id: measurement.id,
      figure: measurement.figure,
      value: measurement.value,
      unit: measurement.unit,
      valueText: formatValue(measurement.value, measurement.unit),
      budget: measurement.budget ? `${measurement.budget.op} ${formatValue(measurement.budget.limit, measurement.unit)}` : '—',
      verdict: verdictOf(measurement),
      baseline: measurement.baseline ? `${measurement.baseline.label}: ${formatValue(measurement.baseline.value, measurement.baseline.unit)}` : '',
      ratio: ratio === undefined ? null : Math.round(ratio * 100) / 100,
      anchor: measurement.anchor,
      note: measurement.note ?? '',
    };
  });
}

/** A plain-text table (also valid Markdown), then the notes as numbered footnotes. */
export function renderTable(measurements: Measurement[]): string {
  const rows = toJsonRows(measurements);
  const header = ['figure', 'value', 'budget', 'verdict', 'baseline (ratio)', 'anchor'];
  const notes: string[] = [];
  const body = rows.map((row) => {
    let figure = row.figure;
    if (row.note) {
      notes.push(row.note);
      figure += ` [${notes.length}]`;
    }
    const baseline = row.baseline ? `${row.baseline}${row.ratio === null ? '' : ` (×${formatNumber(row.ratio)})`}` : '';
    return [figure, row.valueText, row.budget, row.verdict.toUpperCase(), baseline, row.anchor];
  });
  const table = textTable(header, body);
  const footnotes = notes.map((note, index) => `[${index + 1}] ${note}`).join('\n');
  return footnotes ? `${table}\n\n${footnotes}` : table;
}

/** Rows under a header as a padded plain-text table that is also valid Markdown. */
export function textTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const separator = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), separator, ...body.map(line)].join('\n');
}

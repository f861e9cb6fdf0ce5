import type { BlockingReason, FnReplacement, ReplacementBucket, ReplacementList, ReplacementListQuery } from '@tillscope/shared';

// The replacement list as CSV for Excel and for planning visits:
// - RFC 4180: CRLF line ends, a field with the delimiter, a double quote, CR or LF is quoted and its
//   quotes doubled; the delimiter is a comma, or a semicolon on request (Excel with a Russian
//   locale splits an opened file on ';').
// - UTF-8 with a byte-order mark, so Excel reads the Cyrillic as UTF-8 rather than CP1251.
// - Headers and fixed values are "Russian / English" in one cell; times are ISO 8601 in UTC.
// - A text cell that begins with =, +, -, @, a tab or CR gets a leading apostrophe: device strings
//   come from hardware, and a spreadsheet would run such a cell as a formula (OWASP "CSV injection").

export const CSV_BOM = '\uFEFF';

/** As ReplacementListQuery's `delimiter`. */
export type CsvDelimiter = ReplacementListQuery['delimiter'];

const BUCKET_TEXT: Record<ReplacementBucket, string> = { d30: '≤ 30', d60: '31–60', d90: '61–90' };
const REASON_TEXT: Record<BlockingReason, string> = {
  fn_validity: 'Срок действия ФН / FN validity',
  ofd_lock: 'Блокировка ОФД: 30 дней без подтверждения / OFD lock: 30 days unconfirmed',
  archive_full: 'Архив ФН заполнен / FN archive full',
  shift_expired: 'Смена больше 24 ч / Shift past 24 h',
};

const COLUMNS: [header: string, value: (drive: FnReplacement) => string | null][] = [
  ['Магазин / Store', (d) => d.storeId],
  ['Касса / Register', (d) => d.registerId],
  ['Устройство / Device', (d) => d.deviceId],
  ['Модель ККТ / Register model', (d) => d.model],
  ['Заводской номер ККТ / Register serial', (d) => d.registerSerial],
  ['Номер ФН / FN serial', (d) => d.fnSerial],
  ['Срок, дней / Within, days', (d) => BUCKET_TEXT[d.bucket]],
  ['Заменить до (UTC) / Replace by (UTC)', (d) => d.replaceBy],
  ['Причина замены / Replacement reason', (d) => REASON_TEXT[d.replaceReason]],
  ['ФН действует до (UTC) / FN valid until (UTC)', (d) => d.validUntil],
  ['Блокировка продаж (UTC) / Sales blocked at (UTC)', (d) => d.blockingAt],
  ['Причина блокировки / Blocking reason', (d) => (d.blockingReason ? REASON_TEXT[d.blockingReason] : null)],
];

/** The whole file: BOM, header line, one line per drive (stores in order, as the list has them). */
export function replacementsCsv(list: ReplacementList, delimiter: CsvDelimiter = 'comma'): string {
  const separator = delimiter === 'comma' ? ',' : ';';
  const line = (cells: (string | null)[]) => cells.map((cell) => csvCell(cell ?? '', separator)).join(separator);
  const lines = [line(COLUMNS.map(([header]) => header))];
  for (const store of list.stores) for (const drive of store.drives) lines.push(line(COLUMNS.map(([, value]) => value(drive))));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** One cell, guarded against formulas, quoted when RFC 4180 requires it. */
export function csvCell(value: string, separator: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return guarded.includes(separator) || /["\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** `fn-replacements-2026-11-30.csv` */
export function replacementsFileName(now: Date): string {
  return `fn-replacements-${now.toISOString().slice(0, 10)}.csv`;
}

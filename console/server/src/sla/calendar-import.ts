import { DateTime } from 'luxon';
import { DAY_KINDS, type DayKind } from './business-hours';

// Production-calendar files an admin loads into a calendar: the xmlcalendar.ru XML format (one
// year a file) and a plain CSV `date,kind,note`. Both become the same list of days; nothing is
// stored here. The XML reader is strict rather than general: the format is flat (calendar >
// holidays > holiday, calendar > days > day, attributes only), and anything else is refused with
// the line it stands on, so a wrong file is never half-read.

export interface CalendarDay {
  /** Local date YYYY-MM-DD. */
  date: string;
  kind: DayKind;
  note: string;
}

export interface ImportedCalendar {
  format: 'xmlcalendar' | 'csv';
  /** The calendar's year, when the file states one (XML). */
  year: number | null;
  days: CalendarDay[];
}

/** As the wire's CalendarDay.note. */
const NOTE_MAX = 200;

/** A file that is not a calendar we can read; `line` is 1-based. */
export class CalendarFileError extends Error {
  readonly code = 'bad_request' as const;
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'CalendarFileError';
  }
}

/** Reads either format: XML when the first non-blank character is '<'. */
export function parseCalendarFile(text: string): ImportedCalendar {
  const body = text.replace(/^\uFEFF/, '');
  return body.trimStart().startsWith('<') ? parseXmlCalendar(body) : parseCalendarCsv(body);
}

/**
 * xmlcalendar.ru (https://github.com/xmlcalendar/data, README): `<calendar year="2026" …>`, then
 * `<holiday id title>` names and `<day d="MM.DD" t h f>` where t = 1 a day off (a holiday, or a
 * day off moved from the date in f), 2 a shortened working day (any weekday), 3 a working day on a
 * Saturday or Sunday. Dates not listed are ordinary days of their weekday.
 */
export function parseXmlCalendar(text: string): ImportedCalendar {
  const elements = xmlElements(text);
  const root = elements.find((element) => element.name === 'calendar');
  if (!root) throw new CalendarFileError('no <calendar> element', null);
  const year = Number(root.attributes.year);
  if (!Number.isInteger(year) || year < 1990 || year > 2200) throw new CalendarFileError(`<calendar year="${root.attributes.year ?? ''}"> is not a year`, root.line);
  const titles = new Map(elements.filter((e) => e.name === 'holiday').map((e) => [e.attributes.id, e.attributes.title ?? '']));
  const days = elements.filter((e) => e.name === 'day').map((element) => xmlDay(element, year, titles));
  return { format: 'xmlcalendar', year, days: noRepeats(days, (day) => day.line) };
}

const XML_KINDS: Record<string, DayKind> = { '1': 'holiday', '2': 'short', '3': 'working' };
const XML_NOTES: Record<DayKind, string> = { holiday: 'выходной день', short: 'сокращённый рабочий день', working: 'рабочий день' };

function xmlDay(element: XmlElement, year: number, titles: Map<string | undefined, string>): CalendarDay & { line: number } {
  const { d, t, h, f } = element.attributes;
  const kind = XML_KINDS[t ?? ''];
  if (!kind) throw new CalendarFileError(`<day t="${t ?? ''}">: the type must be 1, 2 or 3`, element.line);
  const date = monthDay(d, year, element.line);
  let note = XML_NOTES[kind];
  if (h !== undefined) note = (titles.get(h) ?? note).slice(0, NOTE_MAX);
  else if (f !== undefined) note = `выходной перенесён с ${monthDay(f, year, element.line)}`;
  return { date, kind, note, line: element.line };
}

function monthDay(text: string | undefined, year: number, line: number): string {
  const match = /^(\d\d)\.(\d\d)$/.exec(text ?? '');
  const date = match ? DateTime.fromObject({ year, month: Number(match[1]), day: Number(match[2]) }) : null;
  if (!date?.isValid) throw new CalendarFileError(`"${text ?? ''}" is not a date MM.DD of ${year}`, line);
  return date.toISODate() ?? '';
}

interface XmlElement {
  name: string;
  attributes: Record<string, string | undefined>;
  line: number;
}

const KNOWN_ELEMENTS = new Set(['calendar', 'holidays', 'holiday', 'days', 'day']);
const TOKEN = /<\?xml[^?]*\?>|<!--[\s\S]*?-->|<\/([a-z]+)\s*>|<([a-z]+)((?:\s+[a-z]+\s*=\s*"[^"<]*")*)\s*(\/?)>|[^<]+|</gy;
const ATTRIBUTE = /([a-z]+)\s*=\s*"([^"<]*)"/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The file's elements in order, with their attributes and lines; refuses text and unknown markup. */
function xmlElements(text: string): XmlElement[] {
  const elements: XmlElement[] = [];
  let line = 1;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const [token, closing, name, attributeText] = match;
    if (token === '<' || (closing === undefined && name === undefined && !token.startsWith('<') && token.trim() !== '')) {
      throw new CalendarFileError(`unexpected "${token.trim().slice(0, 40)}": not an xmlcalendar file`, line);
    }
    const tag = name ?? closing;
    if (tag !== undefined && !KNOWN_ELEMENTS.has(tag)) throw new CalendarFileError(`unknown element <${tag}>`, line);
    if (name !== undefined) elements.push({ name, attributes: xmlAttributes(attributeText ?? '', line), line });
    line += token.split('\n').length - 1;
  }
  return elements;
}

function xmlAttributes(text: string, line: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name = '', raw = ''] of text.matchAll(ATTRIBUTE)) {
    attributes[name] = raw.replace(/&(#?\w+);/g, (entity: string, ref: string) => {
      const value = ref.startsWith('#') ? String.fromCodePoint(Number(ref.startsWith('#x') ? `0x${ref.slice(2)}` : ref.slice(1))) : ENTITIES[ref];
      if (value === undefined) throw new CalendarFileError(`unknown entity ${entity}`, line);
      return value;
    });
  }
  return attributes;
}

/**
 * CSV `date,kind,note` (a header line of those names is optional; a comma or a semicolon; a note
 * may be quoted, doubled quotes inside; blank lines skipped). kind is holiday, short or working.
 */
export function parseCalendarCsv(text: string): ImportedCalendar {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const first = records.find((record) => record.text.trim() !== '')?.text ?? '';
  const separator = /^\s*"?[\w-]*"?\s*;/.test(first) ? ';' : ',';
  const days: (CalendarDay & { line: number })[] = [];
  for (const { text: record, line } of records) {
    if (record.trim() === '') continue;
    const [date = '', kind = '', note = '', ...rest] = csvFields(record, separator, line).map((field) => field.trim());
    if (days.length === 0 && date.toLowerCase() === 'date' && kind.toLowerCase() === 'kind') continue;
    if (rest.some((field) => field !== '')) throw new CalendarFileError('more than three fields (date, kind, note)', line);
    if (!(DAY_KINDS as readonly string[]).includes(kind)) throw new CalendarFileError(`kind "${kind}" is not one of ${DAY_KINDS.join(', ')}`, line);
    if (note.length > NOTE_MAX) throw new CalendarFileError(`the note is longer than ${NOTE_MAX} characters`, line);
    if (!/^\d{4}-\d\d-\d\d$/.test(date) || !DateTime.fromISO(date).isValid) throw new CalendarFileError(`"${date}" is not a date YYYY-MM-DD`, line);
    days.push({ date, kind: kind as DayKind, note, line });
  }
  return { format: 'csv', year: null, days: noRepeats(days, (day) => day.line) };
}

/** Records split on line ends outside quotes, each with the line it starts on. */
function csvRecords(text: string): { text: string; line: number }[] {
  const records: { text: string; line: number }[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (i === text.length || (c === '\n' && !quoted)) {
      records.push({ text: text.slice(start, i).replace(/\r$/, ''), line: startLine });
      start = i + 1;
      startLine = line + 1;
    }
    if (c === '\n') line++;
  }
  return records;
}

function csvFields(record: string, separator: string, line: number): string[] {
  const fields: string[] = [];
  const field = new RegExp(`\\s*(?:"((?:[^"]|"")*)"|([^"${separator}]*))\\s*(${separator}|$)`, 'y');
  for (let at = 0; at <= record.length; ) {
    field.lastIndex = at;
    const match = field.exec(record);
    if (!match) throw new CalendarFileError('a quoted field is not closed, or a quote stands inside an unquoted field', line);
    fields.push(match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] ?? ''));
    if (match[3] === '') break;
    at = field.lastIndex;
  }
  return fields;
}

function noRepeats<T extends CalendarDay>(days: T[], lineOf: (day: T) => number): CalendarDay[] {
  const seen = new Set<string>();
  for (const day of days) {
    if (seen.has(day.date)) throw new CalendarFileError(`${day.date} is listed twice`, lineOf(day));
    seen.add(day.date);
  }
  return days.map(({ date, kind, note }) => ({ date, kind, note }));
}

import { isStructuredExchange, type DecodedField, type EvidenceExchange, type Locale } from '@tillscope/shared';
import { translate } from '../i18n/strings';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Compact duration for dense tables: "45 с", "12 мин", "2 ч 05 мин", "3 д 4 ч". Sign is ignored. */
export function formatDuration(ms: number, locale: Locale): string {
  const abs = Math.abs(ms);
  const u = (key: 'unit.d' | 'unit.h' | 'unit.min' | 'unit.s', n: number, pad = false) =>
    translate(locale, key, { n: pad ? String(n).padStart(2, '0') : n });
  if (abs < MINUTE) return u('unit.s', Math.floor(abs / 1000));
  if (abs < HOUR) return u('unit.min', Math.floor(abs / MINUTE));
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs % HOUR) / MINUTE);
    return `${u('unit.h', h)} ${u('unit.min', m, true)}`;
  }
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  return h ? `${u('unit.d', d)} ${u('unit.h', h)}` : u('unit.d', d);
}

/** "5 мин назад"; null timestamps read as "никогда". */
export function formatAgo(iso: string | null, nowMs: number, locale: Locale): string {
  if (!iso) return translate(locale, 'time.never');
  const ms = nowMs - Date.parse(iso);
  if (ms < 5_000) return translate(locale, 'time.justNow');
  return translate(locale, 'time.ago', { time: formatDuration(ms, locale) });
}

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

/** Local date and time with seconds: the timeline needs the order of events to be readable. */
export function formatDateTime(iso: string, locale: Locale): string {
  let f = dateTimeFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
      day: '2-digit',
      month: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    dateTimeFormats.set(locale, f);
  }
  return f.format(new Date(iso));
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** Local date with the time to the minute: fiscal dates and deadlines, weeks ahead. */
export function formatDate(iso: string, locale: Locale): string {
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    dateFormats.set(locale, f);
  }
  return f.format(new Date(iso));
}

/** Bytes of an evidence hex string ("10 04 04"), already validated by the shared schema. */
export function hexBytes(hex: string | null): number[] {
  if (!hex) return [];
  return hex
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((b) => Number.parseInt(b, 16))
    .filter((n) => Number.isInteger(n) && n >= 0 && n <= 255);
}

/** One byte the way printer manuals write it: 0x72. */
export function byteHex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

export function byteBits(n: number): string {
  const bits = n.toString(2).padStart(8, '0');
  return `${bits.slice(0, 4)} ${bits.slice(4)}`;
}

export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

/** A classic hex dump (offset, bytes, printable ASCII) for the raw-bytes view. */
export function hexDump(hex: string | null, width = 16): HexLine[] {
  const bytes = hexBytes(hex);
  const lines: HexLine[] = [];
  for (let i = 0; i < bytes.length; i += width) {
    const chunk = bytes.slice(i, i + width);
    lines.push({
      offset: i.toString(16).padStart(4, '0'),
      hex: chunk.map((b) => b.toString(16).padStart(2, '0')).join(' '),
      ascii: chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
    });
  }
  return lines;
}

/** The reply as manuals write it: one byte "0x72", several "0x16 0x00 …", none null. */
export function replyValue(reply: string | null): string | null {
  const bytes = hexBytes(reply);
  if (!bytes.length) return null;
  return bytes.map(byteHex).join(' ');
}

/**
 * The one-line reading of an exchange, e.g. "DLE EOT 4 = 0x72: бумага закончилась": the reply and
 * the meanings of its alarm fields.
 */
export function exchangeSummary(exchange: EvidenceExchange, locale: Locale): string {
  if (isStructuredExchange(exchange)) {
    if (exchange.reply === null) return `${exchange.label}: ${exchange.status ?? translate(locale, 'evidence.noReply')}`;
    const head = exchange.status ? `${exchange.label} = ${exchange.status}` : exchange.label;
    if (!exchange.valid) return `${head}: ${translate(locale, 'evidence.invalid')}`;
    const alarms = exchange.decoded.filter((f) => f.alarm).map((f) => f.meaning[locale]);
    return alarms.length ? `${head}: ${alarms.join('; ')}` : head;
  }
  const value = replyValue(exchange.reply);
  if (value === null) return `${exchange.label}: ${translate(locale, 'evidence.noReply')}`;
  const head = `${exchange.label} = ${value}`;
  if (!exchange.valid) return `${head}: ${translate(locale, 'evidence.invalid')}`;
  const alarms = exchange.decoded.filter((f: DecodedField) => f.alarm).map((f) => f.meaning[locale]);
  return alarms.length ? `${head}: ${alarms.join('; ')}` : head;
}

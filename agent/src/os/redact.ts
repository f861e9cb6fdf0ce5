import type { RedactionKind } from '@tillscope/shared';

/**
 * Removes secrets and personal data from text and JSON before it leaves the register (diagnostics
 * bundles, OS event messages). Four kinds (RedactionKind):
 * - password: values labelled as passwords (`Password=…`, `"pwd": …`, `пароль: …`, `<Password>…`,
 *   `key="Password" value="…"`), and the password in a URL's user info (`ftp://user:…@host`);
 * - token: values labelled as tokens, secrets, credentials, API keys, cookies, `Authorization:`,
 *   `Bearer …`/`Basic …` and JSON Web Tokens;
 * - card_number: 13–19 digits (spaces or dashes between allowed) that start like a payment card
 *   (Visa 4, Mastercard 51–55/2221–2720, МИР 2200–2204, Amex 34/37, JCB 35, Maestro/UnionPay/
 *   Discover 50, 56–69) and pass the Luhn check, so fiscal drive numbers (99…, 87…) and
 *   registration numbers (0…) stay;
 * - cashier_name: values labelled as the cashier, operator, user or seller (`Кассир: Иванова А. А.`,
 *   `"cashierName": …`), names written as a surname with initials (`Иванова А.А.`), and any name the
 *   caller lists.
 * Each removed value becomes `[redacted:<kind>]` and is counted. Redaction errs towards removing too
 * much: a value that merely sits under a secret-looking label goes too. It cannot see a secret nobody
 * labelled (a bare password in free text), which is why bundles carry only named files and logs.
 */

export type RedactionCounts = Record<RedactionKind, number>;

export interface RedactOptions {
  /** Names to remove wherever they appear (whole words, any case), e.g. the store's cashiers. */
  names?: readonly string[];
}

export interface Redactor {
  /** The text with every secret replaced by its placeholder. */
  text(value: string): string;
  /**
   * A redacted deep copy: strings are redacted as text; every string or number under a secret key
   * (password, token, cashier) becomes the placeholder string, so callers re-parse what they need
   * typed. Keys themselves are kept.
   */
  json(value: unknown): unknown;
  /** What this redactor has removed so far, by kind. */
  counts(): RedactionCounts;
}

export const placeholder = (kind: RedactionKind): string => `[redacted:${kind}]`;

export function emptyCounts(): RedactionCounts {
  return { password: 0, token: 0, card_number: 0, cashier_name: 0 };
}

/** Adds `more` into `into` (for callers that redact in several passes). */
export function addCounts(into: RedactionCounts, more: RedactionCounts): RedactionCounts {
  for (const kind of Object.keys(into) as RedactionKind[]) into[kind] += more[kind];
  return into;
}

export function redactText(value: string, options: RedactOptions = {}): { text: string; counts: RedactionCounts } {
  const redactor = createRedactor(options);
  return { text: redactor.text(value), counts: redactor.counts() };
}

export function redactJson(value: unknown, options: RedactOptions = {}): { value: unknown; counts: RedactionCounts } {
  const redactor = createRedactor(options);
  return { value: redactor.json(value), counts: redactor.counts() };
}

// Labels. An identifier containing one of these words ("dbPassword", "enrollmentToken") counts.
// Plain strings, not String.raw: the agent bundle must be ASCII, and esbuild can escape a plain
// string's Cyrillic but not a raw template's (agent/build.test.ts).
const PASSWORD_WORDS = 'password|passwd|passphrase|pwd|пароль|парол[ьяею]';
const TOKEN_WORDS = String.raw`token|secret|credential|api[_-]?key|access[_-]?key|private[_-]?key|authorization|cookie|session[_-]?id`;
const CASHIER_WORDS = 'cashier|кассир|operator|оператор|пользователь|продавец|username|user[_-]?name';
// Bounded, and (in text) starting where an identifier starts: an unbounded prefix would make a long
// run of letters (a base64 blob) quadratic.
const ident = (words: string) => String.raw`[\p{L}\d_.-]{0,40}(?:${words})[\p{L}\d_.-]{0,40}`;

const SECRET_KEYS: ReadonlyArray<[RedactionKind, RegExp]> = [
  ['password', new RegExp(`^(?:${ident(PASSWORD_WORDS)}|pass)$`, 'iu')],
  ['token', new RegExp(`^${ident(TOKEN_WORDS)}$`, 'iu')],
  // exact: a key merely containing "cashier" is the agent's own (cashierPage, cashierNotes)
  ['cashier_name', new RegExp(`^(?:[\\p{L}\\d]{0,20}[_-]?)?(?:${CASHIER_WORDS})(?:[_-]?(?:name|fio|имя|фио))?$`, 'iu')],
];

/** The kind of secret a JSON key (or label) holds, if any. */
export function secretKeyKind(key: string): RedactionKind | null {
  for (const [kind, pattern] of SECRET_KEYS) if (pattern.test(key)) return kind;
  return null;
}

const NOT_SECRET_VALUES = new Set(['', 'null', 'true', 'false', 'none', 'undefined']);

// A value after a label: a quoted string, or a run without separators (a placeholder starts with
// "[" and so is never taken again).
const QUOTED = String.raw`"(?:[^"\\\n]|\\.)*"|'[^'\n]*'`;
const BARE = String.raw`[^\s;,&"'<>{}\[\]()]+`;

/** `Password = my secret` on a line of its own (INI, YAML, .env): the rest of the line. */
const lineLabel = (words: string) => new RegExp(String.raw`^([ \t]*(?:export[ \t]+)?)(${ident(words)}|pass)([ \t]*[:=][ \t]*)(?!["'\[{])([^\r\n]*[^\s\r\n])`, 'gimu');
/** `"password": "x"`, `pwd=x;`, `token: x`: the quoted value or the bare run. */
const inlineLabel = (words: string) => new RegExp(String.raw`(?<![\p{L}\d_.-])(["']?)(${ident(words)})\1([ \t]*[:=][ \t]*)(${QUOTED}|(?:(?:Bearer|Basic|Digest)\s+)?${BARE})`, 'giu');
/** `<Password>x</Password>` */
const xmlElement = (words: string) => new RegExp(String.raw`(<(${ident(words)})(?:\s[^<>]{0,200})?>)([^<]{1,1000})(</\2\s*>)`, 'giu');
/** `<add key="Password" value="x"/>`, `name="Token" value="x"` */
const xmlKeyValue = (words: string) => new RegExp(String.raw`((?:key|name)\s*=\s*"(?:${ident(words)})"\s+value\s*=\s*")([^"]*)(")`, 'giu');

const URL_USERINFO = /(?<![a-z\d+.-])([a-z][a-z\d+.-]{0,30}:\/\/[^\s/:@]{1,200}):([^\s/@]{1,200})@/giu;
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token)(\s+)([A-Za-z\d._~+/=-]{8,})/gu;
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/gu;

const NAME_WORD = "\\p{Lu}[\\p{Ll}'’-]+";
const INITIALS = String.raw`\p{Lu}\.\s?(?:\p{Lu}\.)?`;
/** A person's name: "Иванова", "Иванова Анна Петровна", "Иванова А. А.", "А.А. Иванова" */
const PERSON = String.raw`(?:${INITIALS}\s?${NAME_WORD}|${NAME_WORD}(?:\s(?:${INITIALS}|${NAME_WORD})){0,2})`;
/** Case-insensitive without the `i` flag, which would make \p{Lu} match lower case letters too. */
const caseless = (words: readonly string[]) =>
  words.map((word) => [...word].map((char) => (char.toLowerCase() === char.toUpperCase() ? char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${char.toLowerCase()}${char.toUpperCase()}]`)).join('')).join('|');
const CASHIER_LABEL = String.raw`(?<![\p{L}\d_])(["']?)((?:${caseless(['cashier', 'кассир', 'operator', 'оператор', 'пользователь', 'продавец', 'user'])})(?:[ _-]?(?:${caseless(['name', 'имя', 'фио'])}))?)\1`;
const CASHIER_WITH_SEPARATOR = new RegExp(String.raw`${CASHIER_LABEL}(\s*[:=]\s*)(${QUOTED}|${PERSON}|[\p{L}\d._-]+)`, 'gu');
const CASHIER_BEFORE_NAME = new RegExp(String.raw`${CASHIER_LABEL}(\s+)(${PERSON})(?![\p{L}])`, 'gu');
/** A surname with initials anywhere: "Иванова А.А.", "А. А. Иванова" */
const SURNAME_INITIALS = new RegExp(String.raw`(?<![\p{L}])(?:${NAME_WORD}\s\p{Lu}\.\s?\p{Lu}\.|\p{Lu}\.\s?\p{Lu}\.\s?${NAME_WORD})(?![\p{L}])`, 'gu');

const CARD_CANDIDATE = /(?<![\p{L}\d_.,/:-])\d(?:[ -]?\d){12,18}(?![\p{L}\d_])/gu;

export function createRedactor(options: RedactOptions = {}): Redactor {
  const counts = emptyCounts();
  const names = namesPattern(options.names ?? []);
  const take = (kind: RedactionKind) => {
    counts[kind] += 1;
    return placeholder(kind);
  };

  const labelled = (text: string, words: string, kind: RedactionKind) =>
    text
      .replace(lineLabel(words), (all, lead: string, key: string, sep: string, value: string) =>
        isSecretValue(value) ? `${lead}${key}${sep}${take(kind)}` : all)
      .replace(inlineLabel(words), (all, quote: string, key: string, sep: string, value: string) =>
        isSecretValue(value) ? `${quote}${key}${quote}${sep}${requote(value, quote, take(kind))}` : all)
      .replace(xmlElement(words), (all, open: string, _key: string, value: string, close: string) =>
        isSecretValue(value) ? `${open}${take(kind)}${close}` : all)
      .replace(xmlKeyValue(words), (all, head: string, value: string, tail: string) =>
        isSecretValue(value) ? `${head}${take(kind)}${tail}` : all);

  const text = (value: string): string => {
    let out = value.replace(URL_USERINFO, (_all, head: string) => `${head}:${take('password')}@`);
    out = out.replace(JWT, () => take('token'));
    out = labelled(out, PASSWORD_WORDS, 'password');
    out = labelled(out, TOKEN_WORDS, 'token');
    out = out.replace(AUTH_SCHEME, (_all, scheme: string, space: string) => `${scheme}${space}${take('token')}`);
    out = out.replace(CASHIER_WITH_SEPARATOR, (all, quote: string, key: string, sep: string, name: string) =>
      isSecretValue(name) ? `${quote}${key}${quote}${sep}${requote(name, quote, take('cashier_name'))}` : all);
    out = out.replace(CASHIER_BEFORE_NAME, (_all, quote: string, key: string, space: string) => `${quote}${key}${quote}${space}${take('cashier_name')}`);
    out = out.replace(SURNAME_INITIALS, () => take('cashier_name'));
    if (names) out = out.replace(names, () => take('cashier_name'));
    return out.replace(CARD_CANDIDATE, (candidate) => redactCardsIn(candidate, () => take('card_number')));
  };

  const json = (value: unknown, keyKind: RedactionKind | null = null): unknown => {
    if (typeof value === 'string') {
      if (keyKind === null) return text(value);
      return isSecretValue(value) ? take(keyKind) : value;
    }
    if (typeof value === 'number') {
      if (keyKind !== null) return take(keyKind);
      return Number.isSafeInteger(value) && isCardNumber(String(Math.abs(value))) ? take('card_number') : value;
    }
    if (Array.isArray(value)) return value.map((item) => json(item, keyKind));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, json(item, keyKind ?? secretKeyKind(key))]));
    }
    return value;
  };

  return { text, json: (value) => json(value), counts: () => ({ ...counts }) };
}

function isSecretValue(value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, '').trim();
  return !NOT_SECRET_VALUES.has(bare.toLowerCase()) && !bare.includes('[redacted:');
}

/** Keeps a quoted value quoted; a bare value under a quoted (JSON) key becomes a JSON string. */
function requote(value: string, keyQuote: string, replacement: string): string {
  const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : keyQuote;
  return quote ? `${quote}${replacement}${quote}` : replacement;
}

function namesPattern(names: readonly string[]): RegExp | null {
  const words = names.map((name) => name.trim()).filter((name) => name.length >= 2);
  if (words.length === 0) return null;
  const escaped = words.sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\d])(?:${escaped.join('|')})(?![\\p{L}\\d])`, 'giu');
}

/**
 * A run of digit groups may hold a card number beside other numbers ("4111 1111 1111 1111 2"):
 * every window of whole groups is tried, leftmost and longest first.
 */
function redactCardsIn(run: string, replacement: () => string): string {
  const parts = run.split(/([ -])/); // digits, separator, digits, ...
  let out = '';
  let start = 0;
  while (start < parts.length) {
    let end = -1;
    for (let last = parts.length - 1; last >= start; last -= 2) {
      if (isCardNumber(parts.slice(start, last + 1).filter((_, index) => index % 2 === 0).join(''))) {
        end = last;
        break;
      }
    }
    if (end < 0) {
      out += parts.slice(start, start + 2).join('');
      start += 2;
    } else {
      out += replacement() + (parts[end + 1] ?? '');
      start = end + 2;
    }
  }
  return out;
}

/** Payment-card number: a known network's prefix and length, and the Luhn check. */
export function isCardNumber(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits) || !cardPrefixFits(digits)) return false;
  return luhnValid(digits);
}

function cardPrefixFits(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return length === 13 || length === 16 || length === 19; // Visa
  if (two >= 51 && two <= 55) return length === 16; // Mastercard
  if (four >= 2221 && four <= 2720) return length === 16; // Mastercard 2-series
  if (four >= 2200 && four <= 2204) return length >= 16; // МИР
  if (two === 34 || two === 37) return length === 15; // American Express
  if (two === 35) return length >= 16; // JCB
  return two === 50 || (two >= 56 && two <= 69); // Maestro, UnionPay, Discover: 13..19
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

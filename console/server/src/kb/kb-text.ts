// Text folding shared by the full-text index and its queries. SQLite's unicode61 tokenizer with
// remove_diacritics 2 folds case (Latin and Cyrillic) and accents, but treats ё and е as different
// letters, while Russian writers use them interchangeably; both sides are folded ё→е here.

/** Folds ё→е (both cases); everything else is left to the tokenizer. */
export function foldForIndex(text: string): string {
  return text.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
}

/** At most this many words of a query are searched; the rest is ignored. */
export const MAX_QUERY_TERMS = 12;

/**
 * The FTS5 MATCH expression for what a person typed: every word (letters, digits, marks; anything
 * else separates words, as unicode61 does) quoted as a string and searched as a prefix, all words
 * required. Quoting makes FTS5 operators (AND, OR, NOT, NEAR, -, ^, :, *, parentheses) plain
 * text, so no input can be a query syntax error. A one-letter word is matched whole, not as a
 * prefix: as a prefix it matches nearly every article (and is the slowest query), which tells a
 * reader nothing. undefined: nothing searchable was typed.
 */
export function ftsQueryOf(typed: string): string | undefined {
  const words = foldForIndex(typed.toLocaleLowerCase('ru-RU'))
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, MAX_QUERY_TERMS);
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word.replace(/"/g, '""')}"${[...word].length > 1 ? '*' : ''}`).join(' ');
}

/** The first characters of a Markdown body as a one-line excerpt for lists. */
export function excerptOf(body: string, length = 160): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length <= length ? line : `${line.slice(0, length - 1)}…`;
}

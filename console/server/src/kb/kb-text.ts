// Text folding shared by the full-text index and its queries. SQLite's unicode61 tokenizer with
// remove_diacritics 2 folds case (Latin and Cyrillic) and accents, but treats ё and е as different
// letters, while Russian writers use them interchangeably; both sides are folded ё→е here.
import { marked, type Token, type Tokens } from 'marked';

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

/**
 * The first characters of a Markdown body as one line of plain text for lists: the text of its
 * paragraphs, lists and quotes, without the markup ("## Правило Смену нужно закрыть в течение
 * **24 часов**" showed as such) and without headings or code blocks, unless there is nothing else.
 */
export function excerptOf(body: string, length = 160): string {
  // Only the start is read: lists show many excerpts, and lexing whole articles doubled a search.
  const blocks = marked.lexer(body.slice(0, EXCERPT_SOURCE_CHARS));
  const prose = plainText(blocks.filter((token) => !SKIPPED_BLOCKS.has(token.type)));
  const line = (prose.trim() === '' ? plainText(blocks.filter((token) => token.type === 'heading')) : prose).replace(/\s+/g, ' ').trim();
  return line.length <= length ? line : `${line.slice(0, length - 1)}…`;
}

/** Markdown read for an excerpt: room for a heading, a code block and 160 characters of prose. */
const EXCERPT_SOURCE_CHARS = 1_200;

const SKIPPED_BLOCKS = new Set(['heading', 'code', 'hr', 'html', 'space', 'table']);

/** The words of Markdown tokens: text, inline code and link texts; raw HTML left out. */
function plainText(tokens: readonly Token[]): string {
  return tokens.map((token) => {
    switch (token.type) {
      case 'text': {
        const text = token as Tokens.Text;
        return text.tokens ? plainText(text.tokens) : text.text;
      }
      case 'codespan':
      case 'escape':
      case 'image':
        return (token as Tokens.Codespan | Tokens.Escape | Tokens.Image).text;
      case 'br':
        return ' ';
      case 'html':
        return '';
      case 'strong':
      case 'em':
      case 'del':
      case 'link':
        return plainText((token as Tokens.Strong | Tokens.Em | Tokens.Del | Tokens.Link).tokens);
      case 'list':
        return (token as Tokens.List).items.map((item) => plainText(item.tokens)).join('; ') + ' ';
      default: // a block (paragraph, quote): a space after it
        return 'tokens' in token && token.tokens ? `${plainText(token.tokens)} ` : '';
    }
  }).join('');
}

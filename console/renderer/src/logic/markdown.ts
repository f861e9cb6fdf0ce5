import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { Marked } from 'marked';

// Knowledge-base articles are Markdown written by people: rendered with marked, then sanitized with
// DOMPurify before they touch the DOM. Stored HTML is never trusted: a <script>, an on… handler, a
// javascript: link or an <iframe> in an article comes out inert. The console's CSP (no inline
// scripts, images from itself only) is the second wall.

/** One Markdown parser for the renderer (GitHub-flavoured, a line break is a break). */
const markdown = new Marked({ gfm: true, breaks: true, async: false });

let purifier: Purifier | undefined;

/** DOMPurify bound to this window, made on first use (no work at import time). */
function purify(): Purifier {
  purifier ??= makePurifier(window);
  return purifier;
}

function makePurifier(view: Window & typeof globalThis): Purifier {
  const instance = DOMPurify(view);
  // Links open outside the console and never tell the target where they came from.
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return instance;
}

/** Markdown → sanitized HTML, safe to set as innerHTML. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  return purify().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
  });
}

import { useMemo } from 'preact/hooks';
import { renderMarkdown } from '../logic/markdown';

// The one place in the renderer that puts HTML into the DOM (layering.test.ts allows this file
// only): the HTML is always renderMarkdown's output, i.e. marked's rendering passed through
// DOMPurify. No other component may set HTML; they render Markdown through this view.

/** A knowledge-base text rendered from Markdown, sanitized. */
export function MarkdownView({ source, testId }: { source: string; testId: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div class="md" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

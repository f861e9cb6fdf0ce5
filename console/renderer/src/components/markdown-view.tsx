import { useEffect, useMemo, useState } from 'preact/hooks';

// The one place in the renderer that puts HTML into the DOM (layering.test.ts allows this file
// only): the HTML is always renderMarkdown's output, i.e. marked's rendering passed through
// DOMPurify. No other component may set HTML; they render Markdown through this view.
//
// marked and DOMPurify (some 80 kB) are a chunk of their own, fetched the first time an article is
// shown: the queue's first view does not wait for them. Until they are here (or if fetching them
// failed) the article shows as its plain text: a text node, never HTML.

type RenderMarkdown = (source: string) => string;

let loadedRenderer: RenderMarkdown | null = null;
let loadingRenderer: Promise<RenderMarkdown> | null = null;

/** logic/markdown.ts, fetched once (again after a failure). */
function loadRenderer(): Promise<RenderMarkdown> {
  loadingRenderer ??= import('../logic/markdown').then(
    (module) => (loadedRenderer = module.renderMarkdown),
    (error: unknown) => {
      loadingRenderer = null;
      throw error;
    },
  );
  return loadingRenderer;
}

/** A knowledge-base text rendered from Markdown, sanitized. */
export function MarkdownView({ source, testId }: { source: string; testId: string }) {
  const [renderMarkdown, setRenderer] = useState<RenderMarkdown | null>(() => loadedRenderer);
  useEffect(() => {
    if (renderMarkdown) return undefined;
    let live = true;
    loadRenderer().then((render) => live && setRenderer(() => render), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  const html = useMemo(() => (renderMarkdown ? renderMarkdown(source) : null), [renderMarkdown, source]);
  if (html === null) return <div class="md md-plain" data-testid={testId} aria-busy="true">{source}</div>;
  return <div class="md" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

import { describe, expect, it } from 'vitest';
import { PAGE_CSP_DIRECTIVES } from '../../desktop/common/csp';

// The renderer is web content served to browsers and loaded by Electron: it must not import
// Electron or Node, nor reach into agent/ or shared internals, nor write HTML from strings.
const sources = import.meta.glob<string>(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./testing/**'], { query: '?raw', import: 'default', eager: true });
const indexHtml = Object.values(import.meta.glob<string>('../index.html', { query: '?raw', import: 'default', eager: true }))[0] ?? '';

const imports = (code: string) => [...code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('renderer layering and safety rules', () => {
  it('found the sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(15);
  });

  it('never imports electron, node:*, agent/ or shared internals', () => {
    for (const [file, code] of Object.entries(sources)) {
      for (const spec of imports(code)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^(electron|node:|fs$|path$|child_process)/);
        expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)agent\//);
        expect(spec, `${file} imports ${spec}`).not.toMatch(/shared\/src|^\.\.\/\.\.\/\.\.\/shared/);
        if (spec.includes('desktop/')) expect(spec, file).toMatch(/desktop\/common\/desktop-api$/);
      }
    }
  });

  it('never renders HTML from strings', () => {
    for (const [file, code] of Object.entries(sources)) {
      // The one exception: Markdown rendered by marked and sanitized by DOMPurify, in one view.
      const html = file === './components/markdown-view.tsx' ? code.replace('dangerouslySetInnerHTML={{ __html: html }}', '') : code;
      expect(html, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|outerHTML|insertAdjacentHTML|document\.write|new Function|\beval\(/);
    }
  });

  it('sets HTML only from the sanitizer', () => {
    const view = sources['./components/markdown-view.tsx'] ?? '';
    expect(view).toMatch(/const html = useMemo\(\(\) => \(renderMarkdown \? renderMarkdown\(source\) : null\)/);
    // …and that renderMarkdown is logic/markdown.ts's, fetched as its own chunk, from nowhere else.
    expect(view).toMatch(/import\('\.\.\/logic\/markdown'\)\.then\(\s*\(module\) => \(loadedRenderer = module\.renderMarkdown\)/);
    expect(view.match(/setRenderer\(/g)).toHaveLength(1);
    expect(view).toMatch(/setRenderer\(\(\) => render\)/);
    expect(sources['./logic/markdown.ts']).toMatch(/purify\(\)\.sanitize\(/);
  });

  it('index.html carries the strict CSP and no inline script or style', () => {
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1] ?? '';
    for (const directive of PAGE_CSP_DIRECTIVES) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(indexHtml).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(indexHtml).not.toMatch(/<style|\sstyle="/);
  });
});

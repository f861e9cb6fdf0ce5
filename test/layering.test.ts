import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The architecture, enforced (VS Code style): a folder's place decides what it may import.
// Do not relax these rules to make a change pass; change the change.

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** Which top-level area a relative import lands in ("agent", "console/renderer", "shared", ...). */
function areaOf(absPath: string): string {
  const parts = relative(root, absPath).split(sep);
  if (parts[0] === 'console') return `console/${parts[1] ?? ''}`;
  return parts[0] ?? '';
}

interface Violation {
  file: string;
  spec: string;
  rule: string;
}

function check(area: string, rules: (spec: string, target: string | null, absTarget: string | null) => string | null): Violation[] {
  const dir = join(root, area);
  const violations: Violation[] = [];
  for (const file of sourceFiles(dir)) {
    for (const spec of importsOf(file)) {
      const absTarget = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
      const rule = rules(spec, absTarget ? areaOf(absTarget) : null, absTarget);
      if (rule) violations.push({ file: relative(root, file), spec, rule });
    }
  }
  return violations;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0] ?? '');
const deepShared = (spec: string) => spec.startsWith('@tillscope/shared/');
const isFuzzTarget = (fileOrSpec: string) => /\.fuzz(\.ts)?$/.test(fileOrSpec);

describe('layering', () => {
  it('agent never imports console, and imports shared only through its entry point', () => {
    const violations = check('agent', (spec, target) => {
      if (target?.startsWith('console')) return 'agent must not import console';
      if (target === 'shared' || deepShared(spec)) return "import shared only as '@tillscope/shared'";
      return null;
    });
    expect(violations).toEqual([]);
  });

  it('console never imports agent, and imports shared only through its entry point', () => {
    const violations = check('console', (spec, target) => {
      if (target === 'agent') return 'console must not import agent';
      if (target === 'shared' || deepShared(spec)) return "import shared only as '@tillscope/shared'";
      return null;
    });
    expect(violations).toEqual([]);
  });

  it('the renderer imports no Node or Electron API', () => {
    // desktop/common holds only runtime-free shapes both the preload and the renderer use.
    const violations = check('console/renderer', (spec, target, absTarget) => {
      if (isNodeBuiltin(spec) || spec === 'electron') return 'renderer runs in a browser: no Node or Electron';
      const desktopCommon = absTarget !== null && relative(root, absTarget).startsWith(`console${sep}desktop${sep}common${sep}`);
      if (target && target !== 'console/renderer' && !desktopCommon) return 'renderer imports only itself, desktop/common and @tillscope/shared';
      return null;
    });
    expect(violations).toEqual([]);
  });

  it('shared uses no Node, DOM or Electron API and imports nothing but zod', () => {
    const files = sourceFiles(join(root, 'shared/src')).filter((f) => !/\.test\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    const violations: Violation[] = [];
    for (const file of files) {
      // Fuzz targets (*.fuzz.ts) are pure like the rest and also use fast-check; no shipped file imports them.
      const fuzz = isFuzzTarget(file);
      for (const spec of importsOf(file)) {
        const ok = spec === 'zod' || (fuzz && spec === 'fast-check') || (spec.startsWith('.') && areaOf(resolve(dirname(file), spec)) === 'shared');
        if (!ok) violations.push({ file: relative(root, file), spec, rule: 'shared imports only zod and itself' });
        if (!fuzz && isFuzzTarget(spec)) violations.push({ file: relative(root, file), spec, rule: 'only fuzz targets import fuzz targets' });
      }
      const text = readFileSync(file, 'utf8');
      for (const global of ['process.', 'Buffer.', 'window.', 'document.', 'require(']) {
        if (text.includes(global)) violations.push({ file: relative(root, file), spec: global, rule: 'no runtime globals in shared' });
      }
    }
    expect(violations).toEqual([]);
  });

  it('desktop/common stays free of Electron and Node so the renderer may use it', () => {
    const violations = check('console/desktop/common', (spec, target) => {
      if (isNodeBuiltin(spec) || spec === 'electron') return 'desktop/common is runtime-free';
      if (target && target !== 'console/desktop') return 'desktop/common imports only itself';
      return null;
    });
    expect(violations).toEqual([]);
  });

  it('the checker itself sees imports (guards against a rule that cannot fail)', () => {
    expect(importsOf(join(root, 'test/layering.test.ts'))).toContain('typescript');
    expect(areaOf(join(root, 'console/server/src/x.ts'))).toBe('console/server');
  });
});

// Bundles the main process and the preload into CommonJS files Electron loads directly:
// dist/main.cjs (package.json "main") and dist/preload.cjs. `electron` stays external; zod and
// our own modules are bundled, so the packaged app needs no node_modules at all.
import { build, type BuildOptions } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const production = process.env.NODE_ENV === 'production';

const common: BuildOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  external: ['electron'],
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'info',
  tsconfig: join(here, 'tsconfig.json'),
};

await Promise.all([
  // Electron 45 runs Node 22 in the main process.
  build({ ...common, entryPoints: [join(here, 'main/main.ts')], outfile: join(here, 'dist/main.cjs'), target: 'node22' }),
  // A sandboxed preload may only require('electron') and a few polyfilled modules: no node:*.
  build({ ...common, entryPoints: [join(here, 'preload/preload.ts')], outfile: join(here, 'dist/preload.cjs'), target: 'chrome140' }),
]);

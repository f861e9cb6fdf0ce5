// `npm run build:agent`: bundles the agent into one CommonJS file, agent/dist/agent.cjs, that runs
// with plain `node` (production command line: AGENT_NODE_FLAGS below, and the README's agent
// section). Our code, @tillscope/shared, zod, ws and the `sqlite` wrapper are bundled; native
// modules and their JS front ends (sqlite3, serialport, @serialport/*, usb) stay external and load
// from node_modules at run time, serialport only when a serial device is opened. systeminformation
// (pure JS) stays external too: its regular expressions hold non-ASCII characters esbuild cannot
// escape, and only the host probes load it, on their first run.
//
// Why a bundle: through tsx the same agent runs a loader thread and its esbuild service and
// carries about twice the memory (`npm run bench -- --only agent-footprint` prints both).
// Why CommonJS: a CJS entry is read synchronously, so nothing touches the libuv threadpool before
// src/bin.ts has sized it; an ESM entry is read with async fs, which starts the pool (4 threads)
// before the first line of our code runs.
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where `npm run build:agent` writes the bundle. */
export const AGENT_BUNDLE = join(here, 'dist/agent.cjs');

/**
 * Node flags of the production command line, `node <flags> agent/dist/agent.cjs --config …`: two
 * V8 platform workers instead of four (see src/bin.ts), and a young generation held at 1 MB per
 * semi-space (start-up grew it and V8 kept it: 2-4 MB of private memory at idle, measured by the
 * agent-footprint bench). Only the command line or NODE_OPTIONS can set these; code runs too late.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--v8-pool-size=2', '--max-semi-space-size=1'];

/** Loaded from node_modules at run time, never bundled: native addons and their loaders. */
export const AGENT_EXTERNALS = ['sqlite3', 'serialport', '@serialport/*', 'usb', 'systeminformation', 'bufferutil', 'utf-8-validate'];

/**
 * zod's `z.locales` and `z.core.locales` namespaces hold ~45 translations of its error messages
 * (~300 KB of the bundle, ~0.6 MB of heap once loaded). The agent never calls
 * `z.config(z.locales.xx())`: its messages stay in English, which zod registers from
 * `locales/en.js` and which is kept. Only the namespaces' index module is replaced by an empty one.
 */
const dropZodLocales: Plugin = {
  name: 'drop-zod-locales',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

export function agentBuildOptions(outfile = AGENT_BUNDLE): BuildOptions {
  return {
    entryPoints: [join(here, 'src/bin.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    // The oldest Node the agent supports (package.json engines); the bundle runs on 22 and 24 too.
    target: 'node20',
    external: AGENT_EXTERNALS,
    // V8 keeps the whole bundle's source in the heap, as a two-byte string as soon as one character
    // is not Latin-1 (a comment in zod has an em dash): 2.1 MB unminified. Whitespace and syntax
    // minification drop the comments and whitespace (ASCII, ~0.5 MB) and keep every name, so stack
    // traces in a till's log still read; mangling names as well saved only ~0.15 MB more.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    // Read only with `node --enable-source-maps`, for an engineer debugging a till.
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: join(here, '../tsconfig.json'),
    plugins: [dropZodLocales],
    metafile: true,
  };
}

export function buildAgent(outfile = AGENT_BUNDLE): Promise<BuildResult> {
  return build(agentBuildOptions(outfile));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await buildAgent();
  const bytes = Object.values(result.metafile?.outputs ?? {}).find((output) => output.entryPoint)?.bytes ?? 0;
  process.stdout.write(`agent bundle: ${AGENT_BUNDLE} (${Math.round(bytes / 1024)} KB)\n`);
}

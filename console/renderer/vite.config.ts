import { defineConfig } from 'vite';

// Run from the repository root (`npm run build:renderer`); paths below are relative to `root`.
// The console server serves dist/ and the Electron shell loads it from the server, so `base`
// is relative and the app routes with the URL hash (no server-side fallback needed).
export default defineConfig({
  root: 'console/renderer',
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The polyfill would be inlined; the CSP (script-src 'self') forbids inline scripts.
    modulePreload: { polyfill: false },
  },
  server: {
    // `vite --config console/renderer/vite.config.ts` during development, against a local console server.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});

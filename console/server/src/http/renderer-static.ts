import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

const MISSING_RENDERER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tillscope console</title></head>
<body><h1>Tillscope console</h1><p>The console UI is not built. Run <code>npm run build:renderer</code> and reload.</p></body></html>`;

/**
 * Serves the built renderer with a single-page-app fallback to index.html. When the build is
 * missing, `/` explains how to make it instead of answering 404.
 */
export function rendererRouter(rendererDir: string): Router {
  const router = express.Router();
  const indexFile = path.join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    router.get('/', (_req, res) => {
      res.type('html').send(MISSING_RENDERER_PAGE);
    });
    return router;
  }
  router.use(express.static(rendererDir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true }));
  router.get('/{*path}', (req, res, next) => {
    // API and socket paths never fall back to the app shell: a typo there must stay a 404.
    if (req.path.startsWith('/api/') || req.path.startsWith('/ws/')) return next();
    res.sendFile(indexFile);
  });
  return router;
}

// The console page's Content-Security-Policy, in one place. The renderer's index.html carries
// these directives in its meta tag (console/renderer/src/layering.test.ts checks it), and the
// desktop main process adds them, plus the header-only ones, to every response from the server.
// Runtime-free: both sides may import it.

/** Directives a <meta http-equiv="Content-Security-Policy"> can carry. */
export const PAGE_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
] as const;

/** Directives browsers honour only in a response header. */
export const HEADER_ONLY_CSP_DIRECTIVES = ["frame-ancestors 'none'"] as const;

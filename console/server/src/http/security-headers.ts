import type { RequestHandler } from 'express';

/**
 * Headers on every response. The console shows agent-supplied strings (model names, cashier
 * notes); a strict CSP is the second wall if escaping ever fails (see MeshCentral's stored XSS).
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    const host = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.headers.host ?? '') ? req.headers.host : undefined;
    const socketSources = host ? `ws://${host} wss://${host}` : '';
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `connect-src 'self' ${socketSources}`.trim(),
        "script-src 'self'",
        // The renderer sets inline style attributes (SLA colours); no inline scripts are allowed.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  };
}

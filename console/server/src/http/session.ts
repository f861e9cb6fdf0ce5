import type { IncomingMessage } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import type { IssuedDeviceCookie } from '../auth/device-cookies';
import type { SessionUser, UserStore } from '../auth/user-store';
import { HttpError } from './http-error';

export const SESSION_COOKIE = 'tillscope_session';

export function sessionToken(request: IncomingMessage): string | undefined {
  return cookieValue(request, SESSION_COOKIE);
}

export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[name] : undefined;
}

/**
 * Whether cookies set in answer to `req` carry Secure: always when the operator said so
 * (`--secure-cookies`), otherwise when the request came over HTTPS, directly or through a proxy
 * the operator trusts (`--trust-proxy`: express then reads X-Forwarded-Proto into `req.secure`).
 */
export function secureCookiesFor(req: Request, alwaysSecure: boolean): boolean {
  return alwaysSecure || req.secure;
}

/** The login device cookie: sent back only to /api/auth, never readable by scripts. */
export function setDeviceCookie(res: Response, cookie: IssuedDeviceCookie, secure: boolean): void {
  res.append('Set-Cookie', stringifySetCookie({ name: cookie.name, value: cookie.value, httpOnly: true, sameSite: 'strict', path: '/api/auth', expires: cookie.expiresAt, secure }));
}

export function setSessionCookie(res: Response, token: string, expiresAt: Date, secure: boolean): void {
  res.append('Set-Cookie', stringifySetCookie({ name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'strict', path: '/', expires: expiresAt, secure }));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  setSessionCookie(res, '', new Date(0), secure);
}

/** 401 unless the request carries a live session; the user is then `currentUser(res)`. */
export function requireSession(users: UserStore): RequestHandler {
  return async (req, res, next) => {
    const user = await users.userForSession(sessionToken(req));
    if (!user) throw new HttpError(401, 'unauthorized', 'log in first');
    res.locals.user = user;
    next();
  };
}

export function requireAdmin(): RequestHandler {
  return (_req, res, next) => {
    if (currentUser(res).role !== 'admin') throw new HttpError(403, 'forbidden', 'admins only');
    next();
  };
}

export function currentUser(res: Response): SessionUser {
  const user = res.locals.user as SessionUser | undefined;
  if (!user) throw new Error('route is missing requireSession');
  return user;
}

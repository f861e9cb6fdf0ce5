import type { IncomingMessage } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { RequestHandler, Response } from 'express';
import type { SessionUser, UserStore } from '../auth/user-store';
import { HttpError } from './http-error';

export const SESSION_COOKIE = 'tillscope_session';

export function sessionToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
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

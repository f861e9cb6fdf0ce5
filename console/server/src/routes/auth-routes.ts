import { LoginRequest, type Me } from '@tillscope/shared';
import express, { type Request, type Router } from 'express';
import type { DeviceCookies } from '../auth/device-cookies';
import type { LoginThrottle } from '../auth/login-throttle';
import type { UserStore } from '../auth/user-store';
import { HttpError } from '../http/http-error';
import { clearSessionCookie, cookieValue, currentUser, requireSession, secureCookiesFor, sessionToken, setDeviceCookie, setSessionCookie } from '../http/session';
import { validate, validated } from '../http/validate';

export interface AuthRouteDeps {
  users: UserStore;
  loginThrottle: LoginThrottle;
  deviceCookies: DeviceCookies;
  /** Secure on every cookie; otherwise only on requests that came over HTTPS (see secureCookiesFor). */
  secureCookies: boolean;
}

function toMe({ username, displayName, role, groups }: Me): Me {
  return { username, displayName, role, groups };
}

/** The client's address: the socket's, or the one a trusted proxy forwarded (express `trust proxy`). */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Mounted at /api/auth. Login is public; logout and me need a session. */
export function authRoutes({ users, loginThrottle, deviceCookies, secureCookies }: AuthRouteDeps): Router {
  const router = express.Router();

  router.post('/login', validate('body', LoginRequest), async (req, res) => {
    const { username, password } = validated(res, 'body', LoginRequest);
    const deviceNonce = deviceCookies.nonceOf(cookieValue(req, deviceCookies.nameFor(username)), username);
    // Reserved before the hash, synchronously: parallel attempts count like sequential ones.
    // Throws LoginThrottledError (429 + Retry-After) without hashing anything.
    const attempt = loginThrottle.begin({ username, address: clientAddress(req), deviceNonce });
    let user: Awaited<ReturnType<UserStore['checkPassword']>>;
    try {
      user = await users.checkPassword(username, password);
    } catch (error) {
      attempt.abandoned(); // busy (503) or a database error: no password was checked
      throw error;
    }
    if (!user) {
      attempt.failed();
      throw new HttpError(401, 'unauthorized', 'wrong username or password');
    }
    attempt.succeeded();
    const session = await users.startSession(user.userId);
    const secure = secureCookiesFor(req, secureCookies);
    setSessionCookie(res, session.token, session.expiresAt, secure);
    // A fresh device cookie on every login (OWASP): this browser is now known for this user.
    setDeviceCookie(res, deviceCookies.issue(user.username), secure);
    res.json(toMe(user));
  });

  router.post('/logout', requireSession(users), async (req, res) => {
    await users.endSession(sessionToken(req));
    clearSessionCookie(res, secureCookiesFor(req, secureCookies));
    res.json({ ok: true });
  });

  router.get('/me', requireSession(users), (_req, res) => {
    res.json(toMe(currentUser(res)));
  });

  return router;
}

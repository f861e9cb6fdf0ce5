import { LoginRequest, type Me } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import type { UserStore } from '../auth/user-store';
import { HttpError } from '../http/http-error';
import { clearSessionCookie, currentUser, requireSession, sessionToken, setSessionCookie } from '../http/session';
import { validate, validated } from '../http/validate';

export interface AuthRouteDeps {
  users: UserStore;
  loginFailures: FailureRateLimiter;
  secureCookies: boolean;
}

function toMe({ username, displayName, role, groups }: Me): Me {
  return { username, displayName, role, groups };
}

/** Mounted at /api/auth. Login is public; logout and me need a session. */
export function authRoutes({ users, loginFailures, secureCookies }: AuthRouteDeps): Router {
  const router = express.Router();

  router.post('/login', validate('body', LoginRequest), async (req, res) => {
    const { username, password } = validated(res, 'body', LoginRequest);
    // Two keys: one address guessing many names, and many addresses guessing one name.
    const keys = [`ip:${req.socket.remoteAddress ?? 'unknown'}`, `user:${username.toLowerCase()}`];
    if (keys.some((key) => loginFailures.isBlocked(key))) throw new HttpError(429, 'rate_limited', 'too many failed logins; try later');
    const user = await users.checkPassword(username, password);
    if (!user) {
      keys.forEach((key) => loginFailures.recordFailure(key));
      throw new HttpError(401, 'unauthorized', 'wrong username or password');
    }
    loginFailures.reset(keys[1]!);
    const session = await users.startSession(user.userId);
    setSessionCookie(res, session.token, session.expiresAt, secureCookies);
    res.json(toMe(user));
  });

  router.post('/logout', requireSession(users), async (req, res) => {
    await users.endSession(sessionToken(req));
    clearSessionCookie(res, secureCookies);
    res.json({ ok: true });
  });

  router.get('/me', requireSession(users), (_req, res) => {
    res.json(toMe(currentUser(res)));
  });

  return router;
}

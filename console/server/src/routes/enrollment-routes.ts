import { CreateEnrollmentTokenRequest, EnrollRequest } from '@tillscope/shared';
import express, { type Router } from 'express';
import type { AgentRegistry } from '../agents/agent-registry';
import type { FailureRateLimiter } from '../auth/rate-limiter';
import type { UserStore } from '../auth/user-store';
import { HttpError } from '../http/http-error';
import { currentUser, requireAdmin, requireSession } from '../http/session';
import { validate, validated } from '../http/validate';

export interface EnrollmentRouteDeps {
  users: UserStore;
  registry: AgentRegistry;
  enrollFailures: FailureRateLimiter;
  /** Called when a re-enrollment revoked the credential of a possibly connected agent. */
  onCredentialReplaced: (agentId: string) => void;
}

/** POST /api/agents/enroll (public, token-gated) and POST /api/enrollment-tokens (admin). */
export function enrollmentRoutes({ users, registry, enrollFailures, onCredentialReplaced }: EnrollmentRouteDeps): Router {
  const router = express.Router();

  router.post('/agents/enroll', validate('body', EnrollRequest), async (req, res) => {
    const key = `enroll:${req.socket.remoteAddress ?? 'unknown'}`;
    if (enrollFailures.isBlocked(key)) throw new HttpError(429, 'rate_limited', 'too many failed enrollments; try later');
    try {
      const enrolled = await registry.enroll(validated(res, 'body', EnrollRequest));
      if (enrolled.replacedExisting) onCredentialReplaced(enrolled.agentId);
      res.status(201).json({ agentId: enrolled.agentId, credential: enrolled.credential });
    } catch (error) {
      if (error instanceof HttpError && error.code === 'token_invalid') enrollFailures.recordFailure(key);
      throw error;
    }
  });

  router.post('/enrollment-tokens', requireSession(users), requireAdmin(), validate('body', CreateEnrollmentTokenRequest), async (_req, res) => {
    const request = validated(res, 'body', CreateEnrollmentTokenRequest);
    res.status(201).json(await registry.createEnrollmentToken(request, currentUser(res).userId));
  });

  return router;
}

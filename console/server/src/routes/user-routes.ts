import express, { type Router } from 'express';
import { CreateUserRequest } from '@tillscope/shared';
import type { UserStore } from '../auth/user-store';
import { requireAdmin, requireSession } from '../http/session';
import { validate, validated } from '../http/validate';

/** POST /api/users (admin): creates an engineer or admin; answers Me. */
export function userRoutes(users: UserStore): Router {
  const router = express.Router();
  router.post('/users', requireSession(users), requireAdmin(), validate('body', CreateUserRequest), async (_req, res) => {
    res.status(201).json(await users.createUser(validated(res, 'body', CreateUserRequest)));
  });
  return router;
}

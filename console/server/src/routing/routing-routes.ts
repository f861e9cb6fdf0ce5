import { DiagnosisCode, GroupId, GroupList, SupportGroup, UpdateRoutingRequest, UpdateUserGroupsRequest, UpsertGroupRequest, RoutingRule, RoutingTable, Me } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { listGroups, setUserGroups, upsertGroup } from './groups';
import { routingTable, setRoute } from './routing-table';

// REST for groups, engineers' groups and the routing table (docs/api.md "Groups and routing").
// Each router is mounted behind requireSession; writes are for admins (403 forbidden otherwise).
// Answers are parsed with their shared schema before they leave.

export interface RoutingRouteDeps {
  db: ConsoleDatabase;
  now: () => Date;
}

const GroupParams = z.object({ id: GroupId });
const UserParams = z.object({ username: z.string().min(1).max(64) });
const CodeParams = z.object({ code: DiagnosisCode });

/** Mounted at /api/groups: GET / (everyone), PUT /:id (admin; creates or edits, answers SupportGroup). */
export function groupRoutes({ db, now }: RoutingRouteDeps): Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    res.json(GroupList.parse({ groups: await listGroups(db.sql) }));
  });
  router.put('/:id', requireAdmin(), validate('params', GroupParams), validate('body', UpsertGroupRequest), async (_req, res) => {
    const { id } = validated(res, 'params', GroupParams);
    const body = validated(res, 'body', UpsertGroupRequest);
    res.json(SupportGroup.parse(await db.write((sql) => upsertGroup(sql, id, body, now().toISOString()))));
  });
  return router;
}

/** Mounted at /api/users: PUT /:username/groups (admin) answers the user as Me. */
export function userGroupRoutes({ db }: Pick<RoutingRouteDeps, 'db'>): Router {
  const router = express.Router();
  router.put('/:username/groups', requireAdmin(), validate('params', UserParams), validate('body', UpdateUserGroupsRequest), async (_req, res) => {
    const { username } = validated(res, 'params', UserParams);
    const { groups } = validated(res, 'body', UpdateUserGroupsRequest);
    res.json(Me.parse(await db.write((sql) => setUserGroups(sql, username, groups))));
  });
  return router;
}

/** Mounted at /api/routing: GET / (everyone) answers RoutingTable; PUT /:code (admin) answers the RoutingRule. */
export function routingTableRoutes({ db, now }: RoutingRouteDeps): Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    res.json(RoutingTable.parse(await routingTable(db.sql)));
  });
  router.put('/:code', requireAdmin(), validate('params', CodeParams), validate('body', UpdateRoutingRequest), async (_req, res) => {
    const { code } = validated(res, 'params', CodeParams);
    const { group } = validated(res, 'body', UpdateRoutingRequest);
    const actor = currentUser(res).username;
    res.json(RoutingRule.parse(await db.write((sql) => setRoute(sql, code, group, actor, now().toISOString()))));
  });
  return router;
}

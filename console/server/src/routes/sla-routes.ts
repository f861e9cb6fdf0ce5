import { CalendarDays, CalendarId, ImportCalendarRequest, SlaTargets, StoreId, UpdateStoreRequest, type ImportCalendarResult, type StoreList } from '@tillscope/shared';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { ConsoleDatabase } from '../db/console-database';
import { HttpError } from '../http/http-error';
import { currentUser, requireAdmin } from '../http/session';
import { validate, validated } from '../http/validate';
import { CalendarFileError, parseCalendarCsv, parseXmlCalendar } from '../sla/calendar-import';
import { readCalendarYear, readStore, readStores, readTargets, replaceCalendarYears, replaceYear, writeStore, writeTargets } from '../sla/sla-store';
import { InvalidCalendar } from '../sla/store-calendar';

// SLA settings over REST, behind requireSession: engineers read, admins write. Three routers,
// mounted at /api/sla, /api/stores and /api/calendars.

const StoreParams = z.object({ storeId: StoreId });
const CalendarParams = z.object({ calendarId: CalendarId });
const YearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** A calendar or file the domain refused, as 400 with its message. */
async function asBadRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCalendar || error instanceof CalendarFileError) throw new HttpError(400, 'bad_request', error.message);
    throw error;
  }
}

export function slaRoutes({ db, now }: { db: ConsoleDatabase; now: () => Date }): { sla: Router; stores: Router; calendars: Router } {
  return { sla: targetRoutes(db, now), stores: storeRoutes(db, now), calendars: calendarRoutes(db) };
}

/** GET and PUT /api/sla/targets. */
function targetRoutes(db: ConsoleDatabase, now: () => Date): Router {
  const router = express.Router();
  router.get('/targets', async (_req, res) => {
    res.json(SlaTargets.parse({ targets: await readTargets(db.sql) }));
  });

  router.put('/targets', requireAdmin(), validate('body', SlaTargets), async (_req, res) => {
    const { targets } = validated(res, 'body', SlaTargets);
    const pairs = new Set(targets.map((target) => `${target.category}/P${target.priority}`));
    if (pairs.size !== targets.length) throw new HttpError(400, 'bad_request', 'a (category, priority) pair is listed twice');
    await db.write((sql) => writeTargets(sql, targets, currentUser(res).username, now().toISOString()));
    res.json(SlaTargets.parse({ targets: await readTargets(db.sql) }));
  });
  return router;
}

/** GET /api/stores, PUT /api/stores/:storeId. */
function storeRoutes(db: ConsoleDatabase, now: () => Date): Router {
  const router = express.Router();
  router.get('/', async (_req, res) => {
    const body: StoreList = { stores: await readStores(db.sql) };
    res.json(body);
  });

  router.put('/:storeId', requireAdmin(), validate('params', StoreParams), validate('body', UpdateStoreRequest), async (_req, res) => {
    const { storeId } = validated(res, 'params', StoreParams);
    const request = validated(res, 'body', UpdateStoreRequest);
    await asBadRequest(() => db.write((sql) => writeStore(sql, storeId, request, currentUser(res).username, now().toISOString())));
    res.json(await readStore(db.sql, storeId));
  });
  return router;
}

/** GET and PUT /api/calendars/:calendarId/days, POST /api/calendars/:calendarId/import. */
function calendarRoutes(db: ConsoleDatabase): Router {
  const router = express.Router();
  router.get('/:calendarId/days', validate('params', CalendarParams), validate('query', YearQuery), async (_req, res) => {
    const { calendarId } = validated(res, 'params', CalendarParams);
    const { year } = validated(res, 'query', YearQuery);
    res.json(CalendarDays.parse({ calendarId, year, days: await readCalendarYear(db.sql, calendarId, year) }));
  });

  router.put('/:calendarId/days', requireAdmin(), validate('params', CalendarParams), validate('body', CalendarDays), async (_req, res) => {
    const { calendarId } = validated(res, 'params', CalendarParams);
    const body = validated(res, 'body', CalendarDays);
    if (body.calendarId !== calendarId) throw new HttpError(400, 'bad_request', `the body is for ${body.calendarId}, the path for ${calendarId}`);
    await asBadRequest(() => db.write((sql) => replaceYear(sql, calendarId, body.year, body.days)));
    res.json(CalendarDays.parse({ calendarId, year: body.year, days: await readCalendarYear(db.sql, calendarId, body.year) }));
  });

  router.post('/:calendarId/import', requireAdmin(), validate('params', CalendarParams), validate('body', ImportCalendarRequest), async (_req, res) => {
    const { calendarId } = validated(res, 'params', CalendarParams);
    const { format, text } = validated(res, 'body', ImportCalendarRequest);
    const years = await asBadRequest(async () => {
      const file = format === 'xmlcalendar' ? parseXmlCalendar(text) : parseCalendarCsv(text);
      return { days: file.days.length, years: await db.write((sql) => replaceCalendarYears(sql, calendarId, file.days)) };
    });
    const body: ImportCalendarResult = { calendarId, ...years };
    res.json(body);
  });
  return router;
}

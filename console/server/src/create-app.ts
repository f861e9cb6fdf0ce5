import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express } from 'express';
import type { NoiseSettings } from '@tillscope/shared';
import { ActionQueue } from './actions/action-queue';
import { actionAdminRoutes, auditRoutes, registerActionRoutes, ticketActionRoutes } from './actions/action-routes';
import { AgentMessageHandler } from './agents/agent-message-handler';
import { AgentRegistry } from './agents/agent-registry';
import { IngestBatcher } from './agents/ingest-batcher';
import { DeviceCookies } from './auth/device-cookies';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordPool, type PasswordPoolOptions } from './auth/password-pool';
import { FailureRateLimiter } from './auth/rate-limiter';
import { UserStore } from './auth/user-store';
import type { ConsoleDatabase } from './db/console-database';
import { createStoreCorrelation } from './correlation/store-correlation';
import { FiscalTracker } from './fiscal/fiscal-tracker';
import { KpiFacts } from './kpi/kpi-facts';
import { kpiRoutes } from './kpi/kpi-routes';
import { ReferenceBook } from './host/reference-book';
import { NoiseHold } from './noise/noise-hold';
import { CashierSettingsStore } from './cashier/cashier-settings';
import { cashierSettingsRoutes } from './cashier/cashier-settings-routes';
import { NoiseSettingsStore } from './noise/noise-settings';
import { DEFAULT_FISCAL_SETTINGS, type FiscalSettings } from './fiscal/fiscal-settings';
import { errorMiddleware } from './http/error-middleware';
import { HttpError } from './http/http-error';
import { rendererRouter } from './http/renderer-static';
import { securityHeaders } from './http/security-headers';
import { requireSession, sessionToken } from './http/session';
import { type Logger, withFields } from './logger';
import { kbRoutes, ticketKnowledgeRoutes } from './kb/kb-routes';
import { maintenanceHold } from './maintenance/maintenance-check';
import { maintenanceRoutes } from './maintenance/maintenance-routes';
import { createNotifier, type Notifier, type NotifierOptions } from './notify/notifier';
import { notifyRoutes } from './notify/notify-routes';
import { authRoutes } from './routes/auth-routes';
import { agentBundleRoutes, bundleDownloadRoutes, ticketBundleRoutes } from './routes/bundle-routes';
import { enrollmentRoutes } from './routes/enrollment-routes';
import { fiscalRoutes } from './routes/fiscal-routes';
import { discoveryRoutes } from './routes/discovery-routes';
import { referenceRoutes, registerHostRoutes } from './routes/host-routes';
import { registerRoutes } from './routes/register-routes';
import { slaRoutes } from './routes/sla-routes';
import { settingsRoutes } from './routes/settings-routes';
import { ticketRoutes } from './routes/ticket-routes';
import { testPrintRoutes } from './routes/test-print-routes';
import { userRoutes } from './routes/user-routes';
import { ticketMoveRoutes } from './routing/move-routes';
import { TicketMoves, type PauseClock } from './routing/moves';
import { groupRoutes, routingTableRoutes, userGroupRoutes } from './routing/routing-routes';
import { ChangeBus } from './tickets/change-set';
import { cashierTicketUpdates } from './tickets/stages/notify';
import { TicketEngine } from './tickets/ticket-engine';
import { TicketViews } from './tickets/ticket-views';
import { AgentGateway, CLOSE_REENROLLED } from './ws/agent-gateway';
import { DEFAULT_AGENT_SEND_LIMITS, type AgentSendLimits } from './ws/agent-socket-flow';
import { FeedGateway } from './ws/feed-gateway';
import { rejectUpgrade } from './ws/reject-upgrade';
import { DEFAULT_AGENT_ADMISSION, UpgradeAdmission, type AdmissionRate } from './ws/upgrade-admission';

export interface ConsoleServices {
  db: ConsoleDatabase;
  now: () => Date;
  logger: Logger;
  users: UserStore;
  registry: AgentRegistry;
  engine: TicketEngine;
  /** Assign, reassign, escalate, wait, resume and the vendor's details (take is the engine's). */
  moves: TicketMoves;
  views: TicketViews;
  bus: ChangeBus;
  ingest: IngestBatcher;
  agents: AgentGateway;
  feed: FeedGateway;
  /** Reference images (эталоны): admins' changes, each followed by comparing the registers concerned. */
  references: ReferenceBook;
  /** Noise settings (hold times, flapping, reopen window) as admins edit them. */
  noise: NoiseSettingsStore;
  /** Notifications: queues what the timeline owes to the channels and sends it (its own sweep, never inside ticket processing). */
  notifier: Notifier;
  /** The cashier loop's settings (when an unanswered resolution closes by itself). */
  cashier: CashierSettingsStore;
  /** Password hashing threads; closed by closeConsoleServices. */
  passwordPool: PasswordPool;
  loginThrottle: LoginThrottle;
  deviceCookies: DeviceCookies;
  enrollFailures: FailureRateLimiter;
  /** Failed agent credentials on HTTP (bundle uploads), as the agent socket counts its own. */
  agentHttpFailures: FailureRateLimiter;
  /** The KPI facts derived from the timeline (refreshed on each KPI read). */
  kpi: KpiFacts;
  /** Remote actions: queued, sent when the register is connected (again after its hello), expired by a sweep. */
  actions: ActionQueue;
}

export interface ConsoleServiceOptions {
  db: ConsoleDatabase;
  now: () => Date;
  logger: Logger;
  heartbeatIntervalMs: number;
  allowedOrigins: readonly string[];
  /** Agent upgrades admitted per second (the rest: 503 + Retry-After); default DEFAULT_AGENT_ADMISSION. */
  agentAdmission?: AdmissionRate;
  /** Outgoing-buffer bounds per agent socket; default DEFAULT_AGENT_SEND_LIMITS. */
  agentSendLimits?: Partial<AgentSendLimits>;
  /** Jitter of Retry-After; Math.random by default. */
  random?: () => number;
  /**
   * Signs device cookies (≥ 32 bytes). startConsoleServer keeps it in the data dir so known browsers
   * stay known across restarts; default a fresh random key (known until this instance stops).
   */
  deviceCookieKey?: Buffer;
  passwordHashing?: PasswordPoolOptions;
  /** Forecast and fiscal deadline settings (parsed); default DEFAULT_FISCAL_SETTINGS. */
  fiscal?: FiscalSettings;
  /** What a ticket's wait and resume do to its due dates; default the deadlines stage (pushed by the business time waited). */
  pauseClock?: PauseClock;
  /** Noise settings in force until an admin saves some (parsed); default NoiseSettings' defaults. */
  noise?: NoiseSettings;
  /** Notification scan and delivery settings (settle time, retries, the console's address, senders). */
  notify?: NotifierOptions;
}

/** Builds every service of one console instance. Nothing here is global: two instances never share state. */
export function createConsoleServices(options: ConsoleServiceOptions): ConsoleServices {
  const { db, now, logger, heartbeatIntervalMs, allowedOrigins, deviceCookieKey = randomBytes(32), passwordHashing } = options;
  const nowMs = () => now().getTime();
  const passwordPool = PasswordPool.create(passwordHashing);
  const users = new UserStore(db, now, passwordPool);
  const registry = new AgentRegistry(db, now);
  const noise = new NoiseSettingsStore(options.noise);
  const cashier = new CashierSettingsStore();
  const engine: TicketEngine = new TicketEngine(now, new FiscalTracker(now, options.fiscal ?? DEFAULT_FISCAL_SETTINGS), {
    noise,
    // A register under a maintenance window opens no ticket (its reports are still stored); else the
    // noise hold: a finding must stand its hold time, one that keeps coming and going is flapping.
    hold: maintenanceHold(new NoiseHold(noise, now), now),
    // Most of a store silent or failing alike: one store incident, the register tickets its symptoms.
    correlate: createStoreCorrelation({ now, tickets: () => engine.pipeline, settings: async (sql) => (await noise.current(sql)).correlation }),
  }, cashier);
  const views = new TicketViews(db.sql, now);
  const bus = new ChangeBus(logger);
  const handler = new AgentMessageHandler(registry, engine, now);
  const ingest = new IngestBatcher({ db, registry, handler, engine, bus, logger, now });
  const agents = new AgentGateway({
    registry, ingest, logger, now, heartbeatIntervalMs,
    authFailures: new FailureRateLimiter(30, 60_000, nowMs),
    admission: new UpgradeAdmission(options.agentAdmission ?? DEFAULT_AGENT_ADMISSION, nowMs, options.random),
    sendLimits: { ...DEFAULT_AGENT_SEND_LIMITS, ...options.agentSendLimits },
  });
  const feed = new FeedGateway({
    sessionUser: (request) => users.userForSession(sessionToken(request)),
    allowedOrigins,
    views,
    logger,
    heartbeatIntervalMs,
  });
  bus.subscribe(feed.onChanges);
  // A cashier following a ticket hears about every status change of it.
  bus.subscribe(cashierTicketUpdates({
    cashierReportsOf: (ticketId) => views.cashierReportsOf(ticketId),
    isConnected: (agentId) => agents.isConnected(agentId),
    ticketRef: (ticketId) => engine.ticketRef(db.sql, ticketId),
    sendTicketUpdate: (agentId, reportId, ticket) => void agents.sendTicketUpdate(agentId, reportId, ticket),
  }));
  const actions = new ActionQueue({
    db, bus, now,
    note: (...args) => engine.note(...args),
    isConnected: (agentId) => agents.isConnected(agentId),
    send: (agentId, payload) => agents.sendCommand(agentId, payload),
  });
  // A register that said hello gets its queued actions (and unanswered sent ones again).
  bus.subscribe(async (changes) => {
    for (const agentId of changes.hellos) if (agents.isConnected(agentId)) await actions.dispatchPending(agentId);
  });
  return {
    db, now, logger, users, registry, engine, views, bus, ingest, agents, feed, passwordPool, noise, cashier, actions,
    notifier: createNotifier(db, now, options.notify),
    moves: new TicketMoves(now, options.pauseClock ?? engine.pipeline.stages.deadlines),
    references: new ReferenceBook(db, engine, bus, now),
    loginThrottle: new LoginThrottle(nowMs),
    deviceCookies: new DeviceCookies(deviceCookieKey, nowMs),
    enrollFailures: new FailureRateLimiter(20, 10 * 60_000, nowMs),
    agentHttpFailures: new FailureRateLimiter(30, 60_000, nowMs),
    kpi: new KpiFacts(db),
  };
}

/**
 * Stops the services of one console instance in order: agent sockets, then what they sent is
 * committed (ingest), then the change listeners finish reading, then the live feed. The database
 * stays open: the caller closes it after.
 */
export async function closeConsoleServices(services: ConsoleServices): Promise<void> {
  await services.agents.close();
  await services.ingest.close(); // what arrived before the sockets closed still commits
  await services.bus.settled(); // the feed and the cashiers hear about that last commit
  await services.notifier.settled(); // a notify pass in flight finishes its writes
  await services.feed.close();
  await services.passwordPool.close(); // waits for running derivations, stops the threads
}

export interface AppOptions {
  /** Built renderer to serve at `/`; a hint page is served when it has no index.html. */
  rendererDir: string;
  /** Secure on every cookie. Without it, cookies are Secure when the request came over HTTPS. */
  secureCookies?: boolean;
  /**
   * Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (express `trust proxy`: e.g.
   * 'loopback', '10.0.0.1', a hop count). Off by default: the socket's address and protocol count.
   */
  trustProxy?: string | number | boolean;
}

/** The express app: REST API plus static renderer. It does not listen; see startConsoleServer. */
export function createApp(services: ConsoleServices, { rendererDir, secureCookies = false, trustProxy = false }: AppOptions): Express {
  const { db, users, registry, engine, views, bus, agents, logger, now } = services;
  const actionDeps = { db, engine, registry, queue: services.actions, isConnected: (id: string) => agents.isConnected(id), now };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.set('query parser', 'simple');
  app.use(securityHeaders());

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));
  api.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  api.use('/auth', authRoutes({ users, loginThrottle: services.loginThrottle, deviceCookies: services.deviceCookies, secureCookies }));
  api.use(
    enrollmentRoutes({
      users,
      registry,
      enrollFailures: services.enrollFailures,
      onCredentialReplaced: (agentId) => agents.disconnect(agentId, CLOSE_REENROLLED, 'reenrolled: credential replaced'),
    }),
  );
  api.use(userRoutes(users));
  api.use('/agent/bundles', agentBundleRoutes({ db, registry, authFailures: services.agentHttpFailures, now }));
  api.use(
    '/tickets', requireSession(users), ticketRoutes({ db, engine, views, bus, now }), testPrintRoutes({ db, engine, bus, agents, actions: services.actions }),
    ticketBundleRoutes({ db, engine, bus, agents, actions: services.actions, now }), ticketMoveRoutes({ db, moves: services.moves, views, bus, now }),
    ticketKnowledgeRoutes({ db }), ticketActionRoutes(actionDeps),
  );
  api.use('/kb', requireSession(users), kbRoutes({ db, now }));
  api.use('/actions', requireSession(users), actionAdminRoutes(actionDeps));
  api.use('/audit', requireSession(users), auditRoutes(actionDeps));
  api.use('/groups', requireSession(users), groupRoutes({ db, now }));
  api.use('/users', requireSession(users), userGroupRoutes({ db }));
  api.use('/routing', requireSession(users), routingTableRoutes({ db, now }));
  api.use('/bundles', requireSession(users), bundleDownloadRoutes(db));
  api.use('/registers', requireSession(users), registerRoutes({ db, registry, engine, views, bus, agents, actions: services.actions }));
  api.use('/registers', requireSession(users), discoveryRoutes({ db, registry, bus, agents, actions: services.actions, now }));
  api.use('/registers', requireSession(users), registerHostRoutes({ db, registry }));
  api.use('/registers', requireSession(users), registerActionRoutes(actionDeps));
  api.use('/references', requireSession(users), referenceRoutes({ db, book: services.references }));
  api.use('/fiscal', requireSession(users), fiscalRoutes({ db, now }));
  const sla = slaRoutes({ db, now });
  api.use('/sla', requireSession(users), sla.sla);
  api.use('/stores', requireSession(users), sla.stores);
  api.use('/calendars', requireSession(users), sla.calendars);
  api.use('/maintenance', requireSession(users), maintenanceRoutes({ db, now }));
  api.use('/settings/cashier', requireSession(users), cashierSettingsRoutes({ db, store: services.cashier, now }));
  api.use('/settings', requireSession(users), settingsRoutes({ db, noise: services.noise, now }));
  api.use('/notify', requireSession(users), notifyRoutes({ db, now }));
  api.use(kpiRoutes({ facts: services.kpi, now, session: requireSession(users) }));
  api.use(() => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  app.use('/api', api);
  app.use(rendererRouter(rendererDir));
  app.use(errorMiddleware(logger));
  return app;
}

/** Routes WebSocket upgrades: /ws/agent (bearer credential) and /ws/feed (session cookie). */
export function attachUpgradeHandler(server: Server, services: ConsoleServices): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the async authentication must not become an unhandled 'error'.
    socket.on('error', (error) => services.logger.debug?.('ws', withFields('upgrade socket error', { error: error.message })));
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const gateway = pathname === '/ws/agent' ? services.agents : pathname === '/ws/feed' ? services.feed : undefined;
    if (!gateway) {
      rejectUpgrade(socket, 404, { ok: false, code: 'not_found', message: 'no such socket' });
      return;
    }
    gateway.handleUpgrade(request, socket, head).catch((error: unknown) => {
      services.logger.error('ws', withFields('upgrade failed', { path: pathname, error: String(error) }));
      rejectUpgrade(socket, 500, { ok: false, code: 'internal', message: 'internal error' });
    });
  });
}

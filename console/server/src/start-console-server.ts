import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateEnrollmentTokenRequest, NoiseSettings, type EnrollmentTokenCreated, type Me } from '@tillscope/shared';
import type { z } from 'zod';
import type { IngestStats } from './agents/ingest-batcher';
import type { KpiFacts } from './kpi/kpi-facts';
import { sweepOfflineAgents } from './agents/offline-sweep';
import { FiscalSettings } from './fiscal/fiscal-settings';
import { sweepFiscalDeadlines } from './fiscal/fiscal-sweep';
import { sweepSlaClocks } from './sla/sla-watch';
import { sweepHeldFindings, type HoldSweepOutcome } from './noise/hold-sweep';
import type { NotifierOptions, NotifySweepOutcome } from './notify/notifier';
import { closeUnansweredResolutions } from './cashier/auto-close';
import type { PasswordPoolOptions, PasswordPoolStats } from './auth/password-pool';
import { loadOrCreateKeyFile } from './auth/secrets';
import type { CreateUserRequest } from '@tillscope/shared';
import { attachUpgradeHandler, closeConsoleServices, createApp, createConsoleServices, type ConsoleServices } from './create-app';
import { openConsoleDatabase, type ConsoleDatabase } from './db/console-database';
import { seedBuiltinArticles } from './kb/builtin-articles';
import { DEFAULT_RETENTION, sweepRetention, type RetentionPolicy } from './db/retention';
import { createStderrLogger, type Logger, withFields } from './logger';
import type { AgentSendLimits, AgentSocketFlowState } from './ws/agent-socket-flow';
import type { AdmissionRate } from './ws/upgrade-admission';

/** Pending connections the kernel queues for accept; see the listen call. */
const LISTEN_BACKLOG = 4096;

export interface ConsoleServerOptions {
  /** Directory of console.db (created if missing). */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** A disconnected register gets an `agent.offline` ticket after this long. */
  offlineAfterSec?: number;
  /** Domain clock: ticket times, SLA deadlines, session and token expiry. */
  now?: () => Date;
  logger?: Logger;
  /** Built renderer; default console/renderer/dist of this repository. */
  rendererDir?: string;
  /** How often the offline sweep runs. */
  offlineSweepIntervalMs?: number;
  /** WebSocket ping interval for agents and feed clients. */
  heartbeatIntervalMs?: number;
  /** Origins besides the server's own that may open /ws/feed (e.g. `app://tillscope` for Electron). */
  allowedOrigins?: string[];
  /** Secure on every cookie (session, device); without it only on requests that came over HTTPS. */
  secureCookies?: boolean;
  /** Agent upgrades admitted per second; above it agents get 503 + Retry-After (see upgrade-admission.ts). */
  agentAdmission?: AdmissionRate;
  /** Outgoing-buffer bounds per agent socket (see agent-socket-flow.ts). */
  agentSendLimits?: Partial<AgentSendLimits>;
  /** Believe X-Forwarded-For/-Proto from these proxies (express `trust proxy`, e.g. 'loopback'). */
  trustProxy?: string | number | boolean;
  /** Password hashing threads (default 1) and how many logins may wait for one (default 32). */
  passwordHashing?: PasswordPoolOptions;
  /** How long idempotency ids and device report history are kept (swept every 10 minutes). */
  retention?: Partial<RetentionPolicy>;
  /** Fiscal forecast and deadline settings (FiscalSettings: FN capacity, OFD lock days, due margin, priority days…). */
  fiscal?: z.input<typeof FiscalSettings>;
  /** How often fiscal tickets are re-evaluated as blocking dates near (default 10 minutes). */
  fiscalSweepIntervalMs?: number;
  /** How often the SLA watch writes 'sla_warning' / 'sla_breached' events (default 1 minute). */
  slaWatchIntervalMs?: number;
  /** Noise settings (NoiseSettings: holds, flapping, reopen days…) in force until an admin saves some in the console. */
  noise?: z.input<typeof NoiseSettings>;
  /** How often held findings are checked for having stood their hold, and flapping tickets for calm (default 10 s). */
  holdSweepIntervalMs?: number;
  /** Notifications: scan and delivery settings (settle time, retries, the console's address for links, the Telegram API root). */
  notify?: NotifierOptions;
  /** How often the notify sweep queues and sends notifications (default 5 s). */
  notifySweepIntervalMs?: number;
  /** How often resolved tickets nobody answered "is it working?" for are closed (default 1 minute; the period is the admin's cashier setting). */
  cashierAutoCloseIntervalMs?: number;
  /** How often queued remote actions past their expiry are marked expired (default 1 minute). */
  actionSweepIntervalMs?: number;
  /** How often the KPI facts catch up with the timeline between reads (default 1 minute; a read catches up anyway). */
  kpiRefreshIntervalMs?: number;
}

export interface ConsoleServer {
  url: string;
  port: number;
  /** Closes sockets, timers and the database; the port and data dir can be reused at once. */
  close(): Promise<void>;
  createUser(user: CreateUserRequest): Promise<Me>;
  /** Same fields and defaults as `POST /api/enrollment-tokens`. */
  createEnrollmentToken(token: z.input<typeof CreateEnrollmentTokenRequest>): Promise<EnrollmentTokenCreated>;
  /** Runs the offline sweep now; returns how many `agent.offline` tickets it opened. */
  sweepOfflineAgents(): Promise<number>;
  /** Runs the fiscal deadline sweep now; returns how many fiscal tickets it raised or brought forward. */
  sweepFiscalDeadlines(): Promise<number>;
  /** Runs the SLA watch now; returns how many timeline events it wrote. */
  sweepSlaClocks(): Promise<number>;
  /** Runs the hold sweep now: held findings past their hold open tickets, calm flapping tickets resolve. */
  sweepHeldFindings(): Promise<HoldSweepOutcome>;
  /** Runs the notify sweep now: queues what the timeline owes, sends what is due. */
  sweepNotifications(): Promise<NotifySweepOutcome>;
  /** Runs the cashier auto-close now; returns the ids of the resolved tickets it closed for want of an answer. */
  closeUnansweredResolutions(): Promise<number[]>;
  /** Runs the action expiry sweep now; returns how many queued or unanswered actions it marked expired. */
  sweepExpiredActions(): Promise<number>;
  /** Counters of the agent-message group commit (for benchmarks and diagnostics). */
  ingestStats(): IngestStats;
  /** The KPI facts held in memory for reports (kpi/kpi-facts.ts), for benchmarks and health checks. */
  kpiMemory(): ReturnType<KpiFacts['memory']>;
  /** Flow control of an agent's live socket (unsent bytes, reading paused); undefined when not connected. */
  agentSocketFlow(agentId: string): AgentSocketFlowState | undefined;
  /** Agent upgrades admitted and answered 503 + Retry-After since start. */
  agentAdmissionStats(): { admitted: number; refused: number };
  /** Counters of the password hashing pool (admitted, finished, refused with `busy`). */
  passwordHashingStats(): PasswordPoolStats;
}

const RETENTION_SWEEP_INTERVAL_MS = 10 * 60_000;

const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../renderer/dist', import.meta.url));

/**
 * Opens the database and starts the console: REST API, renderer, /ws/agent and /ws/feed.
 *
 * @example
 * const server = await startConsoleServer({ dataDir: './.data' });
 * await server.createUser({ username: 'admin', password: 'long-password', displayName: 'Admin', role: 'admin', groups: [] });
 * console.log(server.url);
 */
/** Listens on host:port; rejects when the port cannot be had. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // After an outage every register reconnects within seconds; Node's default accept backlog
    // (511) overflows and dropped SYNs come back only after TCP's 1 s, 3 s, 7 s… retransmits.
    // The kernel caps this at net.core.somaxconn (4096 on current Linux defaults).
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface PeriodicDeps {
  db: ConsoleDatabase;
  services: ConsoleServices;
  options: ConsoleServerOptions;
  logger: Logger;
  now: () => Date;
  offlineAfterSec: number;
}

/**
 * The console's periodic work on unref'd timers, one table of (interval, task, failure words).
 * Each task logs its own failure and does not keep the process alive; the sweeps are also returned,
 * to run at once (tests, benchmarks, the demo). `stop` clears every timer.
 */
function startPeriodicTasks({ db, services, options, logger, now, offlineAfterSec }: PeriodicDeps) {
  const { bus, engine } = services;
  const tasks = {
    sweepOfflineAgents: () => sweepOfflineAgents({ db, engine, bus, now, offlineAfterSec, isConnected: (id) => services.agents.isConnected(id) }),
    sweepFiscalDeadlines: () => sweepFiscalDeadlines({ db, fiscal: engine.fiscal, bus }),
    sweepSlaClocks: async () => (await sweepSlaClocks({ db, bus, now })).length,
    sweepHeldFindings: () => sweepHeldFindings({ db, pipeline: engine.pipeline, noise: services.noise, bus, now }),
    sweepNotifications: () => services.notifier.sweep(),
    closeUnansweredResolutions: () => closeUnansweredResolutions({ db, settings: services.cashier, bus, now }),
    sweepExpiredActions: () => services.actions.sweepExpired(),
  };
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const schedule: [intervalMs: number, task: () => Promise<unknown>, failure: string][] = [
    [options.offlineSweepIntervalMs ?? 15_000, tasks.sweepOfflineAgents, 'offline sweep failed'],
    [options.fiscalSweepIntervalMs ?? 10 * 60_000, tasks.sweepFiscalDeadlines, 'fiscal deadline sweep failed'],
    [options.slaWatchIntervalMs ?? 60_000, tasks.sweepSlaClocks, 'SLA watch failed'],
    [options.holdSweepIntervalMs ?? 10_000, tasks.sweepHeldFindings, 'hold sweep failed'],
    [options.notifySweepIntervalMs ?? 5_000, tasks.sweepNotifications, 'notify sweep failed'],
    [options.cashierAutoCloseIntervalMs ?? 60_000, tasks.closeUnansweredResolutions, 'cashier auto-close failed'],
    [options.actionSweepIntervalMs ?? 60_000, tasks.sweepExpiredActions, 'action expiry sweep failed'],
    [options.kpiRefreshIntervalMs ?? 60_000, () => services.kpi.snapshot(), 'KPI refresh failed'],
    [RETENTION_SWEEP_INTERVAL_MS, () => sweepRetention(db, now(), retention), 'retention sweep failed'],
  ];
  const timers = schedule.map(([intervalMs, task, failure]) => {
    const timer = setInterval(() => {
      task().catch((error: unknown) => logger.error('server', withFields(failure, { error: String(error) })));
    }, intervalMs);
    timer.unref();
    return timer;
  });
  return { tasks, stop: () => timers.forEach((timer) => clearInterval(timer)) };
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createStderrLogger();
  const host = options.host ?? '127.0.0.1';
  const offlineAfterSec = options.offlineAfterSec ?? 90;
  const fiscal = FiscalSettings.parse(options.fiscal ?? {});

  const db = await openConsoleDatabase(options.dataDir);
  const deviceCookieKey = await loadOrCreateKeyFile(path.join(options.dataDir, 'device-cookie.key')).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const services = createConsoleServices({
    db, now, logger,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    allowedOrigins: options.allowedOrigins ?? [],
    agentAdmission: options.agentAdmission,
    agentSendLimits: options.agentSendLimits,
    deviceCookieKey,
    passwordHashing: options.passwordHashing,
    fiscal,
    noise: NoiseSettings.parse(options.noise ?? {}),
    notify: options.notify,
  });
  await services.registry.markAllDisconnectedAtStartup();
  await seedBuiltinArticles(db, now().toISOString());

  const app = createApp(services, {
    rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
    secureCookies: options.secureCookies ?? false,
    trustProxy: options.trustProxy ?? false,
  });
  const server: Server = createServer(app);
  attachUpgradeHandler(server, services);
  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await services.passwordPool.close();
    await db.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const periodic = startPeriodicTasks({ db, services, options, logger, now, offlineAfterSec });
  logger.info('server', withFields('console listening', { url }));

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    createUser: (user) => services.users.createUser(user),
    createEnrollmentToken: (token) => services.registry.createEnrollmentToken(CreateEnrollmentTokenRequest.parse(token), null),
    ...periodic.tasks,
    ingestStats: () => services.ingest.stats(),
    kpiMemory: () => services.kpi.memory(),
    agentSocketFlow: (agentId) => services.agents.socketFlow(agentId),
    agentAdmissionStats: () => services.agents.admissionStats(),
    passwordHashingStats: () => services.passwordPool.stats(),
    close() {
      closing ??= (async () => {
        periodic.stop();
        await services.kpi.stop(); // a refresh between its chunks stops there; its tickets stay marked
        await closeConsoleServices(services);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await db.close();
        logger.info('server', withFields('console closed', { url }));
      })();
      return closing;
    },
  };
}

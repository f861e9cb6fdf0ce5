import {
  MAX_FRAME_BYTES,
  type DeviceReport,
  type Health,
  type InventoryItem,
} from '@tillscope/shared';
import { mkdir } from 'node:fs/promises';
import { commandRules, printServiceRestarter, type ActionsOs } from './actions/agent-actions';
import { createCommandDesk } from './actions/command-desk';
import { openCommandLedger, type CommandLedger } from './actions/command-ledger';
import os from 'node:os';
import path from 'node:path';
import { createBundleCollector } from './bundle/collect-bundle';
import type { ReadHead } from './bundle/build-bundle';
import type { BundleLimits } from './bundle/fit-bundle';
import { createLogRing } from './bundle/log-ring';
import { startCashierSide } from './cashier-page/cashier-side';
import type { CashierPage } from './cashier-page/server';
import type { AgentConfig } from './config';
import { createCredentialStore } from './credential-store';
import { deviceEndpoint } from './devices/bind-device';
import type { DriverRegistry } from './devices/driver';
import type { HostProbeRegistry } from './devices/host-probe';
import { createHostContext } from './host-config';
import type { HostOs } from './os/host-os';
import { createHostStateStore } from './os/host-state-store';
import type { HostLoopOptions } from './probe-loop/host-loop';
import type { DiscoverOptions } from './discovery/discover';
import { agentMessage, createLink, type Link, type LinkOptions } from './link/link';
import { createStderrLogger, errorText, moduleLogger, type Logger } from './logger';
import { createDiskReserve, DEFAULT_RESERVE_BYTES, type ReserveFs } from './outbox/disk-reserve';
import { openOutbox, type Outbox, type OutboxMessage, type OutboxOptions, type Stored } from './outbox/outbox';
import { createProbeLoop, type ProbeLoop, type ProbeLoopOptions } from './probe-loop/probe-loop';
import { createRemoteCommands } from './remote-commands';
import { createTestPrinter, type TestPrinter } from './test-print/test-print';
import type { OpenTransport } from './transports/transport';
import { AGENT_VERSION } from './version';

export interface CreateAgentOptions {
  config: AgentConfig;
  /** Default: the real registry (devices/registry.ts), loaded on start. */
  drivers?: DriverRegistry;
  /** Default: the real transports (transports/open-transport.ts), loaded on start. */
  openTransport?: OpenTransport;
  logger?: Logger;
  /** Link timing for tests (backoff, first-connection delay). */
  link?: Pick<LinkOptions, 'backoff' | 'initialDelayMs'>;
  /** The outbox's database and retry timing, for tests (a disk that fills up). */
  outbox?: Pick<OutboxOptions, 'openDb' | 'retryEveryMs'>;
  /** Filesystem of the disk reserve (default node:fs). */
  reserveFs?: ReserveFs;
  /** Discovery's OS seams for tests (serial listing, USB listing, realpath). */
  discovery?: Pick<DiscoverOptions, 'listSerial' | 'listUsbPrinters' | 'realpath'>;
  /** Default: the real host probe registry (devices/registry.ts), loaded on start when `config.host.enabled`. */
  hostProbes?: HostProbeRegistry;
  /** The OS the host probes read; default the real one (os/host-os-real.ts). Tests replay fixtures. */
  hostOs?: HostOs;
  /** Host probe timing for tests (first run after start, deadline per run). */
  hostTiming?: Pick<HostLoopOptions, 'initialDelayMs' | 'timeoutMs'>;
  /** The config file's path, shown with the (redacted) config in a diagnostics bundle. */
  configPath?: string;
  /** Diagnostics bundle seams for tests: the HTTP client, file reads, size caps. */
  bundle?: { fetch?: typeof fetch; readHead?: ReadHead; limits?: BundleLimits };
  /** Remote actions' OS seams for tests (the tool runner and platform of restart_print_service). */
  actionsOs?: ActionsOs;
}

/** Room left in a frame for what wraps the reports (envelope, the other payload fields). */
const FRAME_MARGIN_BYTES = 1024;

/**
 * One register's agent. Nothing happens until `start`; `stop` undoes it all and never rejects.
 *
 * `start` rejects only when the agent cannot work at all (dataDir or database unusable, no driver
 * registry); a busy cashier page port is logged and the rest runs without the page.
 */
export interface Agent {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `http://127.0.0.1:<port>/`, or null when the page is disabled or could not start. */
  cashierPageUrl(): string | null;
}

export function createAgent(options: CreateAgentOptions): Agent {
  const { config } = options;
  // The recent lines go into diagnostics bundles.
  const logRing = createLogRing();
  const logger = logRing.tee(options.logger ?? createStderrLogger());
  const log = moduleLogger(logger, 'agent');
  let outbox: Outbox | undefined;
  let ledger: CommandLedger | undefined;
  let probeLoop: ProbeLoop | undefined;
  let testPrinter: TestPrinter | undefined;
  let link: Link | undefined;
  let page: CashierPage | undefined;
  let drivers: DriverRegistry = new Map();
  let openTransport: OpenTransport | undefined;
  let stopping = new AbortController();

  /**
   * Builds what carries `reports`. Raw exchanges are the bulky part of a report; past the frame
   * limit they go, the verdicts stay.
   */
  function fitFrame<M>(reports: DeviceReport[], build: (r: DeviceReport[]) => M): M {
    const built = build(reports);
    if (Buffer.byteLength(JSON.stringify(built)) <= MAX_FRAME_BYTES - FRAME_MARGIN_BYTES) return built;
    log.warn('a report is over the frame limit; sending it without the raw exchanges');
    return build(reports.map((r) => ({ ...r, evidence: { ...r.evidence, exchanges: [] } })));
  }

  /** Every configured device, with the identity (model, serials) its latest report carried, if any. */
  function inventory(): InventoryItem[] {
    const identities = new Map((probeLoop?.latest() ?? []).flatMap((r) => (r.identity ? [[r.deviceId, r.identity] as const] : [])));
    return config.devices.map((d) => {
      const driver = drivers.get(d.driver);
      const endpoint = deviceEndpoint(d, driver);
      const identity = identities.get(d.id);
      return {
        deviceId: d.id,
        kind: driver?.kind ?? 'receipt-printer',
        driver: d.driver,
        transport: endpoint.transport,
        target: endpoint.target,
        ...(identity ? { identity } : {}),
      };
    });
  }

  /** Queued (on disk, or held in memory when the disk refuses it: see `Stored`), then sent at once if connected. */
  async function queue(message: OutboxMessage): Promise<Stored> {
    const stored = await outbox!.enqueue(message);
    link?.notify();
    return stored;
  }

  /**
   * The probe loop's onHealth. A snapshot held in memory is good enough: it is the whole state, no
   * one was promised it, and the probe loop reports again after a restart.
   */
  async function queueHealth(reports: DeviceReport[]): Promise<void> {
    await queue(fitFrame(reports, (devices) => agentMessage('health', { devices })) as Health);
  }

  /** What the host probes need, or undefined when the config turns them off. */
  async function hostProbing(): Promise<ProbeLoopOptions['host']> {
    if (!config.host.enabled) return undefined;
    const probes = options.hostProbes ?? (await import('./devices/registry')).createHostProbeRegistry();
    const os = options.hostOs ?? (await import('./os/host-os-real')).createHostOs();
    return {
      probes,
      os,
      config: config.host,
      context: createHostContext(config.host, config.devices, drivers, AGENT_VERSION),
      stateFor: (id) => createHostStateStore(config.dataDir, id),
      ...options.hostTiming,
    };
  }

  /** collect_bundle: everything the agent knows, redacted, uploaded with the link's credential. */
  function bundleCollector(loop: ProbeLoop, box: Outbox) {
    return createBundleCollector({
      sources: {
        storeId: config.storeId,
        registerId: config.registerId,
        agentVersion: AGENT_VERSION,
        now: () => new Date(),
        reports: () => loop.latest(),
        inventory,
        logLines: () => logRing.lines(),
        outboxState: () => box.state(),
        config,
        ...(options.configPath ? { configPath: options.configPath } : {}),
        configFiles: config.host.configFiles,
        ...(options.bundle?.readHead ? { readHead: options.bundle.readHead } : {}),
      },
      credential: async () => (await link?.credential()) ?? null,
      signal: stopping.signal,
      log: moduleLogger(logger, 'bundle'),
      ...(options.bundle?.fetch ? { fetch: options.bundle.fetch } : {}),
      ...(options.bundle?.limits ? { limits: options.bundle.limits } : {}),
    });
  }

  async function start(): Promise<void> {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    drivers = options.drivers ?? (await import('./devices/registry')).createDriverRegistry();
    openTransport = options.openTransport ?? (await import('./transports/open-transport')).createOpenTransport();
    stopping = new AbortController();
    outbox = await openOutbox({
      file: path.join(config.dataDir, 'agent.db'),
      logger,
      // Given back when the disk fills, so that cashier reports and acks still land (disk-reserve.ts).
      reserve: createDiskReserve({ file: path.join(config.dataDir, 'reserve.bin'), bytes: config.reserveBytes ?? DEFAULT_RESERVE_BYTES, logger, ...(options.reserveFs ? { fs: options.reserveFs } : {}) }),
      ...options.outbox,
    });
    const pending = await outbox.stats();
    if (pending.rows > 0) log.info(`${pending.rows} message(s) from an earlier run wait to be sent`);

    const host = await hostProbing();
    probeLoop = createProbeLoop({
      devices: config.devices,
      drivers,
      openTransport,
      probeIntervalMs: config.probeIntervalSec * 1000,
      reportIntervalMs: config.reportIntervalSec * 1000,
      onHealth: queueHealth,
      logger,
      ...(host ? { host } : {}),
    });
    testPrinter = createTestPrinter({
      devices: config.devices,
      drivers,
      openTransport,
      exclusive: probeLoop.exclusive,
      storeId: config.storeId,
      registerId: config.registerId,
    });
    ledger = await openCommandLedger({
      file: path.join(config.dataDir, 'agent.db'),
      onWriteError: (what, error) => log.warn(`cannot record ${what}: ${errorText(error)}`),
    });
    const desk = createCommandDesk({
      ledger,
      outbox,
      notify: () => link?.notify(),
      run: createRemoteCommands({
        config, drivers, openTransport, probeLoop, testPrinter, fitFrame, signal: stopping.signal, discovery: options.discovery, log,
        collectBundle: bundleCollector(probeLoop, outbox),
        restartPrintService: printServiceRestarter({ config, probeLoop, fitFrame, signal: stopping.signal, os: options.actionsOs }),
      }),
      rules: () => commandRules(config, drivers, probeLoop!),
      log: moduleLogger(logger, 'actions'),
    });
    await desk.recover();
    link = createLink({
      server: config.server,
      storeId: config.storeId,
      registerId: config.registerId,
      ...(config.enrollmentToken ? { enrollmentToken: config.enrollmentToken } : {}),
      hostname: os.hostname(),
      credentials: createCredentialStore(config.dataDir),
      outbox,
      hello: () => ({
        agentVersion: AGENT_VERSION,
        os: { platform: os.platform().slice(0, 32), release: os.release().slice(0, 128), hostname: os.hostname().slice(0, 128) },
        inventory: inventory(),
        probeIntervalSec: config.probeIntervalSec,
      }),
      onCommand: desk.handle,
      logger,
      // Registers of a store come up together after a power cut; spread their first connections.
      initialDelayMs: 5_000,
      ...options.link,
    });
    probeLoop.start();
    link.start();

    if (config.cashierPage.enabled) {
      page = await startCashierSide({ config, drivers, outbox, probeLoop, testPrinter, link, logger, queue, fitFrame });
    }
  }

  async function stop(): Promise<void> {
    stopping.abort();
    const steps: [string, (() => Promise<void>) | undefined][] = [
      ['cashier page', page?.stop],
      ['probe loop', probeLoop?.stop],
      ['link', link?.stop],
      ['command ledger', ledger?.close],
      ['outbox', outbox?.close],
    ];
    for (const [name, step] of steps) {
      try {
        await step?.();
      } catch (error) {
        log.warn(`stopping the ${name}: ${errorText(error)}`);
      }
    }
    page = undefined;
    probeLoop = undefined;
    testPrinter = undefined;
    link = undefined;
    ledger = undefined;
    outbox = undefined;
  }

  return {
    start,
    stop,
    cashierPageUrl: () => page?.url() ?? null,
  };
}


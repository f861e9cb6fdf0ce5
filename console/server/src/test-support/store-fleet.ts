import { NoiseSettings } from '@tillscope/shared';
import type { z } from 'zod';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sweepOfflineAgents } from '../agents/offline-sweep';
import { closeConsoleServices, createConsoleServices, type ConsoleServices } from '../create-app';
import { NO_HOLDS } from '../noise/noise-settings';
import { openConsoleDatabase } from '../db/console-database';
import type { Logger } from '../logger';
import type { NotifierOptions } from '../notify/notifier';
import { ManualClock } from './console-harness';

/**
 * A console's services on a real SQLite file with whole stores of enrolled registers, driven
 * through the real ingest path (connects, disconnects, reports) and the real offline sweep: for
 * the store correlation and maintenance tests, and for the bench's storm decision.
 */
export interface StoreFleet {
  services: ConsoleServices;
  clock: ManualClock;
  /** storeId → its registers' agent ids, in register order (pos-0, pos-1, …). */
  stores: Map<string, string[]>;
  connect(agentIds: readonly string[]): Promise<void>;
  disconnect(agentIds: readonly string[]): Promise<void>;
  /** Runs the offline sweep now; returns how many `agent.offline` tickets it opened. */
  sweep(): Promise<number>;
  dispose(): Promise<void>;
}

export const FLEET_OFFLINE_AFTER_SEC = 90;

const quietLogger: Logger = { info() {}, warn() {}, error() {} };

/** Enrolls `registers[storeId]` registers per store, every one connected at the clock's start. */
export async function openStoreFleet(
  registers: Record<string, number>,
  { logger = quietLogger, noise = NO_HOLDS, notify }: { logger?: Logger; noise?: z.input<typeof NoiseSettings>; notify?: NotifierOptions } = {},
): Promise<StoreFleet> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tillscope-fleet-'));
  const db = await openConsoleDatabase(dataDir);
  const clock = new ManualClock();
  // No hold by default: these tests are about correlation and maintenance (noise/noise-flow.test.ts is about holds).
  const services = createConsoleServices({ db, now: clock.now, logger, heartbeatIntervalMs: 60 * 60_000, allowedOrigins: [], noise: NoiseSettings.parse(noise), notify });
  const total = Object.values(registers).reduce((sum, count) => sum + count, 0);
  const { token } = await services.registry.createEnrollmentToken({ note: 'fleet', maxUses: Math.max(total, 1), ttlHours: 1 }, null);
  const stores = new Map<string, string[]>();
  for (const [storeId, count] of Object.entries(registers)) {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) ids.push((await services.registry.enroll({ token, storeId, registerId: `pos-${index}`, hostname: 'till' })).agentId);
    stores.set(storeId, ids);
  }
  const fleet: StoreFleet = {
    services, clock, stores,
    async connect(agentIds) {
      await Promise.all(agentIds.map((agentId) => services.ingest.connection(agentId, true)));
    },
    async disconnect(agentIds) {
      await Promise.all(agentIds.map((agentId) => services.ingest.connection(agentId, false)));
    },
    sweep: () => sweepOfflineAgents({
      db, engine: services.engine, bus: services.bus, now: clock.now, offlineAfterSec: FLEET_OFFLINE_AFTER_SEC,
      isConnected: (agentId) => services.agents.isConnected(agentId),
    }),
    async dispose() {
      await closeConsoleServices(services);
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await fleet.connect([...stores.values()].flat());
  return fleet;
}

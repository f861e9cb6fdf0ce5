// The real system under the model-based test (./outbox-tickets.ts): the agent's real outbox on a
// real SQLite file on a disk that really fills (tiny-disk: SQLite's page limit, a real reserve
// file), and the console's real services (ingest batcher, ticket engine) on a real SQLite file.
// Messages go from the outbox to the ingest batcher directly, through parseFrame as the gateway
// parses them; the WebSocket transport is tested elsewhere. Acks travel back in `transit`, where a
// crash of either side loses them (the connection is gone), so the agent sends again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_MESSAGE_TYPES, AgentMessage, parseFrame, type Ack } from '@tillscope/shared';
import { silentLogger } from '../../agent/src/logger';
import { createDiskReserve } from '../../agent/src/outbox/disk-reserve';
import type { OutboxDb } from '../../agent/src/outbox/outbox-db';
import { openOutbox, type Outbox } from '../../agent/src/outbox/outbox';
import { createTinyDisk, type TinyDisk } from '../../agent/src/test-support/tiny-disk';
import { closeConsoleServices, createConsoleServices, type ConsoleServices } from '../../console/server/src/create-app';
import { openConsoleDatabase, type ConsoleDatabase } from '../../console/server/src/db/console-database';
import { ManualClock, recordingLogger } from '../../console/server/src/test-support/console-harness';
import { helloMessage } from '../../console/server/src/test-support/device-reports';

/**
 * An OutboxDb that a crash cuts off: from `crash()` on, every statement fails as if the process
 * were gone, so closing the outbox writes nothing more (what it held in memory is lost, as in a
 * real crash); `close` still closes the real connection.
 */
function crashable(real: OutboxDb): OutboxDb & { crash(): void } {
  let crashed = false;
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    crashed ? Promise.reject(new Error('the agent crashed')) : call(...args);
  return {
    exec: guard((sql: string) => real.exec(sql)),
    run: guard((sql: string, ...params: unknown[]) => real.run(sql, ...params)),
    all: guard(<T>(sql: string, ...params: unknown[]) => real.all<T>(sql, ...params)),
    get: guard(<T>(sql: string, ...params: unknown[]) => real.get<T>(sql, ...params)),
    close: () => real.close(),
    crash: () => {
      crashed = true;
    },
  } as OutboxDb & { crash(): void };
}

interface ConsoleSide {
  db: ConsoleDatabase;
  services: ConsoleServices;
}

export class ModelSystem {
  /** Acks the console sent that the agent has not applied yet, oldest first. */
  transit: Ack['payload'][] = [];
  private nextId = 0;

  private constructor(
    readonly root: string,
    readonly clock: ManualClock,
    /** The console's error log: must stay empty (an effect that failed inside the server lands here). */
    readonly consoleLogger: ReturnType<typeof recordingLogger>,
    readonly disk: TinyDisk,
    private readonly reserveBytes: number,
    readonly agentId: string,
    public outbox: Outbox,
    private agentDb: { crash(): void },
    private console: ConsoleSide,
  ) {}

  /** `reserveBytes`: the agent's disk reserve; small ones run out during a disk-full, so reports end up held in memory. */
  static async start(reserveBytes: number): Promise<ModelSystem> {
    const root = await mkdtemp(path.join(tmpdir(), 'tillscope-model-'));
    const clock = new ManualClock();
    const disk = createTinyDisk();
    const consoleLogger = recordingLogger();
    const consoleSide = await ModelSystem.openConsole(root, clock, consoleLogger);
    const { token } = await consoleSide.services.registry.createEnrollmentToken({ note: 'model', maxUses: 1, ttlHours: 1 }, null);
    const { agentId } = await consoleSide.services.registry.enroll({ token, storeId: 'store-1', registerId: 'till-1', hostname: 'till' });
    await consoleSide.services.ingest.submit(agentId, helloMessage('hello-1', ['p1', 'p2']));
    const { outbox, agentDb } = await ModelSystem.openAgent(root, clock, disk, reserveBytes);
    return new ModelSystem(root, clock, consoleLogger, disk, reserveBytes, agentId, outbox, agentDb, consoleSide);
  }

  private static async openConsole(root: string, clock: ManualClock, logger: ReturnType<typeof recordingLogger>): Promise<ConsoleSide> {
    const db = await openConsoleDatabase(path.join(root, 'console'));
    const services = createConsoleServices({ db, now: clock.now, logger, heartbeatIntervalMs: 3_600_000, allowedOrigins: [] });
    return { db, services };
  }

  private static async openAgent(root: string, clock: ManualClock, disk: TinyDisk, reserveBytes: number): Promise<{ outbox: Outbox; agentDb: { crash(): void } }> {
    let agentDb: (OutboxDb & { crash(): void }) | undefined;
    const reserve = createDiskReserve({ file: path.join(root, 'reserve.bin'), bytes: reserveBytes, fs: disk.reserveFs, logger: silentLogger });
    const outbox = await openOutbox({
      file: path.join(root, 'agent.db'),
      openDb: async (file) => (agentDb = crashable(await disk.openDb(file))),
      reserve,
      now: clock.now,
      logger: silentLogger,
      // Retries happen where the model says (retryStorage, and before each enqueue), not on a timer.
      retryEveryMs: 3_600_000,
    });
    return { outbox, agentDb: agentDb! };
  }

  id(prefix: string): string {
    this.nextId += 1;
    return `${prefix}-${this.nextId}`;
  }

  get sql() {
    return this.console.db.sql;
  }

  /** Parses a queued frame as the gateway does and hands it to the ingest batcher; the ack (after COMMIT) goes into transit. */
  async deliver(body: string): Promise<Ack['payload'] | undefined> {
    const parsed = parseFrame(body, AgentMessage, AGENT_MESSAGE_TYPES);
    if (!parsed.ok) throw new Error(`the outbox queued a frame the console refuses: ${parsed.code}: ${parsed.message}`);
    const ack = await this.console.services.ingest.submit(this.agentId, parsed.value);
    if (ack) this.transit.push(ack);
    return ack;
  }

  /** The agent process dies: nothing more reaches its disk; it starts again on the same files. */
  async crashAgent(): Promise<void> {
    this.agentDb.crash();
    await this.outbox.close();
    await this.reopenAgent();
  }

  /** A clean stop and start of the agent (close flushes what it can). */
  async restartAgent(): Promise<void> {
    await this.outbox.close();
    await this.reopenAgent();
  }

  private async reopenAgent(): Promise<void> {
    this.transit = [];
    ({ outbox: this.outbox, agentDb: this.agentDb } = await ModelSystem.openAgent(this.root, this.clock, this.disk, this.reserveBytes));
  }

  /**
   * The console stops (as startConsoleServer's close does) and starts again on the same file.
   * Commands run one at a time, so nothing is mid-commit; acks not yet applied by the agent are
   * lost with the connection.
   */
  async restartConsole(): Promise<void> {
    await closeConsoleServices(this.console.services);
    await this.console.db.close();
    this.transit = [];
    this.console = await ModelSystem.openConsole(this.root, this.clock, this.consoleLogger);
  }

  async dispose(): Promise<void> {
    await this.outbox.close().catch(() => undefined);
    await closeConsoleServices(this.console.services).catch(() => undefined);
    await this.console.db.close().catch(() => undefined);
    await rm(this.root, { recursive: true, force: true });
  }
}

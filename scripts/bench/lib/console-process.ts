// The console server under test, in its own process so its event loop, CPU and memory are its
// own. Started by console-under-test.ts with `fork(…, { execArgv: ['--import', 'tsx'] })`; talks
// over IPC only. Errors are logged to stderr; everything else the server says is dropped.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startConsoleServer } from '../../../console/server/src/start-console-server';
import { createStderrLogger } from '../../../console/server/src/logger';
import type { ConsoleProcessReply, ConsoleProcessRequest } from './console-process-protocol';

/** A full collection; the process is started with --expose-gc (console-under-test.ts) for it. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('console under test was started without --expose-gc');
  gc();
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; port: number; offlineAfterSec?: number };
  const server = await startConsoleServer({
    dataDir: config.dataDir,
    port: config.port,
    offlineAfterSec: config.offlineAfterSec ?? 90,
    logger: createStderrLogger(process.env.TILLSCOPE_BENCH_SERVER_LOG === 'warn' ? 'warn' : 'error'),
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let cpuAt = process.cpuUsage();
  let wallAt = performance.now();

  const send = (reply: ConsoleProcessReply) => process.send?.(reply);
  process.on('message', (raw: unknown) => {
    const request = raw as ConsoleProcessRequest;
    void (async () => {
      switch (request.op) {
        case 'metrics': {
          if (request.gc) collectGarbage();
          const cpu = process.cpuUsage(cpuAt);
          const wallMs = performance.now() - wallAt;
          send({
            op: 'metrics',
            eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
            eventLoopMaxMs: loopDelay.max / 1e6,
            rssBytes: process.memoryUsage().rss,
            heapUsedBytes: process.memoryUsage().heapUsed,
            cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
            ingest: server.ingestStats(),
            agentAdmission: server.agentAdmissionStats(),
          });
          if (request.reset) {
            loopDelay.reset();
            cpuAt = process.cpuUsage();
            wallAt = performance.now();
          }
          break;
        }
        case 'create_user':
          await server.createUser(request.user);
          send({ op: 'ok' });
          break;
        case 'create_tokens': {
          const tokens: string[] = [];
          for (let index = 0; index < request.count; index += 1) tokens.push((await server.createEnrollmentToken({ maxUses: request.maxUses, ttlHours: 24 })).token);
          send({ op: 'tokens', tokens });
          break;
        }
        case 'stop':
          await server.close();
          send({ op: 'stopped' });
          process.exit(0);
      }
    })().catch((error: unknown) => send({ op: 'error', message: error instanceof Error ? error.message : String(error) }));
  });
  send({ op: 'listening', url: server.url });
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`console under test failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

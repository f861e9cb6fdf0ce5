// Entry point. Development: `tsx agent/src/main.ts --config path/to/agent.json` (npm run agent);
// `--discover` runs discovery once and exits (discovery/cli.ts).
// Production runs the bundle, whose entry bin.ts sizes the threadpool and then loads this file:
// `node --v8-pool-size=2 --max-semi-space-size=1 agent/dist/agent.cjs --config agent.json` (npm run build:agent).
// Wiring only; everything testable lives in create-agent.ts.
import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { createAgent } from './create-agent';
import { createStderrLogger, errorText } from './logger';

function configPath(args: string[]): string | undefined {
  try {
    return parseArgs({ args, options: { config: { type: 'string' } } }).values.config;
  } catch {
    return undefined; // an unknown flag: the usage line says what is expected
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--discover')) return (await import('./discovery/cli')).runDiscoverCli(args);
  const logger = createStderrLogger();
  const file = configPath(args);
  if (!file) {
    process.stderr.write('usage: node agent/dist/agent.cjs --config path/to/agent.json (development: npm run agent -- --config …)\n');
    process.stderr.write('       node agent/dist/agent.cjs --discover [--config path/to/agent.json] [--json] [--port /dev/ttyS0 …]\n');
    return 2;
  }
  let config;
  try {
    config = await loadConfig(file);
  } catch (error) {
    process.stderr.write(`${errorText(error)}\n`);
    return 1;
  }

  // The agent runs unattended on a till: a stray rejection in some callback should be logged and
  // survived, not take down health reporting and the cashier page with it. Real startup failures
  // still end the process (below) so the service manager restarts it.
  process.on('unhandledRejection', (reason) => logger.error('agent', `unhandled rejection: ${errorText(reason)}`));
  process.on('uncaughtException', (error) => logger.error('agent', `uncaught exception: ${errorText(error)}\n${error.stack ?? ''}`));

  const agent = createAgent({ config, logger, configPath: file });
  try {
    await agent.start();
  } catch (error) {
    logger.error('agent', `cannot start: ${errorText(error)}`);
    await agent.stop();
    return 1;
  }
  const url = agent.cashierPageUrl();
  process.stdout.write(url ? `cashier page: ${url}\n` : 'cashier page: disabled\n');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('agent', `${signal}: stopping`);
      void agent.stop().finally(resolve); // stop() never rejects: it logs each part that fails to stop
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`fatal: ${errorText(error)}\n`);
    process.exitCode = 1;
  },
);

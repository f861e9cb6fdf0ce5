import { parseArgs } from 'node:util';
import { startConsoleServer } from './start-console-server';
import { createStderrLogger, withFields } from './logger';

// CLI: tsx console/server/src/main.ts --data-dir X --port N [--host H] [--create-admin user:pass] [--agent-connect-rate N]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.data' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'create-admin': { type: 'string' },
      'allowed-origin': { type: 'string', multiple: true, default: [] },
      'agent-connect-rate': { type: 'string' },
    },
  });
  const logger = createStderrLogger(process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const agentConnectRate = values['agent-connect-rate'] === undefined ? undefined : Number(values['agent-connect-rate']);
  if (agentConnectRate !== undefined && !(agentConnectRate > 0)) throw new Error(`--agent-connect-rate must be a positive number of upgrades per second, got ${values['agent-connect-rate']}`);
  const server = await startConsoleServer({
    dataDir: values['data-dir'],
    host: values.host,
    port,
    logger,
    allowedOrigins: values['allowed-origin'],
    ...(agentConnectRate === undefined ? {} : { agentAdmission: { ratePerSec: agentConnectRate } }),
  });
  if (values['create-admin']) {
    const separator = values['create-admin'].indexOf(':');
    if (separator <= 0) throw new Error('--create-admin expects user:password');
    const username = values['create-admin'].slice(0, separator);
    try {
      await server.createUser({ username, password: values['create-admin'].slice(separator + 1), displayName: username, role: 'admin', groups: [] });
      logger.info('main', withFields('admin created', { username }));
    } catch (error) {
      logger.warn('main', withFields('admin not created', { username, error: (error as Error).message }));
    }
  }
  process.stdout.write(`Tillscope console at ${server.url}\n`);
  const shutdown = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { describeIssues } from '@tillscope/shared';
import { FiscalSettings } from './fiscal/fiscal-settings';
import { startConsoleServer } from './start-console-server';
import { createStderrLogger, withFields } from './logger';

// CLI: tsx console/server/src/main.ts --data-dir X --port N [--host H] [--create-admin user:pass] [--agent-connect-rate N]
//   [--secure-cookies] [--trust-proxy loopback|<address, CIDR, list>|<hops>] [--password-hash-threads N]
//   [--fiscal '{"archiveCapacity":250000,"ofdLockDays":30,…}'] (FiscalSettings, fiscal/fiscal-settings.ts)
//   [--public-url https://support.example.ru] (ticket links in notifications) [--telegram-api-root URL] (a local Bot API server)
/** An http(s) URL option, or undefined when not given; anything else stops the console naming it. */
function httpUrlOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`${name} must be an http or https URL, got ${value}`);
  return value.replace(/\/+$/, '');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.data' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'create-admin': { type: 'string' },
      'allowed-origin': { type: 'string', multiple: true, default: [] },
      'agent-connect-rate': { type: 'string' },
      // Secure on every cookie: for a console reached over HTTPS through a proxy not named below.
      'secure-cookies': { type: 'boolean', default: false },
      // Proxies whose X-Forwarded-For/-Proto are believed (client address for login limits, HTTPS for Secure).
      'trust-proxy': { type: 'string' },
      'password-hash-threads': { type: 'string', default: '1' },
      // Fiscal forecast and deadline settings as JSON; a bad field stops the console naming it.
      fiscal: { type: 'string' },
      // The console's address as people open it: notifications link to the ticket there.
      'public-url': { type: 'string' },
      // Telegram Bot API address (default https://api.telegram.org): a self-hosted Bot API server.
      'telegram-api-root': { type: 'string' },
    },
  });
  const logger = createStderrLogger(process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const agentConnectRate = values['agent-connect-rate'] === undefined ? undefined : Number(values['agent-connect-rate']);
  if (agentConnectRate !== undefined && !(agentConnectRate > 0)) throw new Error(`--agent-connect-rate must be a positive number of upgrades per second, got ${values['agent-connect-rate']}`);
  const threads = Number(values['password-hash-threads']);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new Error(`--password-hash-threads must be 1..64, got ${values['password-hash-threads']}`);
  const server = await startConsoleServer({
    dataDir: values['data-dir'],
    host: values.host,
    port,
    logger,
    allowedOrigins: values['allowed-origin'],
    ...(agentConnectRate === undefined ? {} : { agentAdmission: { ratePerSec: agentConnectRate } }),
    secureCookies: values['secure-cookies'],
    trustProxy: trustProxyOption(values['trust-proxy']),
    passwordHashing: { threads },
    ...(values.fiscal === undefined ? {} : { fiscal: fiscalOption(values.fiscal) }),
    notify: {
      consoleUrl: httpUrlOption('--public-url', values['public-url']) ?? null,
      senderOptions: { telegram: { apiRoot: httpUrlOption('--telegram-api-root', values['telegram-api-root']) } },
    },
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

function fiscalOption(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`--fiscal must be JSON, e.g. '{"archiveCapacity":250000}': ${(error as Error).message}`, { cause: error });
  }
  const settings = FiscalSettings.safeParse(parsed);
  if (!settings.success) throw new Error(`--fiscal: ${describeIssues(settings.error).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  return settings.data;
}

/** express `trust proxy`: a number of hops, or addresses/CIDRs/names ('loopback', 'uniquelocal'), comma-separated. */
function trustProxyOption(value: string | undefined): string | number | false {
  if (value === undefined || value === '') return false;
  if (value === 'true') throw new Error('--trust-proxy true would believe any client; name the proxy (e.g. loopback, 10.0.0.5) or a hop count');
  return /^\d+$/.test(value) ? Number(value) : value;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

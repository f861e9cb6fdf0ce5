// `npm start`: the console server plus a demo store of simulated registers, all on loopback.
// Each register is a real agent process probing its own simulated ESC/POS printer; a fault timeline
// plays out on the printers so that tickets open and resolve in the console by themselves.
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { preferPort } from '../lib/ports';
import { DEMO_USERS, startStack, type Stack, type StackRegister } from '../lib/stack';
import { ptyModeAvailable } from '../sim/escpos/simulator';
import { seedPaperHistory } from './paper-history';
import { seedDemoReference } from './reference';
import { playTimeline } from './player';
import { logIn } from './console-api';
import { setUpServiceDesk } from './service-desk';
import { runActionsDemo } from './actions-demo';
import { playOutageActions } from './actions-outage';
import { setUpNotifications } from './notify-demo';
import { seedServiceHistory } from './service-history';
import { seedHypermarketHistory } from './ticket-history';
import { DEMO_CYCLE_SEC, DEMO_OFFLINE_AFTER_SEC, DEMO_POWER_CYCLE_SEC, DEMO_POWER_TIMELINE, demoRegisters } from './timeline';

const root = resolve(import.meta.dirname, '../..');
/** When the demo asks its first remote actions: once the timeline's first tickets are open. */
const DEMO_ACTIONS_AFTER_MS = 30_000;
const dataDir = join(root, '.tillscope-demo');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    if (name.name === 'dist' || name.name === 'node_modules') continue;
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The console serves the built renderer; build it when missing or older than its sources. */
async function ensureRendererBuilt(): Promise<void> {
  const index = join(root, 'console/renderer/dist/index.html');
  const sourcesNewest = Math.max(newestMtime(join(root, 'console/renderer')), newestMtime(join(root, 'shared/src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesNewest) return;
  process.stdout.write('building the console renderer…\n');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'console/renderer/vite.config.ts'), logLevel: 'warn' });
}

async function main(): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  await ensureRendererBuilt();
  const logPath = join(dataDir, 'demo.log');
  const ptyAvailable = ptyModeAvailable();
  const consolePort = await preferPort(8080);
  const cashierPorts: number[] = [];
  const registers = demoRegisters(new Date());
  for (const [index] of registers.entries()) cashierPorts.push(await preferPort(8701 + index));

  mkdirSync(dataDir, { recursive: true });
  const logStream = createWriteStream(logPath, { flags: 'a' });
  const log = (line: string) => logStream.write(`${new Date().toISOString()} ${line}\n`);

  const stack = await startStack({
    dataDir,
    consolePort,
    registers,
    probeIntervalSec: 2,
    reportIntervalSec: 30,
    agentMode: 'process',
    cashierPorts,
    offlineAfterSec: DEMO_OFFLINE_AFTER_SEC,
    ptyAvailable,
    hostProbes: true,
    log,
  });

  const admin = await logIn(stack.consoleUrl(), DEMO_USERS.admin);
  const serviceDesk = await setUpServiceDesk(admin, new Date());
  const engineer = await logIn(stack.consoleUrl(), DEMO_USERS.engineer);
  const pastTickets = await seedHypermarketHistory({ stack, consoleDataDir: join(dataDir, 'console'), engineer, engineerName: DEMO_USERS.engineer.username }).catch((error: unknown) => {
    log(`could not seed the hypermarket's ticket history: ${String(error)}`);
    return [];
  });

  // Five weeks of the second line's work: KPIs to compare, fixes with their rates.
  const serviceHistory = await seedServiceHistory({ stack, consoleDataDir: join(dataDir, 'console'), admin, engineer, now: new Date() }).catch((error: unknown) => {
    log(`could not seed the service history: ${String(error)}`);
    return { lines: [`service history: could not seed (${error instanceof Error ? error.message : String(error)})`] };
  });

  // A month of paper history on one register: its panel and paper tickets show the paper-supply hint.
  const history = { storeId: 'msk-001', registerId: 'pos-2' };
  const historySpec = registers.find((r) => r.storeId === history.storeId && r.registerId === history.registerId);
  const seeded = historySpec
    ? await seedPaperHistory({ consoleDataDir: join(dataDir, 'console'), ...history, deviceId: 'printer', model: historySpec.model, now: new Date() }).catch((error: unknown) => {
        log(`could not seed the paper history: ${String(error)}`);
        return false;
      })
    : false;

  const lines = bannerLines({ stack, serviceDesk, pastTickets, serviceHistory, seeded: seeded ? history : null, ptyAvailable, logPath });
  process.stdout.write(`${lines.join('\n')}\n`);

  const stopTimeline = playTimeline(stack, (line) => process.stdout.write(`${line}\n`), { holds: serviceDesk.holds });
  // The reference image: msk-001/pos-1 as it first reports, for both demo stores.
  seedDemoReference({
    api: admin, storeId: 'msk-001', registerId: 'pos-1', storeIds: ['msk-001', 'spb-002'],
    name: 'Касса у дома (эталон) / Convenience store register (reference)', storeFormat: 'магазин у дома', timeoutMs: 60_000,
  }).then(
    (reference) => process.stdout.write(`  reference image "${reference.name}" promoted from msk-001/pos-1 for msk-001 and spb-002 (Эталоны / References)\n`),
    (error: unknown) => log(`could not seed the reference image: ${String(error)}`),
  );
  // Remote actions in each of their states: from the first tickets once the timeline has opened
  // some (a paper-out at 8 s, past its 10 s hold), then one queued for a register in the power cut.
  const say = (line: string) => process.stdout.write(`${line}\n`);
  sleep(DEMO_ACTIONS_AFTER_MS)
    .then(() => runActionsDemo(engineer, admin, { blockedStoreId: 'nsk-004' }))
    .then((demo) => demo.lines.forEach((line) => say(`  actions: ${line}`)))
    .then(() => playOutageActions({ stack, engineer, admin, say, outageWithinMs: (DEMO_POWER_CYCLE_SEC + 60) * 1000 }))
    .catch((error: unknown) => log(`could not play the remote actions: ${String(error)}`));
  // Notification channels to receivers the demo runs, once the notify scan is past the seeded history.
  const notifications = setUpNotifications(admin, join(dataDir, 'console')).then(
    (notify) => {
      for (const line of notify.lines) process.stdout.write(`  ${line}\n`);
      return notify;
    },
    (error: unknown) => {
      log(`could not set up the notification channels: ${String(error)}`);
      return undefined;
    },
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the demo…\n`);
    stopTimeline();
    await stack.stop();
    // After the console: an SMTP sink closes only once its clients (the console's mailer) have gone.
    // (not waiting for a set-up still under way: it would only delay the exit)
    const notify = await Promise.race([notifications, Promise.resolve(undefined)]);
    if (notify) {
      const got = notify.received();
      process.stdout.write(`notifications received: webhook ${got.webhook} (${got.signed} with a valid signature), e-mail ${got.mails}; the failing webhook refused ${got.refused} tries\n`);
      await notify.close();
    }
    logStream.end();
    process.stdout.write('stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

interface BannerFacts {
  stack: Stack;
  serviceDesk: { lines: string[] };
  pastTickets: string[];
  serviceHistory: { lines: string[] };
  /** the register given a month of paper history, or null when it could not be seeded */
  seeded: { storeId: string; registerId: string } | null;
  ptyAvailable: boolean;
  logPath: string;
}

/** What `npm start` prints once the demo runs: the URLs, the demo login and what to look at. */
function bannerLines({ stack, serviceDesk, pastTickets, serviceHistory, seeded, ptyAvailable, logPath }: BannerFacts): string[] {
  return [
    '',
    'Tillscope demo is running.',
    '',
    `  Console:  ${stack.consoleUrl()}/`,
    `  Log in:   ${DEMO_USERS.engineer.username} / ${DEMO_USERS.engineer.password}   (admin: ${DEMO_USERS.admin.username} / ${DEMO_USERS.admin.password})`,
    '',
    '  Cashier pages ("Сообщить о проблеме / Report a problem"):',
    ...[...stack.registers.values()].map(
      (r) => `    ${r.key.padEnd(14)} ${r.cashierUrl.padEnd(26)} printer: ${r.spec.model}${r.spec.printerSim === 'clone' ? ' (a clone: answers DLE EOT 1 and 4 only)' : ''} over ${r.printerTransport === 'pty' ? 'serial (socat pseudo-terminal)' : 'TCP'}${r.spec.printQueue ? ' with a CUPS queue' : ''}${fiscalLine(r)}${r.star ? `; second printer: ${r.spec.starPrinter?.model ?? 'Star'} (Star line mode) over ${r.star.link === 'pty' ? 'serial (socat pseudo-terminal)' : 'TCP'}` : ''}${r.spec.printerOnFiscalPort ? '; printer-2: an ESC/POS entry pointing by mistake at a Shtrih-M register\'s serial port (the agent reports it and sends it nothing)' : ''}${r.spec.sparePrinter ? '; an unconfigured printer on a serial line for discovery' : ''}`,
    ),
    '',
    ...(seeded ? [`  ${seeded.storeId}/${seeded.registerId} has a month of paper history: its register panel and paper tickets show "Бумага заканчивалась 4 раза за 30 дней".`, ''] : []),
    '  Service desk (admin: Сервис / Service desk):',
    ...[...serviceDesk.lines, ...pastTickets].map((line) => `    ${line}`),
    '',
    '  The second line\'s past (KPIs, knowledge base):',
    ...serviceHistory.lines.map((line) => `    ${line}`),
    '',
    '  Any printer ticket has "Тестовая печать / Test print": the simulated printer takes the job and the result lands on the ticket.',
    '',
    `  Enrollment token for more agents: ${stack.enrollment.token}`,
    `    (${stack.enrollment.maxUses} uses, valid until ${stack.enrollment.expiresAt}; put it in an agent config, see README)`,
    '',
    ...(ptyAvailable ? [] : ['  (socat is not installed: every printer is on TCP; `apt-get install socat` for the serial one)', '']),
    `  Faults play out on the simulated printers and fiscal registers every ${DEMO_CYCLE_SEC} s; tickets open and resolve in the console.`,
    `  A power cut hits ${DEMO_POWER_TIMELINE[0]?.storeId ?? 'a store'} every ${DEMO_POWER_CYCLE_SEC / 60} minutes, ${DEMO_POWER_TIMELINE[0]?.atSec ?? 0} s in.`,
    `  Agent and server logs: ${logPath}`,
    '  Ctrl+C stops everything.',
    '',
  ];
}

function fiscalLine(register: StackRegister): string {
  const fiscal = register.spec.fiscal;
  if (!fiscal || !register.fiscal) return '';
  const how = register.fiscal.driver === 'atol' ? 'ATOL web requests server' : register.fiscal.link === 'pty' ? 'serial (socat pseudo-terminal)' : 'TCP';
  return `; fiscal register: ${fiscal.model} over ${how}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

// A real CUPS scheduler of our own: cupsd with its ServerRoot, spool and socket in a temp folder,
// so recordings and tests use real CUPS without touching the machine's scheduler or its queues.
// Needs root (cupsd refuses otherwise) and the cups-daemon package; `privateCupsdUsable` says so.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runRecorded } from './recorded-run';

const CUPSD = '/usr/sbin/cupsd';
const MIME = '/usr/share/cups/mime';

/** Why a private cupsd cannot run here, or undefined when it can. */
export function privateCupsdUnusable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'cupsd needs root';
  if (!existsSync(CUPSD) || !existsSync(MIME)) return 'cups-daemon is not installed';
  return undefined;
}

export interface PrivateCupsd {
  /** the ServerRoot; its queues' PPDs are in `ppdDir` */
  root: string;
  ppdDir: string;
  /** the environment a CUPS client needs to talk to it (CUPS_SERVER = its socket, LC_ALL=C) */
  env: NodeJS.ProcessEnv;
  /** runs a CUPS admin tool (lpadmin, lp, cupsdisable, cancel) against it; throws when it fails */
  admin(file: string, ...args: string[]): void;
  /** stops cupsd (the folder stays, as after a real scheduler stop) */
  stop(): Promise<void>;
  /** stops it if running and removes the folder */
  close(): Promise<void>;
}

export async function startPrivateCupsd(): Promise<PrivateCupsd> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tillscope-cups-'));
  const socket = path.join(root, 'cups.sock');
  const env = { ...process.env, LC_ALL: 'C', CUPS_SERVER: socket };
  for (const dir of ['ppd', 'spool/tmp', 'cache', 'state', 'log']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const file of readdirSync(MIME)) cpSync(path.join(MIME, file), path.join(root, file));
  const files = ['SystemGroup root lpadmin', `ServerRoot ${root}`, `RequestRoot ${root}/spool`, `CacheDir ${root}/cache`, `StateDir ${root}/state`, `TempDir ${root}/spool/tmp`];
  writeFileSync(path.join(root, 'cups-files.conf'), [...files, ...['ErrorLog', 'AccessLog', 'PageLog'].map((log) => `${log} ${root}/log/${log.toLowerCase()}`), ''].join('\n'));
  const policy = ['<Location />', '  Order allow,deny', '  Allow all', '</Location>', '<Policy default>', '  <Limit All>', '    Order deny,allow', '  </Limit>', '</Policy>'];
  writeFileSync(path.join(root, 'cupsd.conf'), [`Listen ${socket}`, 'Browsing No', 'WebInterface No', 'LogLevel warn', ...policy, ''].join('\n'));
  const cupsd = spawn(CUPSD, ['-f', '-c', path.join(root, 'cupsd.conf'), '-s', path.join(root, 'cups-files.conf')], { stdio: 'ignore' });
  let running = true;
  const exited = new Promise<void>((resolve) => cupsd.once('exit', () => resolve()));
  void exited.then(() => (running = false));
  for (let i = 0; i < 100 && runRecorded('lpstat', ['-r'], env).stdout.trim() !== 'scheduler is running'; i += 1) await sleep(50);
  const stop = async () => {
    if (!running) return;
    cupsd.kill('SIGTERM');
    await exited;
  };
  return {
    root,
    ppdDir: path.join(root, 'ppd'),
    env,
    admin: (file, ...args) => void execFileSync(file, args, { env, stdio: 'ignore' }),
    stop,
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

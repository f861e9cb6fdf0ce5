// Records what host-print reads on Linux (systemctl show, lpstat -r/-v/-l -p/-o, the queues' PPD
// files) from a REAL CUPS scheduler into HostFixtures (agent/src/os/host-os-replay.ts) for its tests.
// It runs its own private cupsd (ServerRoot and socket in a temp folder) so the machine's CUPS and
// its queues are never touched; the PPD files it wrote there are filed under /etc/cups/ppd in the
// fixture, where a real register keeps them (lpstat itself names that path in "Interface:").
// Run as root on a machine with CUPS 2.x and cups-filters' PPDs:
//   tsx scripts/sim/cups/record-host-print.ts
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runRecorded, type RecordedRun } from './recorded-run';

const OUT = path.resolve(import.meta.dirname, '../../../agent/src/devices/host/host-print/fixtures');
const PPD_DIR = '/etc/cups/ppd';
const PPD_SOURCE = '/usr/share/ppd/cupsfilters';
const UNIT_PROPERTIES = 'LoadState,ActiveState,SubState,UnitFileState,NRestarts,Result';

const root = mkdtempSync(path.join(os.tmpdir(), 'tillscope-cups-'));
const socket = path.join(root, 'cups.sock');
const ENV = { ...process.env, LC_ALL: 'C', CUPS_SERVER: socket };

const run = (file: string, args: string[]): RecordedRun => runRecorded(file, args, ENV);

const admin = (file: string, ...args: string[]) => execFileSync(file, args, { env: ENV, stdio: 'inherit' });

function machine(): string {
  const cups = run('dpkg-query', ['-W', '-f', '${Package} ${Version}', 'cups-daemon']).stdout;
  return `${execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim()}, ${cups}, a private cupsd (ServerRoot in a temp folder; PPD paths filed under ${PPD_DIR}); systemctl runs but this container has no systemd`;
}

function ppdFiles(): { files: Record<string, { text: string }>; dirs: Record<string, string[]> } {
  const names = readdirSync(path.join(root, 'ppd')).sort();
  const files = Object.fromEntries(names.map((n) => [`${PPD_DIR}/${n}`, { text: readFileSync(path.join(root, 'ppd', n), 'utf8') }]));
  return { files, dirs: { [PPD_DIR]: names } };
}

function record(name: string, description: string, lpstatArgs: string[][]): void {
  const fixture = {
    origin: 'recorded',
    description,
    recordedAt: new Date().toISOString(),
    machine: machine(),
    platform: 'linux',
    runs: [run('systemctl', ['show', 'cups.service', '-p', UNIT_PROPERTIES]), ...lpstatArgs.map((args) => run('lpstat', args))],
    ...ppdFiles(),
  };
  writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`recorded ${name}`);
}

async function startCupsd(): Promise<() => Promise<void>> {
  for (const dir of ['ppd', 'spool/tmp', 'cache', 'state', 'log']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const file of readdirSync('/usr/share/cups/mime')) cpSync(path.join('/usr/share/cups/mime', file), path.join(root, file));
  writeFileSync(path.join(root, 'cups-files.conf'), [`SystemGroup root lpadmin`, `ServerRoot ${root}`, `RequestRoot ${root}/spool`, `CacheDir ${root}/cache`, `StateDir ${root}/state`, `TempDir ${root}/spool/tmp`, `ErrorLog ${root}/log/error_log`, `AccessLog ${root}/log/access_log`, `PageLog ${root}/log/page_log`, ''].join('\n'));
  writeFileSync(path.join(root, 'cupsd.conf'), [`Listen ${socket}`, 'Browsing No', 'WebInterface No', 'LogLevel warn', '<Location />', '  Order allow,deny', '  Allow all', '</Location>', '<Policy default>', '  <Limit All>', '    Order deny,allow', '  </Limit>', '</Policy>', ''].join('\n'));
  const cupsd = spawn('cupsd', ['-f', '-c', path.join(root, 'cupsd.conf'), '-s', path.join(root, 'cups-files.conf')], { stdio: 'inherit' });
  for (let i = 0; i < 50 && run('lpstat', ['-r']).stdout.trim() !== 'scheduler is running'; i += 1) await sleep(100);
  return async () => {
    cupsd.kill('SIGTERM');
    await new Promise((resolve) => cupsd.once('exit', resolve));
  };
}

const QUEUE_RUNS = [['-r'], ['-v'], ['-l', '-p'], ['-o']];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stop = await startCupsd();
  try {
    record('linux-cups-no-queues', 'CUPS 2.4 scheduler running with no queue at all (lpstat: "No destinations added.")', QUEUE_RUNS);
    admin('lpadmin', '-p', 'receipt', '-v', 'socket://127.0.0.1:9', '-E');
    admin('lpadmin', '-p', 'office-pdf', '-v', 'file:///dev/null', '-P', `${PPD_SOURCE}/Generic-PDF_Printer-PDF.ppd`, '-E');
    admin('lpadmin', '-p', 'back-office-laser', '-v', 'socket://192.0.2.10:9100', '-P', `${PPD_SOURCE}/pxlmono.ppd`, '-E');
    admin('cupsdisable', '-r', 'Paused by Tillscope recording', 'back-office-laser');
    admin('lp', '-d', 'receipt', '-t', 'receipt 1', '/etc/hostname');
    await sleep(1000);
    admin('lp', '-d', 'receipt', '-t', 'receipt 2', '/etc/hostname');
    admin('lp', '-d', 'back-office-laser', '-t', 'report', '/etc/hostname');
    await sleep(3000);
    record(
      'linux-cups-queues',
      'CUPS 2.4 running with three queues: "receipt" raw to socket://127.0.0.1:9 (nothing listens: its first job stays "now printing") with two jobs; "office-pdf" idle with the Generic PDF PPD; "back-office-laser" disabled (cupsdisable) with one job and the HP LaserJet PCL 6 PPD',
      QUEUE_RUNS,
    );
    admin('cancel', '-a', 'receipt');
    admin('cancel', '-a', 'back-office-laser');
  } finally {
    await stop();
  }
  record('linux-cups-stopped', 'the CUPS scheduler is not running (cupsd stopped); the queues\' PPD files are still there', QUEUE_RUNS);
  rmSync(root, { recursive: true, force: true });
}

await main();

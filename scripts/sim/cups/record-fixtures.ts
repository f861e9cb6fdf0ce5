// Records real `lpstat` outputs from a real CUPS scheduler into the fixtures the agent's tests and
// the CUPS simulator replay. Run as root on a machine with CUPS (`apt-get install cups cups-client
// cups-bsd`), with cupsd running and no queue named `tillscope-test` or `tillscope-stuck`:
//   tsx scripts/sim/cups/record-fixtures.ts [--stop-scheduler "<command that stops cupsd>"]
// It creates the two raw queues, walks them through each state, records, and deletes them.
// The last state (scheduler stopped) needs cupsd stopped: pass the command that stops it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runRecorded, type RecordedRun } from './recorded-run';

export const RECORDED_QUEUE = 'tillscope-test';
const STUCK_QUEUE = 'tillscope-stuck';
const OUT = path.resolve(import.meta.dirname, '../../../agent/src/os/print-queue/fixtures/cups');
const ENV = { ...process.env, LC_ALL: 'C' };

const run = (file: string, args: string[]): RecordedRun => runRecorded(file, args, ENV);

function admin(file: string, ...args: string[]): void {
  execFileSync(file, args, { env: ENV, stdio: 'inherit' });
}

const host = () => `${execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim()}, ${run('dpkg-query', ['-W', '-f', '${Package} ${Version}', 'cups-client']).stdout}`;

function record(name: string, queue: string, state: string, commands: Array<[string, string[]]>): void {
  const fixture = {
    origin: 'recorded',
    recordedAt: new Date().toISOString(),
    host: host(),
    env: 'LC_ALL=C',
    state,
    context: run('lpstat', ['-v']),
    queue,
    runs: commands.map(([file, args]) => run(file, args)),
  };
  writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`recorded ${name}`);
}

const queueCommands = (queue: string): Array<[string, string[]]> => [
  ['lpstat', ['-r']],
  ['lpstat', ['-l', '-p', queue]],
  ['lpstat', ['-a', queue]],
  ['lpstat', ['-o', queue]],
];

async function main(): Promise<void> {
  const stopAt = process.argv.indexOf('--stop-scheduler');
  mkdirSync(OUT, { recursive: true });
  const q = RECORDED_QUEUE;
  admin('lpadmin', '-p', q, '-v', 'file:///dev/null', '-E');
  record('idle', q, 'a raw queue to file:///dev/null, enabled, accepting, no jobs', queueCommands(q));
  admin('cupsdisable', '-r', 'Paused by Tillscope recording', q);
  record('disabled', q, 'cupsdisable -r "Paused by Tillscope recording"', queueCommands(q));
  admin('lp', '-d', q, '-t', 'receipt 1', '/etc/hostname');
  await sleep(1500);
  admin('lp', '-d', q, '-t', 'receipt 2', '/etc/hostname');
  record('disabled-jobs', q, 'disabled as above, then two jobs submitted (lp -d) 1.5 s apart', queueCommands(q));
  admin('cancel', '-a', q);
  admin('cupsenable', q);
  admin('cupsreject', '-r', 'Rejecting by Tillscope recording', q);
  record('rejecting', q, 'enabled again, jobs cancelled, then cupsreject -r "Rejecting by Tillscope recording"', queueCommands(q));
  admin('cupsaccept', q);
  record('unknown-queue', 'no-such-queue', 'a queue name the scheduler does not know', queueCommands('no-such-queue'));
  admin('lpadmin', '-p', STUCK_QUEUE, '-v', 'socket://127.0.0.1:9', '-E');
  admin('lp', '-d', STUCK_QUEUE, '-t', 'receipt 3', '/etc/hostname');
  await sleep(5000);
  record('printing-stuck', STUCK_QUEUE, 'a raw queue to socket://127.0.0.1:9 (nothing listens: the backend retries), one job submitted 5 s before', queueCommands(STUCK_QUEUE));
  admin('cancel', '-a', STUCK_QUEUE);
  admin('lpadmin', '-x', STUCK_QUEUE);
  if (stopAt > 0) {
    const stop = (process.argv[stopAt + 1] ?? '').split(' ');
    execFileSync(stop[0] ?? 'true', stop.slice(1), { stdio: 'inherit' });
    await sleep(1000);
    record('scheduler-stopped', q, 'cupsd stopped', queueCommands(q));
  }
}

await main();

// `npm run fleet -- --server http://127.0.0.1:8080 --token tse_… --count 5000`: a fleet of virtual
// registers against a running console. Prints one status line every 5 s; Ctrl+C stops it.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LatencySamples } from '../bench/measurement';
import { Fleet } from './fleet';

const USAGE = `usage: npm run fleet -- --server URL --token TOKEN [--token TOKEN2 …] [options]
  --count N                  virtual registers (default 1000); a token enrolls up to 10,000
  --workers N                worker processes (default 4)
  --report-interval SEC      health report period per register (default 30)
  --fault-rate R             share of registers out of paper (default 0.01)
  --cashier-reports-per-hour R   per register (default 0)
  --storm-every SEC          drop every connection at once this often (default: never)
  --source-addresses N       spread sockets over 127.0.x.y source addresses (default 40)
  --fiscal-share R           share of registers with a fiscal register (ATOL) beside the printer (default 0)
  --host-share R             share of registers reporting their host facts (OS, clock, print service, peripherals, POS app; default 1)
  --silence-store ID         a power cut: this store's registers (e.g. store-00001, 5 registers each) go silent …
  --silence-after SEC        … this long after the start (default 60) …
  --silence-for SEC          … for this long, then come back (default 180; 0: stay silent)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        server: { type: 'string' }, token: { type: 'string', multiple: true }, count: { type: 'string', default: '1000' },
        workers: { type: 'string', default: '4' }, 'report-interval': { type: 'string', default: '30' }, 'fault-rate': { type: 'string', default: '0.01' },
        'cashier-reports-per-hour': { type: 'string', default: '0' }, 'storm-every': { type: 'string' }, 'source-addresses': { type: 'string', default: '40' },
        'fiscal-share': { type: 'string', default: '0' }, 'host-share': { type: 'string', default: '1' },
        'silence-store': { type: 'string' }, 'silence-after': { type: 'string', default: '60' }, 'silence-for': { type: 'string', default: '180' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const numbers = {
    count: Number(values.count), workers: Number(values.workers), reportIntervalSec: Number(values['report-interval']),
    faultRate: Number(values['fault-rate']), cashierReportsPerHour: Number(values['cashier-reports-per-hour']),
    stormEverySec: values['storm-every'] === undefined ? 0 : Number(values['storm-every']), sourceAddresses: Number(values['source-addresses']),
    fiscalShare: Number(values['fiscal-share']), hostShare: Number(values['host-share']),
    silenceAfterSec: Number(values['silence-after']), silenceForSec: Number(values['silence-for']),
  };
  const bad = Object.entries(numbers).filter(([, value]) => !Number.isFinite(value) || value < 0).map(([name]) => name);
  if (!values.server || !values.token?.length || bad.length > 0 || numbers.count < 1 || numbers.fiscalShare > 1 || numbers.hostShare > 1) {
    process.stderr.write(`${bad.length ? `bad number: ${bad.join(', ')}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const fleet = await Fleet.enroll({ server: values.server, tokens: values.token, count: numbers.count, workers: numbers.workers, log });
  await fleet.run({
    reportIntervalSec: numbers.reportIntervalSec, faultRate: numbers.faultRate,
    cashierReportsPerHour: numbers.cashierReportsPerHour, sourceAddresses: numbers.sourceAddresses, fiscalShare: numbers.fiscalShare, hostShare: numbers.hostShare,
  });
  if (values['silence-store']) scheduleStoreSilence(fleet, values['silence-store'], numbers.silenceAfterSec, numbers.silenceForSec, log);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fleet.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  let lastAcked = 0;
  let sinceStorm = 0;
  for (;;) {
    await sleep(5_000);
    const stats = await fleet.stats(true);
    const latency = new LatencySamples();
    for (const value of stats.healthLatencies) latency.recordMs(value);
    log(`connected ${stats.connected}/${stats.agents}, acked ${((stats.counters.acked - lastAcked) / 5).toFixed(0)}/s, `
      + `ack p50 ${latency.percentileMs(50).toFixed(1)} ms p99 ${latency.percentileMs(99).toFixed(1)} ms, pending ${stats.pending}, `
      + `rejected ${stats.counters.rejected}, reconnects ${stats.counters.disconnects}`);
    lastAcked = stats.counters.acked;
    sinceStorm += 5;
    if (numbers.stormEverySec > 0 && sinceStorm >= numbers.stormEverySec) {
      sinceStorm = 0;
      log('reconnect storm: dropping every connection');
      await fleet.dropConnections();
    }
  }
}

/** A power cut of one store: its registers stop after `afterSec`, and come back `forSec` later (0: never). */
function scheduleStoreSilence(fleet: Fleet, storeId: string, afterSec: number, forSec: number, log: (line: string) => void): void {
  const registers = fleet.identities.filter((identity) => identity.storeId === storeId).length;
  if (registers === 0) {
    log(`--silence-store ${storeId}: no such store in this fleet (stores are store-00001, store-00002 …)`);
    return;
  }
  setTimeout(() => {
    log(`power cut: ${storeId}'s ${registers} registers go silent`);
    void fleet.silenceStore(storeId, true);
    if (forSec > 0) {
      setTimeout(() => {
        log(`power back: ${storeId}'s registers reconnect`);
        void fleet.silenceStore(storeId, false);
      }, forSec * 1000).unref();
    }
  }, afterSec * 1000).unref();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fleet failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

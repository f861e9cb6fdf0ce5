// Test print on one receipt printer: the last step of the first-line checklist for "receipts are
// not printing". Runs only on request (an engineer's command, or the cashier's consent).
import type { DeviceReport, TestPrintRequester, TestPrintSummary } from '@tillscope/shared';
import type { DeviceConfig, DriverRegistry } from '../devices/driver';
import { errorText } from '../logger';
import type { ProbeLoop } from '../probe-loop/probe-loop';
import { TransportError, type OpenTransport } from '../transports/transport';
import { buildTestReceipt, type JobDialect } from './test-print-job';
import { decideOutcome, queueRefusal, refusalBeforePrint } from './test-print-rules';

export interface TestPrinterDeps {
  devices: readonly DeviceConfig[];
  drivers: DriverRegistry;
  openTransport: OpenTransport;
  /** The probe loop's hold on a device: no probe of it interleaves with the job (ProbeLoop.exclusive). */
  exclusive: ProbeLoop['exclusive'];
  storeId: string;
  registerId: string;
  now?: () => Date;
  /** Waits between sending the job and re-reading the status. */
  sleep?: (ms: number) => Promise<void>;
  /** How long the printer gets to print before the status is read again (default 2 s). */
  settleMs?: number;
  /** How long the port may take to accept the job (default 10 s). */
  writeTimeoutMs?: number;
}

export interface TestPrintRun {
  summary: TestPrintSummary;
  /** the status read before (refused) or after (sent) the job; empty when none was read */
  devices: DeviceReport[];
}

/** Unknown device id (the command names one this register does not have). */
export class TestPrintError extends Error {
  override name = 'TestPrintError';
}

export interface TestPrinter {
  /** Never rejects for printer trouble: a refusal or failure is an outcome. Rejects with TestPrintError for an unknown device. */
  run(deviceId: string, requestedBy: TestPrintRequester): Promise<TestPrintRun>;
}

/** The command set each receipt-printer driver speaks; a driver not listed gets no test print. */
const DIALECTS: Partial<Record<string, JobDialect>> = { escpos: 'escpos', 'star-line': 'star' };

export function createTestPrinter(deps: TestPrinterDeps): TestPrinter {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function run(deviceId: string, requestedBy: TestPrintRequester): Promise<TestPrintRun> {
    const device = deps.devices.find((d) => d.id === deviceId);
    if (!device) throw new TestPrintError(`no device "${deviceId}" on this register`);
    const startedAt = now().toISOString();
    const summary = (outcome: TestPrintSummary['outcome'], reason: string, jobBytes = 0): TestPrintSummary => ({
      deviceId, outcome, reason: reason.slice(0, 500), requestedBy, startedAt, finishedAt: now().toISOString(), jobBytes,
    });
    const refusal = staticRefusal(device);
    if (refusal) return { summary: summary('refused', refusal), devices: [] };
    return deps.exclusive(deviceId, async (probe) => {
      // A device with `printQueue` has its OS queue read with every probe (os/print-queue/merge.ts).
      const before = await probe();
      const notReady = queueRefusal(before.printer?.queue) ?? refusalBeforePrint(before);
      if (notReady) return { summary: summary('refused', notReady), devices: [before] };
      const job = buildTestReceipt(DIALECTS[device.driver]!, {
        storeId: deps.storeId, registerId: deps.registerId, deviceId, time: localTime(now()), ...(device.model ? { model: device.model } : {}),
      });
      const sent = await send(device, job.bytes);
      const removed = job.removed.length ? `; ${job.removed.join('; ')}` : '';
      if (sent) return { summary: summary(sent.outcome, `${sent.reason}${removed}`), devices: [before] };
      await sleep(deps.settleMs ?? 2_000);
      const after = await probe();
      const decided = decideOutcome(after);
      return { summary: summary(decided.outcome, `${decided.reason}${removed}`, job.bytes.length), devices: [after] };
    });
  }

  /** Refusals that need no I/O: not a receipt printer, no test job for its driver, no byte port. */
  function staticRefusal(device: DeviceConfig): string | undefined {
    const driver = deps.drivers.get(device.driver);
    if (driver?.kind !== 'receipt-printer') return `${device.id} is a ${driver?.kind ?? 'unknown'} device, not a receipt printer: a test print goes only to a receipt printer`;
    if (!DIALECTS[device.driver]) return `no test receipt is written for driver "${device.driver}"`;
    if (!device.transport) return `${device.id} has no byte port configured`;
    return undefined;
  }

  /** Sends the job and closes the port; undefined when it was sent, else the outcome that says why not. */
  async function send(device: DeviceConfig, bytes: Uint8Array): Promise<{ outcome: 'refused' | 'not_sent'; reason: string } | undefined> {
    let port;
    try {
      port = await deps.openTransport(device.transport!);
    } catch (error) {
      if (error instanceof TransportError && error.code === 'busy') return { outcome: 'refused', reason: `the port is busy (another program holds it): ${error.message}` };
      return { outcome: 'not_sent', reason: `could not open the port: ${errorText(error)}` };
    }
    try {
      await withTimeout(port.write(bytes), deps.writeTimeoutMs ?? 10_000, 'the printer did not take the job in time');
      return undefined;
    } catch (error) {
      return { outcome: 'not_sent', reason: `the job was not sent completely: ${errorText(error)}` };
    } finally {
      await port.close();
    }
  }

  return { run };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** "2026-11-30 14:55" in the register's local time: what the cashier's clock shows. */
export function localTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

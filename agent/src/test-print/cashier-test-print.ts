// The cashier's side of a test print: after reporting a printer problem the cashier page offers
// one; it runs only if the cashier agrees, and its result is queued for the console as
// `test_print_done`, durably (outbox), so the page says "saved" only when it is on disk.
import type { DeviceReport, TestPrintOutcome } from '@tillscope/shared';
import type { DeviceConfig, DriverRegistry } from '../devices/driver';
import type { TestPrinter, TestPrintRun } from './test-print';

/**
 * `done`: ran (or was refused) and its result queued: `saved` only when the outbox has it on disk.
 * `not_found`: no such report here. `no_printer`: no receipt printer configured. `busy`: one runs.
 */
export type CashierTestPrintResult =
  | { kind: 'done'; outcome: TestPrintOutcome; saved: boolean }
  | { kind: 'not_found' | 'no_printer' | 'busy' };

export interface CashierTestPrintDeps {
  printer: TestPrinter;
  devices: readonly DeviceConfig[];
  drivers: DriverRegistry;
  latest: () => DeviceReport[];
  reportExists: (reportId: string) => Promise<boolean>;
  /** Queues `test_print_done` for the report; resolves true when it is on disk. */
  queueDone: (reportId: string, run: TestPrintRun) => Promise<boolean>;
}

export interface CashierTestPrint {
  /** Whether this register has a receipt printer to test (the page offers the test only then). */
  available(): boolean;
  run(reportId: string): Promise<CashierTestPrintResult>;
}

export function createCashierTestPrint(deps: CashierTestPrintDeps): CashierTestPrint {
  let running = false;
  const printers = () => deps.devices.filter((d) => deps.drivers.get(d.driver)?.kind === 'receipt-printer');

  /** The receipt printer the cashier most likely means: the first with a finding, else the first. */
  function pick(): DeviceConfig | undefined {
    const faulty = new Set(deps.latest().filter((r) => r.findings.length > 0).map((r) => r.deviceId));
    const candidates = printers();
    return candidates.find((d) => faulty.has(d.id)) ?? candidates[0];
  }

  return {
    available: () => printers().length > 0,
    async run(reportId) {
      if (!(await deps.reportExists(reportId))) return { kind: 'not_found' };
      const device = pick();
      if (!device) return { kind: 'no_printer' };
      // A second press while the first runs must not print twice.
      if (running) return { kind: 'busy' };
      running = true;
      try {
        const result = await deps.printer.run(device.id, 'cashier');
        return { kind: 'done', outcome: result.summary.outcome, saved: await deps.queueDone(reportId, result) };
      } finally {
        running = false;
      }
    },
  };
}

// The cashier's side of the agent: the local page's report, its "is it working?" answer and the
// cashier-agreed test print, each queued in the outbox like every other message. Wired once by
// createAgent when the page is enabled.
import type { CashierFeedback, CashierReport, DeviceReport, TestPrintDone } from '@tillscope/shared';
import type { AgentConfig } from '../config';
import type { DriverRegistry } from '../devices/driver';
import { agentMessage, type Link } from '../link/link';
import { errorText, moduleLogger, type Logger } from '../logger';
import type { Outbox, OutboxMessage, Stored } from '../outbox/outbox';
import type { ProbeLoop } from '../probe-loop/probe-loop';
import { createCashierTestPrint } from '../test-print/cashier-test-print';
import type { TestPrinter, TestPrintRun } from '../test-print/test-print';
import { createCashierPage, type AnswerOutcome, type CashierPage, type ReportRequest } from './server';

/** How long a cashier report may wait for its fresh diagnosis. */
const CASHIER_PROBE_DEADLINE_MS = 3_000;

export interface CashierSideParts {
  config: AgentConfig;
  drivers: DriverRegistry;
  outbox: Outbox;
  probeLoop: ProbeLoop;
  testPrinter: TestPrinter;
  link: Link;
  logger: Logger;
  /** queues a message in the outbox and wakes the link; says where it was stored */
  queue: (message: OutboxMessage) => Promise<Stored>;
  /** builds the message carrying `reports`, dropping raw exchanges past the frame limit */
  fitFrame: <M>(reports: DeviceReport[], build: (r: DeviceReport[]) => M) => M;
}

/**
 * Starts the cashier page; resolves with it, or with undefined when its port is busy (logged: the
 * agent keeps reporting without the page).
 */
export async function startCashierSide(parts: CashierSideParts): Promise<CashierPage | undefined> {
  const { config, outbox, probeLoop, link, logger, queue, fitFrame } = parts;
  const log = moduleLogger(logger, 'agent');

  /** `saved` only when the report is on disk: the page must never call a memory-only report saved. */
  async function submitReport(request: ReportRequest): Promise<{ reportId: string; saved: boolean }> {
    let diagnosis: DeviceReport[];
    try {
      diagnosis = await probeLoop.probeNow({ deadlineMs: CASHIER_PROBE_DEADLINE_MS });
    } catch (error) {
      log.warn(`fresh diagnosis failed, attaching the latest: ${errorText(error)}`);
      diagnosis = probeLoop.latest();
    }
    const reportedAt = new Date().toISOString();
    const message = fitFrame(diagnosis, (d) => agentMessage('cashier_report', { ...request, reportedAt, diagnosis: d })) as CashierReport;
    const stored = await queue(message);
    return { reportId: message.id, saved: stored === 'on_disk' };
  }

  /**
   * The cashier's "is it working?" answer goes to the server like every other message: durably
   * queued in the outbox, resent until acked. Queued first, then recorded for the page: if the
   * agent dies in between, the server still hears the answer and the page merely asks again.
   * Every answer is its own message, so a changed answer is sent too and the server keeps the
   * latest (it applies one agent's messages in order). An answer the disk refused is still sent
   * (held in memory) but not recorded for the page, which tells the cashier it was not saved.
   */
  async function recordAnswer(reportId: string, working: boolean): Promise<AnswerOutcome> {
    const report = await outbox.cashierReport(reportId);
    if (!report) return 'not_found';
    // Without a ticket there is nothing the server could close or reopen.
    if (!report.ticket) return 'no_ticket';
    const message = agentMessage('cashier_feedback', {
      reportId,
      ticketId: report.ticket.ticketId,
      working,
      answeredAt: new Date().toISOString(),
    }) as CashierFeedback;
    if ((await queue(message)) !== 'on_disk') return 'not_saved';
    await outbox.recordAnswer(reportId, working);
    return 'recorded';
  }

  /** A cashier-agreed test print's result, queued like a cashier report; true only when it is on disk. */
  async function queueTestPrintDone(reportId: string, run: TestPrintRun): Promise<boolean> {
    const message = fitFrame(run.devices, (devices) => agentMessage('test_print_done', { reportId, summary: run.summary, devices })) as TestPrintDone;
    return (await queue(message)) === 'on_disk';
  }

  const cashierTestPrint = createCashierTestPrint({
    printer: parts.testPrinter,
    devices: config.devices,
    drivers: parts.drivers,
    latest: () => probeLoop.latest(),
    reportExists: async (id) => (await outbox.cashierReport(id)) !== null,
    queueDone: queueTestPrintDone,
  });
  const page = createCashierPage({
    port: config.cashierPage.port,
    registerId: config.registerId,
    logger,
    submitReport,
    async reportStatus(id) {
      const report = await outbox.cashierReport(id);
      if (!report) return null;
      return { state: report.state, saved: report.saved, ...(report.ticket ? { ticket: report.ticket } : {}), working: report.working, connected: link.isConnected() };
    },
    recordAnswer,
    testPrint: (id) => cashierTestPrint.run(id),
    // The cashier's "devices" line is about the printer and the fiscal register; the register's
    // own facts (a pending reboot, an unread clock) are the engineer's, not the cashier's.
    status: () => ({ connected: link.isConnected(), devices: probeLoop.latest().filter((r) => r.kind !== 'host'), canTestPrint: cashierTestPrint.available() }),
  });
  try {
    await page.start();
    return page;
  } catch (error) {
    log.error(`${errorText(error)}; the agent keeps reporting without the cashier page`);
    return undefined;
  }
}

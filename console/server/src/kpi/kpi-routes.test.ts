import { ErrorBody, KpiRebuildResult, KpiReport, TicketList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { parseCsv } from '../test-support/read-csv';

// The KPI routes on the real server and SQLite file: a fault reported over the agent's WebSocket
// opens a ticket, an engineer takes and resolves it over REST, and the KPIs (JSON and CSV) show it
// at once: each read brings the facts up to the timeline first.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));

const call = (method: string, route: string, cookie: string | undefined, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);
const DAY = '2026-11-22'; // the harness clock starts at 10:00 UTC (13:00 in Moscow) that day

async function resolvedTicket(): Promise<void> {
  await flow.agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
  const [ticket] = TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets;
  flow.test.clock.advanceSeconds(5 * 60);
  expect((await call('POST', `/api/tickets/${ticket!.id}/take`, flow.cookie)).status).toBe(200);
  flow.test.clock.advanceSeconds(20 * 60);
  expect((await call('POST', `/api/tickets/${ticket!.id}/resolve`, flow.cookie, { note: 'new roll' })).status).toBe(200);
}

describe('GET /api/kpi and /api/kpi.csv', () => {
  it('a ticket taken after 5 min and resolved after 25 min shows in the day and the engineer breakdown', async () => {
    const empty = KpiReport.parse((await call('GET', `/api/kpi?from=${DAY}&to=${DAY}`, flow.cookie)).json);
    expect(empty.buckets).toEqual([expect.objectContaining({ bucket: DAY, opened: 0, resolved: 0 })]);

    await resolvedTicket();
    const answer = await call('GET', `/api/kpi?from=${DAY}&to=${DAY}&slice=engineer`, flow.cookie);
    expect(answer.status).toBe(200);
    const report = KpiReport.parse(answer.json);
    expect(report.buckets[0]).toMatchObject({
      opened: 1, resolved: 1, reaction: { count: 1, meanSec: 300, metShare: 1 }, resolution: { count: 1, meanSec: 1500 },
      firstContact: { count: 1, of: 1, share: 1 }, autoResolved: { count: 0, share: 0 },
      // no hold in the test console: the ticket opened as the fault was first seen
      faultToTicket: { count: 1, meanSec: 0 },
    });
    expect(report.breakdown).toEqual([expect.objectContaining({ key: 'eve', opened: 1, resolved: 1 })]);
  });

  it('CSV: BOM, bilingual header, one line per bucket and slice value', async () => {
    await resolvedTicket();
    const response = await fetch(`${flow.test.server.url}/api/kpi.csv?from=${DAY}&to=${DAY}&slice=store&delimiter=semicolon`, { headers: { cookie: flow.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain(`kpi-${DAY}-${DAY}-day-store.csv`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // fetch's text() would drop the BOM
    const [header, row, ...rest] = parseCsv(bytes.subarray(3).toString('utf8'), ';');
    expect(header?.slice(0, 4)).toEqual(['Период с / Bucket from', 'Срез / Slice', 'Открыто / Opened', 'Решено / Resolved']);
    expect(row?.slice(0, 6)).toEqual([DAY, 'store-7', '1', '1', '5', '5']); // reaction mean and p90: 5 min
    expect(rest).toEqual([]);
  });

  it('bad queries get a stable code; a session is required; only admins rebuild', async () => {
    const bad = await call('GET', '/api/kpi?bucket=year', flow.cookie);
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.json).code).toBe('bad_request');
    const tooLong = await call('GET', '/api/kpi?from=2000-01-01&to=2026-01-01&bucket=day', flow.cookie);
    expect(ErrorBody.parse(tooLong.json).code).toBe('bad_request');
    expect((await call('GET', '/api/kpi', undefined)).status).toBe(401);
    expect((await call('POST', '/api/kpi/rebuild', flow.cookie)).status).toBe(403);

    await resolvedTicket();
    const admin = await login(flow.test.server.url, ADMIN);
    const rebuilt = await call('POST', '/api/kpi/rebuild', admin);
    expect(rebuilt.status).toBe(200);
    expect(KpiRebuildResult.parse(rebuilt.json)).toEqual({ tickets: 1 });
  });
});
